package tfcli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIConfig(t *testing.T) {
	got, err := CLIConfig(
		Override{Source: "errortracking/gitlab", Dir: "/tmp/work/plugins"},
		Override{Source: "errortracking/floor", Dir: "/tmp/work/floor"},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := `provider_installation {
  dev_overrides {
    "registry.terraform.io/errortracking/gitlab" = "/tmp/work/plugins"
    "registry.opentofu.org/errortracking/gitlab" = "/tmp/work/plugins"
    "registry.terraform.io/errortracking/floor" = "/tmp/work/floor"
    "registry.opentofu.org/errortracking/floor" = "/tmp/work/floor"
  }
  direct {}
}
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestCLIConfigRefuses(t *testing.T) {
	for _, tc := range []struct {
		o    Override
		want string
	}{
		{Override{Source: "gitlab", Dir: "/x"}, `provider source "gitlab" is not namespace/name`},
		{Override{Source: "registry.terraform.io/errortracking/gitlab", Dir: "/x"}, "is not namespace/name"},
		{Override{Source: "ErrorTracking/gitlab", Dir: "/x"}, "is not namespace/name in lower case"},
		{Override{Source: "errortracking/gitlab", Dir: "plugins"}, `provider errortracking/gitlab: the directory "plugins" is not an absolute path`},
		{Override{Source: "errortracking/gitlab", Dir: ""}, "is not an absolute path"},
		{Override{Source: "errortracking/gitlab", Dir: `/tmp/a"b`}, "cannot quote plainly"},
		{Override{Source: "errortracking/gitlab", Dir: `/tmp/a\b`}, "cannot quote plainly"},
		{Override{Source: "errortracking/gitlab", Dir: "/tmp/${HOME}"}, "cannot quote plainly"},
		{Override{Source: "errortracking/gitlab", Dir: "/tmp/a\nb"}, "cannot quote plainly"},
	} {
		if _, err := CLIConfig(tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CLIConfig(%+v) error = %v, want one containing %q", tc.o, err, tc.want)
		}
	}
}

func TestWriteCLIConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "terraformrc")
	if err := WriteCLIConfig(path, Override{Source: "errortracking/gitlab", Dir: dir}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := CLIConfig(Override{Source: "errortracking/gitlab", Dir: dir})
	if string(b) != want {
		t.Errorf("wrote\n%s", b)
	}
	if err := WriteCLIConfig(filepath.Join(dir, "bad"), Override{Source: "gitlab", Dir: dir}); err == nil {
		t.Error("wrote a configuration for a bad source")
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !os.IsNotExist(err) {
		t.Errorf("a refused configuration was written: %v", err)
	}
}

func TestEnv(t *testing.T) {
	got := Env([]string{"PATH=/bin", "TF_LOG=trace", "GITLAB_TOKEN=x", "CHECKPOINT_DISABLE=", "HOME=/root", "TF_CLI_CONFIG_FILE=/missing"},
		"/w/terraformrc", "TF_VAR_x=1")
	want := "PATH=/bin HOME=/root TF_CLI_CONFIG_FILE=/w/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0 TF_VAR_x=1"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %q\nwant %q", strings.Join(got, " "), want)
	}
}
