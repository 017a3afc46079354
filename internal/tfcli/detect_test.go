package tfcli

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeCLI writes an executable shell script into a temporary directory and
// returns its path.
func fakeCLI(t *testing.T, script string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("fake CLIs are shell scripts")
	}
	path := filepath.Join(t.TempDir(), "cli")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// missingConfigWarning is what both CLIs print on stdout, before the
// version, when TF_CLI_CONFIG_FILE names a file that does not exist.
const missingConfigWarning = `if [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  echo 'There are some problems with the CLI configuration:'
  echo '│ Warning: Unable to open CLI configuration file'
  echo "│ The CLI configuration file at \"$TF_CLI_CONFIG_FILE\" does not exist."
  echo
fi
`

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         string
		product      string
	}{
		{
			name:    "terraform",
			script:  "echo 'Terraform v1.11.4'\necho 'on linux_amd64'\n",
			want:    "Terraform v1.11.4",
			product: Terraform,
		},
		{
			name:    "opentofu",
			script:  "echo 'OpenTofu v1.12.6'\necho 'on linux_amd64'\n",
			want:    "OpenTofu v1.12.6",
			product: OpenTofu,
		},
		{
			name: "warning before the version line",
			script: `echo 'There are some problems with the CLI configuration:'
echo '╷'
echo '│ Warning: Unable to open CLI configuration file'
echo '│'
echo '│ The CLI configuration file at "/root/.terraformrc" does not exist.'
echo '╵'
echo
echo 'OpenTofu v1.12.6'
echo 'on linux_amd64'
`,
			want:    "OpenTofu v1.12.6",
			product: OpenTofu,
		},
		{
			name:    "pre-release and out-of-date notice",
			script:  "printf 'Terraform v1.15.0-rc1\\non linux_amd64\\n\\nYour version of Terraform is out of date! The latest version\\nis 1.15.9.\\n'\n",
			want:    "Terraform v1.15.0-rc1",
			product: Terraform,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := fakeCLI(t, tc.script)
			info, err := Detect(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if info.String() != tc.want || info.Product != tc.product || info.Path != path {
				t.Errorf("Detect = %+v (%s), want %s, product %s, path %s", info, info, tc.want, tc.product, path)
			}
		})
	}
}

// The caller's CLI configuration, here one that does not exist, never
// reaches the CLI, nor do TF_* settings: Detect gives it an empty CLI
// configuration of its own.
func TestDetectUsesItsOwnEmptyCLIConfig(t *testing.T) {
	record := filepath.Join(t.TempDir(), "record")
	path := fakeCLI(t, missingConfigWarning+`
if [ -f "$TF_CLI_CONFIG_FILE" ] && [ ! -s "$TF_CLI_CONFIG_FILE" ]; then echo empty >`+record+`; fi
echo "config=$TF_CLI_CONFIG_FILE log=$TF_LOG args=$TF_CLI_ARGS checkpoint=$CHECKPOINT_DISABLE" >>`+record+`
echo 'OpenTofu v1.12.6'
`)
	missing := filepath.Join(t.TempDir(), "no-such.tfrc")
	t.Setenv("TF_CLI_CONFIG_FILE", missing)
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_CLI_ARGS", "-json")
	info, err := Detect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if info.String() != "OpenTofu v1.12.6" {
		t.Errorf("Detect = %s", info)
	}
	got, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(lines) != 2 || lines[0] != "empty" {
		t.Fatalf("the CLI did not get an existing, empty CLI configuration; it recorded:\n%s", got)
	}
	if strings.Contains(lines[1], missing) || !strings.HasSuffix(lines[1], " log= args= checkpoint=1") {
		t.Errorf("the CLI ran with the caller's settings: %s", lines[1])
	}
}

