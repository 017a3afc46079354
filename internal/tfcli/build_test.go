package tfcli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuildProvider(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plugins", "terraform-provider-gitlab")
	err := BuildProvider(context.Background(), "github.com/errortracking/terraform-provider-gitlab/internal/acctest/officialgitlab", out)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&0o111 == 0 {
		t.Errorf("%s is not executable: %v", out, fi.Mode())
	}
}

func TestBuildProviderFails(t *testing.T) {
	for _, tc := range []struct {
		name, pkg, out string
		want           []string
	}{
		{"a name the CLI does not run", ".", "gitlab", []string{`/gitlab"`, "terraform-provider-<name>"}},
		{"no such package", "./no-such-package", "terraform-provider-gitlab", []string{"go build", "no-such-package"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := BuildProvider(context.Background(), tc.pkg, filepath.Join(t.TempDir(), tc.out))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestGoBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bin", "tfrun")
	if err := GoBuild(context.Background(), "github.com/errortracking/terraform-provider-gitlab/internal/cmd/tfrun", out); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("%s: %v, %v; want an executable", out, fi, err)
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := ModuleRoot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "tfcli", "build.go")); err != nil {
		t.Errorf("ModuleRoot = %s, not the repository: %v", root, err)
	}
	t.Chdir(t.TempDir())
	if root, err := ModuleRoot(context.Background()); err == nil || !strings.Contains(err.Error(), "in no Go module") {
		t.Errorf("outside a module: ModuleRoot = %q, %v", root, err)
	}
}
