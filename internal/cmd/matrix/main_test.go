package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A CLI that is missing (its build failed) or is not Terraform or OpenTofu
// is a failed row, and the table says why; nothing runs the suite on it.
func TestRowFailsWithoutAUsableCLI(t *testing.T) {
	dir := t.TempDir()
	notCLI := filepath.Join(dir, "not-a-cli")
	if err := os.WriteFile(notCLI, []byte("#!/bin/sh\necho hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cli, want string }{
		{filepath.Join(dir, "tofu-1.12.6"), "tofu-1.12.6 does not exist (did its build fail?)"},
		{"no-such-cli-anywhere", "no-such-cli-anywhere is not on PATH"},
		{dir, dir + ` cannot be run: exec: "` + dir + `": is a directory`},
		{notCLI, "neither Terraform nor OpenTofu"},
	} {
		r := runRow(context.Background(), tc.cli, "^TestAcc", time.Minute, io.Discard)
		if !r.failed() || !strings.Contains(r.problem, tc.want) || r.results != nil {
			t.Errorf("%s: failed=%v problem=%q results=%v, want a failed row saying %q", tc.cli, r.failed(), r.problem, r.results, tc.want)
		}
		var table strings.Builder
		report(&table, []*row{r})
		if !strings.Contains(table.String(), "FAIL: ") || !strings.Contains(table.String(), tc.want) {
			t.Errorf("%s: the table does not say the row failed and why:\n%s", tc.cli, table.String())
		}
		if !strings.Contains(table.String(), "| ? ") {
			t.Errorf("%s: the table does not give the version as \"?\":\n%s", tc.cli, table.String())
		}
	}
}