func TestDetectFails(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         []string
	}{
		{"exit status", "echo 'flag provided but not defined' >&2\nexit 1\n", []string{"version: exit status 1", "flag provided but not defined"}},
		{"not a terraform", "echo 'Packer v1.9.0'\n", []string{"neither Terraform nor OpenTofu", "Packer v1.9.0"}},
		{"version line inside a sentence", "echo 'This is not Terraform v1.11.4'\n", []string{"neither Terraform nor OpenTofu"}},
		{"bad version", "echo 'Terraform vX.Y'\n", []string{`version "X.Y" is not major.minor[.patch]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := fakeCLI(t, tc.script)
			_, err := Detect(context.Background(), path)
			if err == nil {
				t.Fatal("Detect succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := Detect(context.Background(), missing); err == nil || err.Error() != missing+" does not exist" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Detect of a missing file: %v, want %q, an fs.ErrNotExist", err, missing+" does not exist")
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Detect(context.Background(), "tofu"); err == nil || err.Error() != "tofu is not on PATH" {
		t.Errorf("Detect of a name not on PATH: %v", err)
	}
	notExecutable := filepath.Join(t.TempDir(), "terraform")
	if err := os.WriteFile(notExecutable, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Detect(context.Background(), notExecutable); err == nil || !strings.HasPrefix(err.Error(), notExecutable+" cannot be run: ") {
		t.Errorf("Detect of a file that is not executable: %v", err)
	}
}

// The terraform on PATH, if any, with a TF_CLI_CONFIG_FILE that names a
// missing file.
func TestDetectRealTerraform(t *testing.T) {
	path, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no terraform on PATH")
	}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(t.TempDir(), "missing.tfrc"))
	info, err := Detect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Product != Terraform && info.Product != OpenTofu {
		t.Errorf("product %q", info.Product)
	}
	if info.Version.Major < 1 {
		t.Errorf("version %s", info.Version)
	}
}

func TestInfoRegistry(t *testing.T) {
	for product, want := range map[string]string{Terraform: "registry.terraform.io", OpenTofu: "registry.opentofu.org"} {
		if got := (Info{Product: product}).Registry(); got != want {
			t.Errorf("the registry of %s is %q, want %q", product, got, want)
		}
	}
}

func TestAtLeast(t *testing.T) {
	tf := func(v string) Info { return Info{Product: Terraform, Version: mustParse(t, v)} }
	tofu := func(v string) Info { return Info{Product: OpenTofu, Version: mustParse(t, v)} }
	for _, tc := range []struct {
		info        Info
		tfMin       string
		tofuMin     string
		want        bool
		explanation string
	}{
		{tf("1.11.4"), "1.14", "1.6", false, "Terraform below its minimum"},
		{tf("1.14.0"), "1.14", "1.6", true, "Terraform at its minimum"},
		{tf("1.15.9"), "1.14", "1.6", true, "Terraform above"},
		{tf("1.14.0-rc1"), "1.14", "1.6", false, "a pre-release comes before its release"},
		{tf("2.0.0"), "1.14", "1.6", true, "a newer major version"},
		{tf("1.7.0"), "1.14", "1.6", false, "Terraform is held to the Terraform minimum, not OpenTofu's"},
		{tofu("1.12.6"), "1.14", "1.6", true, "OpenTofu is held to its own minimum"},
		{tofu("1.5.9"), "1.5", "1.6", false, "OpenTofu below its minimum"},
		{tofu("1.12.6"), "1.14", "", false, "no OpenTofu qualifies"},
		{tf("1.15.9"), "1.x", "1.6", false, "a minimum that is no version"},
	} {
		if got := tc.info.AtLeast(tc.tfMin, tc.tofuMin); got != tc.want {
			t.Errorf("%s.AtLeast(%q, %q) = %v, want %v (%s)", tc.info, tc.tfMin, tc.tofuMin, got, tc.want, tc.explanation)
		}
	}
}

func TestRequire(t *testing.T) {
	tf := Info{Path: "/opt/terraform", Product: Terraform, Version: mustParse(t, "1.11.4")}
	tofu := Info{Path: "/opt/tofu", Product: OpenTofu, Version: mustParse(t, "1.12.6")}
	for _, tc := range []struct {
		info           Info
		tfMin, tofuMin string
		want           string // "": no error
	}{
		{tf, "1.7", "1.7", ""},
		{tofu, "1.7", "1.7", ""},
		{tf, "1.14", "", "Terraform v1.11.4 at /opt/terraform does not qualify: it takes Terraform 1.14 or later"},
		{tofu, "1.14", "", "OpenTofu v1.12.6 at /opt/tofu does not qualify: it takes Terraform 1.14 or later"},
		{tofu, "1.7", "1.13", "OpenTofu v1.12.6 at /opt/tofu does not qualify: it takes Terraform 1.7 or OpenTofu 1.13 or later"},
		{tf, "", "", "Terraform v1.11.4 at /opt/terraform does not qualify: no CLI was asked for"},
	} {
		err := tc.info.Require(tc.tfMin, tc.tofuMin)
		if (tc.want == "" && err != nil) || (tc.want != "" && (err == nil || err.Error() != tc.want)) {
			t.Errorf("%s.Require(%q, %q) = %v, want %q", tc.info, tc.tfMin, tc.tofuMin, err, tc.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.12.6":        "1.12.6",
		"v1.12.6":       "1.12.6",
		"1.14":          "1.14.0",
		"1.15.0-rc1":    "1.15.0-rc1",
		"1.6.0-dev+abc": "1.6.0-dev",
		"1.6.0+build":   "1.6.0",
		" 1.2.3\n":      "1.2.3",
	} {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %s, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"", "1", "1.2.3.4", "a.b.c", "1.-2.3", "Terraform"} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %s, want an error", in, v)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	ordered := []string{"0.15.5", "1.5.7", "1.6.0-alpha", "1.6.0-beta", "1.6.0", "1.6.1", "1.10.0", "2.0.0"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := mustParse(t, a).Compare(mustParse(t, b)); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func mustParse(t *testing.T, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A relative path or a bare name becomes the absolute path of the CLI, so
// that it still names the CLI when run in another directory.
func TestDetectResolvesThePath(t *testing.T) {
	path := fakeCLI(t, "echo 'OpenTofu v1.12.6'\n")
	dir, name := filepath.Split(path)
	t.Chdir(filepath.Dir(filepath.Clean(dir)))
	rel := filepath.Join(filepath.Base(filepath.Clean(dir)), name)
	if info, err := Detect(context.Background(), rel); err != nil || info.Path != path {
		t.Errorf("Detect(%q) = %+v, %v; want the path %s", rel, info, err, path)
	}
	t.Setenv("PATH", dir)
	if info, err := Detect(context.Background(), name); err != nil || info.Path != path {
		t.Errorf("Detect(%q) on PATH = %+v, %v; want the path %s", name, info, err, path)
	}
}
