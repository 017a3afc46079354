//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tfrun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// fakeCLI is a CLI that answers `version` with versionLine and otherwise
// prints its arguments and CLI configuration, and exits with the code given
// as its last argument.
func fakeCLI(t *testing.T, versionLine string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cli")
	script := `#!/bin/sh
if [ "$1" = version ]; then echo '` + versionLine + `'; exit 0; fi
echo "args: $*"
echo "config: $(cat "$TF_CLI_CONFIG_FILE")"
echo "log: $TF_LOG" >&2
for last; do :; done
exit "$last"
`
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCLIConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, _, stderr := tfrun(t, "cliconfig", "rc", "errortracking/gitlab=bin", "errortracking/floor=/opt/floor")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(dir, "rc"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	for _, want := range []string{
		`"registry.terraform.io/errortracking/gitlab" = "` + bin + `"`,
		`"registry.opentofu.org/errortracking/gitlab" = "` + bin + `"`,
		`"registry.terraform.io/errortracking/floor" = "/opt/floor"`,
		`"registry.opentofu.org/errortracking/floor" = "/opt/floor"`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the CLI configuration lacks %s:\n%s", want, got)
		}
	}
}

func TestCheck(t *testing.T) {
	tf115 := fakeCLI(t, "Terraform v1.15.9")
	tf111 := fakeCLI(t, "Terraform v1.11.4")
	tofu := fakeCLI(t, "OpenTofu v1.12.6")
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{[]string{"-terraform", "1.14", tf115}, 0, "Terraform v1.15.9\n", nil},
		{[]string{"-terraform", "1.14", tf111}, 1, "", []string{"Terraform v1.11.4 at " + tf111 + " does not qualify: it takes Terraform 1.14 or later"}},
		{[]string{"-terraform", "1.14", tofu}, 1, "", []string{"OpenTofu v1.12.6 at " + tofu + " does not qualify: it takes Terraform 1.14 or later"}},
		{[]string{"-terraform", "1.14", "-opentofu", "1.12", tofu}, 0, "OpenTofu v1.12.6\n", nil},
		{[]string{"-terraform", "1.14", filepath.Join(t.TempDir(), "missing")}, 1, "", []string{"missing"}},
		{[]string{"-terraform", "one.fourteen", tf115}, 2, "", []string{`version "one.fourteen" is not major.minor[.patch]`, "usage:"}},
		{[]string{"-terraform", "1.14"}, 2, "", []string{"check needs one CLI"}},
	} {
		code, stdout, stderr := tfrun(t, append([]string{"check"}, tc.args...)...)
		if code != tc.code || stdout != tc.stdout {
			t.Errorf("check %q: exit %d, stdout %q; want %d, %q (stderr %q)", tc.args, code, stdout, tc.code, tc.stdout, stderr)
		}
		for _, w := range tc.stderr {
			if !strings.Contains(stderr, w) {
				t.Errorf("check %q: stderr %q lacks %q", tc.args, stderr, w)
			}
		}
	}
}

func TestExec(t *testing.T) {
	cli := fakeCLI(t, "Terraform v1.15.9")
	config := filepath.Join(t.TempDir(), "rc")
	if code, _, stderr := tfrun(t, "cliconfig", config, "errortracking/gitlab=/opt/bin"); code != 0 {
		t.Fatal(stderr)
	}
	t.Setenv("TF_LOG", "trace")
	code, stdout, stderr := tfrun(t, "exec", "-config", config, cli, "validate", "-no-color", "3")
	if code != 3 {
		t.Errorf("exit %d, want the CLI's 3 (stderr %q)", code, stderr)
	}
	if !strings.HasPrefix(stdout, "args: validate -no-color 3\nconfig: provider_installation {") ||
		!strings.Contains(stdout, `"registry.opentofu.org/errortracking/gitlab" = "/opt/bin"`) {
		t.Errorf("stdout %q", stdout)
	}
	if stderr != "log: \n" {
		t.Errorf("stderr %q: the caller's TF_LOG reached the CLI, or the streams were mixed", stderr)
	}

	if code, _, stderr := tfrun(t, "exec", "-config", filepath.Join(t.TempDir(), "none"), cli, "plan"); code != 1 || !strings.Contains(stderr, "the CLI configuration:") {
		t.Errorf("a missing CLI configuration: exit %d, %q", code, stderr)
	}
	if code, _, _ := tfrun(t, "exec", cli, "plan"); code != 2 {
		t.Errorf("no -config: exit %d, want 2", code)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"cliconfig", "rc"}, {"cliconfig", "rc", "gitlab"}} {
		if code, _, stderr := tfrun(t, args...); code != 2 || !strings.Contains(stderr, "usage:") {
			t.Errorf("%q: exit %d, %q", args, code, stderr)
		}
	}
}
