package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// cliDir is a working directory where a test drives the acceptance tests'
// CLI (acctest.CLI) directly, as a user would, for what
// terraform-plugin-testing cannot do: the provider built from this
// repository, and any other given, come from dev_overrides (no `init`), and
// GITLAB_BASE_URL and GITLAB_TOKEN point at env.
type cliDir struct {
	t   *testing.T
	cli *tfcli.CLI
	dir string
}

// cliProvider is another provider for a cliDir: its source and the Go
// package of its binary.
type cliProvider struct{ source, pkg string }

func newCLIDir(t *testing.T, env *acctest.Env, others ...cliProvider) *cliDir {
	t.Helper()
	info := acctest.CLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	bin := t.TempDir()
	var overrides []tfcli.Override
	for _, p := range append([]cliProvider{{acctest.ProviderSource, "github.com/errortracking/terraform-provider-gitlab"}}, others...) {
		dir := filepath.Join(bin, strings.ReplaceAll(p.source, "/", "-"))
		name := p.source[strings.LastIndex(p.source, "/")+1:]
		if err := tfcli.BuildProvider(ctx, p.pkg, filepath.Join(dir, "terraform-provider-"+name)); err != nil {
			t.Fatal(err)
		}
		overrides = append(overrides, tfcli.Override{Source: p.source, Dir: dir})
	}
	cliConfig := filepath.Join(bin, "cli.tfrc")
	if err := tfcli.WriteCLIConfig(cliConfig, overrides...); err != nil {
		t.Fatal(err)
	}
	cli := info.CLI(cliConfig, "GITLAB_BASE_URL="+env.Instance, "GITLAB_TOKEN="+env.Token)
	return &cliDir{t: t, cli: cli, dir: t.TempDir()}
}

// write writes a file of the working directory.
func (d *cliDir) write(name, content string) {
	d.t.Helper()
	if err := os.WriteFile(filepath.Join(d.dir, name), []byte(content), 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// read reads a file of the working directory.
func (d *cliDir) read(name string) string {
	d.t.Helper()
	raw, err := os.ReadFile(filepath.Join(d.dir, name))
	if err != nil {
		d.t.Fatal(err)
	}
	return string(raw)
}

// ownerOnly checks that the file name of the working directory may be read
// and written by its owner alone, as a file that holds a secret must be.
func (d *cliDir) ownerOnly(name string) {
	d.t.Helper()
	info, err := os.Stat(filepath.Join(d.dir, name))
	if err != nil {
		d.t.Error(err)
		return
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		d.t.Errorf("%s has mode %v, want -rw------- (its owner alone may read it)", name, perm)
	}
}

// run runs the CLI in the working directory and fails unless it succeeds
// (for `plan -detailed-exitcode`: finds nothing to change).
func (d *cliDir) run(args ...string) string {
	d.t.Helper()
	out, code := d.runCode(args...)
	if code != 0 {
		d.t.Fatalf("%s %s exited with %d:\n%s", d.cli.Command(), strings.Join(args, " "), code, out)
	}
	return out
}

// runCode runs the CLI in the working directory and returns its output and
// exit code.
func (d *cliDir) runCode(args ...string) (string, int) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := d.cli.Run(ctx, tfcli.Options{Dir: d.dir}, args...)
	if err != nil {
		d.t.Fatalf("%s %s: %v\n%s", d.cli.Command(), strings.Join(args, " "), err, res.Output)
	}
	return res.Output, res.Code
}

// runTo runs the CLI as run does, with its standard output written to the
// file name of the working directory, as a shell's `> name` does.
func (d *cliDir) runTo(name string, args ...string) {
	d.t.Helper()
	f, err := os.Create(filepath.Join(d.dir, name))
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stderr strings.Builder
	res, err := d.cli.Run(ctx, tfcli.Options{Dir: d.dir, Stdout: f, Stderr: &stderr}, args...)
	if err != nil || res.Code != 0 {
		d.t.Fatalf("%s %s exited with %d (%v):\n%s", d.cli.Command(), strings.Join(args, " "), res.Code, err, stderr.String())
	}
}

// guideBlockPattern finds a fenced block of a guide's template by the
// `{{/* test:NAME */ -}}` comment before it, which the generated page leaves
// out.
var guideBlockPattern = regexp.MustCompile("(?s)\\{\\{/\\* test:([a-z0-9-]+) \\*/ -\\}\\}\n```[a-z]*\n(.*?)\n```")

// guideBlock is the block of the guide template at path marked test:name,
// so that a test runs what the page shows.
func guideBlock(t *testing.T, path, name string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, match := range guideBlockPattern.FindAllStringSubmatch(string(raw), -1) {
		if match[1] == name {
			return match[2]
		}
	}
	t.Fatalf("%s has no block marked test:%s", path, name)
	return ""
}
