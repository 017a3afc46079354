//go:build unix

package acctest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The acceptance tests run TF_ACC_TERRAFORM_PATH, else terraform on PATH,
// else tofu on PATH, and serve the provider on that CLI's registry.
func TestSetUpCLIChoosesTheCLI(t *testing.T) {
	fake := func(dir, name, says string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\necho '"+says+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	both, tofuOnly, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	fake(both, "terraform", "Terraform v1.11.4")
	fake(both, "tofu", "OpenTofu v1.12.6")
	fake(tofuOnly, "tofu", "OpenTofu v1.12.6")
	named := fake(elsewhere, "tf", "Terraform v1.15.9")
	for _, tc := range []struct {
		name, envPath, path string
		want, host          string // want: the CLI, or the error it ends in
	}{
		{"TF_ACC_TERRAFORM_PATH first", named, both, "Terraform v1.15.9", "registry.terraform.io"},
		{"then terraform on PATH", "", both, "Terraform v1.11.4", "registry.terraform.io"},
		{"then tofu on PATH", "", tofuOnly, "OpenTofu v1.12.6", "registry.opentofu.org"},
		{"else none", "", t.TempDir(), "none was found on PATH: install one or set TF_ACC_TERRAFORM_PATH to the binary (nothing is downloaded)", ""},
		{"TF_ACC_TERRAFORM_PATH missing", filepath.Join(elsewhere, "missing"), both, filepath.Join(elsewhere, "missing") + " does not exist", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// setUpCLI sets these; t.Setenv restores them.
			for _, name := range []string{"TF_ACC_PROVIDER_NAMESPACE", "TF_ACC_PROVIDER_HOST", "TF_CLI_CONFIG_FILE", "CHECKPOINT_DISABLE"} {
				t.Setenv(name, "")
			}
			t.Setenv("TF_ACC_TERRAFORM_PATH", tc.envPath)
			t.Setenv("PATH", tc.path)
			info, err := setUpCLI()
			if tc.host == "" {
				if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
					t.Fatalf("setUpCLI = %s, %v; want an error ending in %q", info, err, tc.want)
				}
				if tc.envPath != "" && !strings.Contains(err.Error(), "TF_ACC_TERRAFORM_PATH") {
					t.Errorf("the error does not name TF_ACC_TERRAFORM_PATH: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.String() != tc.want || os.Getenv("TF_ACC_PROVIDER_HOST") != tc.host || os.Getenv("TF_ACC_PROVIDER_NAMESPACE") != ProviderNamespace {
				t.Errorf("setUpCLI = %s, host %q, namespace %q; want %s, %s, %s", info, os.Getenv("TF_ACC_PROVIDER_HOST"),
					os.Getenv("TF_ACC_PROVIDER_NAMESPACE"), tc.want, tc.host, ProviderNamespace)
			}
			if got := os.Getenv("TF_ACC_TERRAFORM_PATH"); got != info.Path {
				t.Errorf("TF_ACC_TERRAFORM_PATH = %q, want %q", got, info.Path)
			}
		})
	}
}
