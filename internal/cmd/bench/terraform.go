package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const (
	gitlabAddress = "registry.terraform.io/errortracking/gitlab"
	floorAddress  = "registry.terraform.io/errortracking/floor"
)

// bench is one run: its options, its working directory, what it started and
// what it measured.
type bench struct {
	opts  options
	sizes sizes
	start time.Time

	root      string // the repository
	work      string // the temporary working directory
	terraform string
	tfVersion string
	env       []string // terraform's environment, without the GitLab variables

	gitlab  map[layout]*fixture
	servers []*fixture // everything to close on exit

	rows     []row
	warnings []string
}

// row is one line of the result table.
type row struct {
	scenario, measured, floor, notes string
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(b.start).Seconds(), fmt.Sprintf(format, args...))
}

func (b *bench) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.warnings = append(b.warnings, msg)
	b.logf("WARNING: %s", msg)
}

// setUp finds the repository and terraform, builds both providers and writes
// the CLI configuration that makes terraform use them.
func (b *bench) setUp(ctx context.Context) error {
	var err error
	if b.root, err = repoRoot(ctx); err != nil {
		return err
	}
	b.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if b.terraform == "" {
		if b.terraform, err = exec.LookPath("terraform"); err != nil {
			return errors.New("no terraform on PATH (or TF_ACC_TERRAFORM_PATH): install terraform >= 1.7 first; the benchmark downloads nothing")
		}
	}
	if b.work, err = os.MkdirTemp("", "gitlab-provider-bench-"); err != nil {
		return err
	}
	plugins := filepath.Join(b.work, "plugins")
	if err := os.Mkdir(plugins, 0o755); err != nil {
		return err
	}
	cliConfig := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
    %q = %q
  }
  direct {}
}
`, gitlabAddress, plugins, floorAddress, plugins)
	cliConfigPath := filepath.Join(b.work, "terraformrc")
	if err := os.WriteFile(cliConfigPath, []byte(cliConfig), 0o644); err != nil {
		return err
	}
	b.env = cleanEnv(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfigPath,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)

	out, err := commandOutput(ctx, b.work, b.terraform, "version", "-json")
	if err != nil {
		return fmt.Errorf("terraform version: %w", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Version == "" {
		return fmt.Errorf("terraform version -json gave %q", out)
	}
	b.tfVersion = v.Version
	b.logf("terraform %s at %s; working directory %s", b.tfVersion, b.terraform, b.work)

	start := time.Now()
	for _, p := range []struct{ out, pkg string }{
		{"terraform-provider-gitlab", "."},
		{"terraform-provider-floor", "./internal/cmd/bench/floorprovider"},
	} {
		if _, err := commandOutput(ctx, b.root, "go", "build", "-o", filepath.Join(plugins, p.out), p.pkg); err != nil {
			return fmt.Errorf("go build %s: %w", p.pkg, err)
		}
	}
	b.logf("built the provider and the plugin floor in %s", time.Since(start).Round(100*time.Millisecond))
	return nil
}

// cleanUp stops every emulator and removes the working directory.
func (b *bench) cleanUp() {
	for _, f := range b.servers {
		f.close()
	}
	if b.work == "" {
		return
	}
	if b.opts.keep {
		b.logf("kept %s", b.work)
		return
	}
	if err := os.RemoveAll(b.work); err != nil {
		fmt.Fprintln(os.Stderr, "bench: cleaning up:", err)
	}
}

// cleanEnv is the environment without anything that changes what terraform
// or the provider does (TF_LOG, TF_CLI_ARGS, TF_DATA_DIR, TF_VAR_*, GITLAB_*
// ...), plus extra.
func cleanEnv(environ []string, extra ...string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "GITLAB_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// commandOutput runs a short command and returns its standard output; its
// standard error goes into the error.
func commandOutput(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w\n%s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// tfResult is a finished terraform command.
type tfResult struct {
	code int
	wall time.Duration
	// cpu is the user and system time of terraform and of the plugins it
	// started and waited for. On a machine shared with other work it varies
	// much less than the wall time, which includes waiting for a core.
	cpu    time.Duration
	output string
}

// tf runs terraform in dir and times it, start to exit. A non-zero exit code
// is not an error here; failing to run it, or an interruption, is.
func (b *bench) tf(ctx context.Context, dir string, env []string, args ...string) (tfResult, error) {
	cmd := exec.CommandContext(ctx, b.terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), b.env...), env...)
	var out bytes.Buffer
	var w io.Writer = &out
	if b.opts.verbose {
		w = io.MultiWriter(&out, os.Stderr)
	}
	cmd.Stdout, cmd.Stderr = w, w
	ownProcessGroup(cmd)
	// A plugin that outlives terraform must not keep Wait blocked on the
	// output pipe; after an interruption terraform gets this long to stop.
	cmd.WaitDelay = 10 * time.Second

	start := time.Now()
	err := cmd.Start()
	if err != nil {
		return tfResult{}, err
	}
	err = cmd.Wait()
	wall := time.Since(start)
	killProcessGroup(cmd)
	if ctx.Err() != nil {
		return tfResult{}, ctx.Err()
	}
	res := tfResult{wall: wall, output: out.String()}
	if ps := cmd.ProcessState; ps != nil {
		res.cpu = ps.UserTime() + ps.SystemTime()
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	default:
		return res, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	return res, nil
}

// apply runs `terraform apply` and fails unless it succeeds.
func (b *bench) apply(ctx context.Context, dir string, env []string) (tfResult, error) {
	res, err := b.tf(ctx, dir, env, "apply", "-auto-approve", "-input=false", "-no-color",
		fmt.Sprintf("-parallelism=%d", parallelism))
	if err != nil {
		return res, err
	}
	if res.code != 0 {
		return res, commandFailed("terraform apply", dir, res)
	}
	return res, nil
}

// plan runs `terraform plan -refresh=true -detailed-exitcode`. A plan that
// wants changes is still timed, with a warning: the state was built to match
// the configuration, so it means the provider sees a difference where there
// is none.
func (b *bench) plan(ctx context.Context, f *fixture) (tfResult, error) {
	res, err := b.tf(ctx, f.dir, f.env, "plan", "-refresh=true", "-input=false", "-no-color", "-detailed-exitcode",
		fmt.Sprintf("-parallelism=%d", parallelism))
	if err != nil {
		return tfResult{}, err
	}
	switch res.code {
	case 0:
	case 2:
		if !f.warnedDiff {
			f.warnedDiff = true
			b.warnf("the plan of %s is not empty although the state matches the configuration:\n%s", f.name, planSummary(res.output))
		}
	default:
		return tfResult{}, commandFailed("terraform plan", f.dir, res)
	}
	return res, nil
}

func commandFailed(what, dir string, res tfResult) error {
	return fmt.Errorf("%s in %s exited with %d:\n%s", what, dir, res.code, tail(res.output, 60))
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// planSummary is the first planned changes of a plan's output and its
// "Plan:" line.
func planSummary(out string) string {
	var picked []string
	changes := 0
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "# ") && changes < 5:
			changes++
			picked = append(picked, "  "+t)
		case strings.HasPrefix(t, "Plan:"), strings.HasPrefix(t, "Warning:"):
			picked = append(picked, "  "+t)
		}
	}
	if len(picked) == 0 {
		return tail(out, 20)
	}
	return strings.Join(picked, "\n")
}
