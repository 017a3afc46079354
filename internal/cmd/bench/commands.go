package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// tf runs the bench's terraform in dir, with env added to its environment,
// and times it, start to exit. A non-zero exit code is not an error here;
// failing to run it, or an interruption, is.
func (b *bench) tf(ctx context.Context, dir string, env []string, args ...string) (tfcli.Result, error) {
	return b.run(ctx, b.cli, dir, env, args...)
}

// run is tf with another CLI; with -v it echoes what the CLI prints.
func (b *bench) run(ctx context.Context, cli *tfcli.CLI, dir string, env []string, args ...string) (tfcli.Result, error) {
	opts := tfcli.Options{Dir: dir, Env: env}
	if b.opts.verbose {
		opts.Echo = os.Stderr
	}
	return cli.Run(ctx, opts, args...)
}

// apply runs `terraform apply` and fails unless it succeeds.
func (b *bench) apply(ctx context.Context, dir string, env []string) (tfcli.Result, error) {
	res, err := b.tf(ctx, dir, env, "apply", "-auto-approve", "-input=false", "-no-color",
		fmt.Sprintf("-parallelism=%d", parallelism))
	if err != nil {
		return res, err
	}
	if res.Code != 0 {
		return res, commandFailed(b.cli.Command()+" apply", dir, res)
	}
	return res, nil
}

// plan runs `terraform plan -refresh=true -detailed-exitcode`. A plan that
// wants changes is still timed, with a warning: the state was built to match
// the configuration, so it means the provider sees a difference where there
// is none.
func (b *bench) plan(ctx context.Context, f *fixture) (tfcli.Result, error) {
	res, err := b.tf(ctx, f.dir, f.env, "plan", "-refresh=true", "-input=false", "-no-color", "-detailed-exitcode",
		fmt.Sprintf("-parallelism=%d", parallelism))
	if err != nil {
		return tfcli.Result{}, err
	}
	switch res.Code {
	case 0:
	case 2:
		if !f.warnedDiff {
			f.warnedDiff = true
			b.warnf("the plan of %s is not empty although the state matches the configuration:\n%s", f.name, planSummary(res.Output))
		}
	default:
		return tfcli.Result{}, commandFailed(b.cli.Command()+" plan", f.dir, res)
	}
	return res, nil
}

func commandFailed(what, dir string, res tfcli.Result) error {
	return fmt.Errorf("%s in %s exited with %d:\n%s", what, dir, res.Code, tail(res.Output, 60))
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
