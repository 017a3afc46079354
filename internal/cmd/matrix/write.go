package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// The lines between which -write puts the table.
const (
	beginMark = "<!-- matrix: written by TF_ACC_MATRIX=... make testacc-matrix MATRIXARGS=-write=templates/index.md.tmpl -->"
	endMark   = "<!-- /matrix -->"
)

// docsTable is the table for the docs: each CLI's release and what the
// suite did there, Terraform before OpenTofu, oldest first; paths and times
// say nothing to a reader of the docs.
func docsTable(rows []*row) string {
	var b strings.Builder
	b.WriteString("| CLI | Tests passed | Skipped (need a newer CLI) | Failed |\n|---|--:|--:|--:|\n")
	sorted := append([]*row(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].info, sorted[j].info
		if a.Product != b.Product {
			return a.Product == tfcli.Terraform
		}
		return a.Version.Compare(b.Version) < 0
	})
	for _, r := range sorted {
		c := r.results.counts()
		fmt.Fprintf(&b, "| %s %s | %d | %d | %d |\n", r.info.Name(), r.info.Version, c.passed, c.skipped, c.failed)
	}
	return b.String()
}

// writeTable replaces what lies between beginMark and endMark in path.
func writeTable(path string, rows []*row) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := string(raw)
	i := strings.Index(text, beginMark+"\n")
	j := strings.Index(text, endMark)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no lines %q and %q to write the table between", path, beginMark, endMark)
	}
	text = text[:i+len(beginMark)+1] + docsTable(rows) + text[j:]
	return os.WriteFile(path, []byte(text), 0o644)
}
