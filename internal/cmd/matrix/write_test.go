package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

func TestWriteTableReplacesOnlyTheMarkedTable(t *testing.T) {
	rowOf := func(product, version, stream string) *row {
		v, err := tfcli.ParseVersion(version)
		if err != nil {
			t.Fatal(err)
		}
		r := &row{info: tfcli.Info{Product: product, Version: v}, results: newResults()}
		if err := r.results.read(strings.NewReader(stream), nil); err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Rows come in the order of the command line; the docs list Terraform
	// before OpenTofu, oldest first.
	rows := []*row{
		rowOf(tfcli.OpenTofu, "1.12.6", `{"Action":"pass","Package":"p","Test":"TestAccA"}
{"Action":"pass","Package":"p","Test":"TestAccB"}
`),
		rowOf(tfcli.Terraform, "1.11.4", `{"Action":"pass","Package":"p","Test":"TestAccA"}
`),
		rowOf(tfcli.Terraform, "1.5.7", `{"Action":"pass","Package":"p","Test":"TestAccA"}
{"Action":"skip","Package":"p","Test":"TestAccB"}
`),
	}
	path := filepath.Join(t.TempDir(), "index.md.tmpl")
	before := "# Title\n\nText before.\n\n" + beginMark + "\n| old | table |\n" + endMark + "\n\nText after.\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeTable(path, rows); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# Title\n\nText before.\n\n" + beginMark + "\n" +
		"| CLI | Tests passed | Skipped (need a newer CLI) | Failed |\n|---|--:|--:|--:|\n" +
		"| Terraform 1.5.7 | 1 | 1 | 0 |\n" +
		"| Terraform 1.11.4 | 1 | 0 | 0 |\n" +
		"| OpenTofu 1.12.6 | 2 | 0 | 0 |\n" +
		endMark + "\n\nText after.\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	if err := os.WriteFile(path, []byte("no marks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeTable(path, rows); err == nil || !strings.Contains(err.Error(), "has no lines") {
		t.Errorf("without the marks: err = %v, want one saying the marks are missing", err)
	}
}
