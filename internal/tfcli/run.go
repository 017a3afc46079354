package tfcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// CLI is a Terraform or OpenTofu binary and the environment it runs in.
type CLI struct {
	Info
	// Env is the environment of every command: see Info.CLI.
	Env []string
	// Grace is how long a command interrupted by its context has to stop
	// cleanly before its process group is killed.
	Grace time.Duration
}

// New detects the CLI at path (see Detect) and prepares it to run (see
// Info.CLI).
func New(ctx context.Context, path, cliConfig string, extra ...string) (*CLI, error) {
	info, err := Detect(ctx, path)
	if err != nil {
		return nil, err
	}
	return info.CLI(cliConfig, extra...), nil
}

// CLI prepares the CLI that Detect found to run with the CLI configuration
// file cliConfig (see WriteCLIConfig) and the caller's environment cleaned
// by Env, plus extra. No command needs `init` for the providers cliConfig
// overrides. It runs nothing.
func (i Info) CLI(cliConfig string, extra ...string) *CLI {
	return &CLI{Info: i, Env: Env(os.Environ(), cliConfig, extra...), Grace: 10 * time.Second}
}

// Find is the CLI the repository's programs run when the user names none:
// TF_ACC_TERRAFORM_PATH (what the acceptance tests run), else terraform on
// PATH.
func Find() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("no terraform on PATH (or TF_ACC_TERRAFORM_PATH); nothing is downloaded")
	}
	return p, nil
}

// Want is the CLI one of the repository's programs (the demo, the
// benchmark) runs: the one the user named with -cli, else Find's, of at
// least the releases the program supports.
type Want struct {
	Path                      string // as given with -cli; empty: Find
	MinTerraform, MinOpenTofu string // see Info.Require
}

// New writes the CLI configuration file cliConfig with overrides (see
// WriteCLIConfig) and returns the CLI that runs with it (see New).
func (w Want) New(ctx context.Context, cliConfig string, overrides ...Override) (*CLI, error) {
	path := w.Path
	if path == "" {
		var err error
		if path, err = Find(); err != nil {
			return nil, fmt.Errorf("%w: install Terraform %s or OpenTofu %s or later, or name one with -cli", err, w.MinTerraform, w.MinOpenTofu)
		}
	}
	if err := WriteCLIConfig(cliConfig, overrides...); err != nil {
		return nil, err
	}
	c, err := New(ctx, path, cliConfig)
	if err != nil {
		return nil, err
	}
	if err := c.Require(w.MinTerraform, w.MinOpenTofu); err != nil {
		return nil, err
	}
	return c, nil
}

// Options are where and how one command runs.
type Options struct {
	Dir string   // the working directory
	Env []string // added to the CLI's environment
	// Echo, when set, also gets the output as it comes.
	Echo io.Writer
	// Stdout and Stderr, when set, get the output instead of Result.Output.
	Stdout, Stderr io.Writer
}

// Result is a finished command.
type Result struct {
	Code   int    // the exit code
	Output string // standard output and error, interleaved
	Wall   time.Duration
	// CPU is the user and system time of the CLI and of the plugins it
	// started and waited for.
	CPU time.Duration
}

// Run runs the CLI with args, in a process group of its own, and waits for
// it. A non-zero exit code is a Result, not an error; failing to start is an
// error, and so is the context ending: the group gets Ctrl-C, then after
// Grace is killed, and the error is the context's. Whatever the command
// leaves behind in its group is killed once it exits.
func (c *CLI) Run(ctx context.Context, opts Options, args ...string) (Result, error) {
	cmd := exec.Command(c.Path, args...)
	cmd.Dir = opts.Dir
	cmd.Env = append(append([]string(nil), c.Env...), opts.Env...)
	var out bytes.Buffer
	var w io.Writer = &out
	if opts.Echo != nil {
		w = io.MultiWriter(&out, opts.Echo)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if opts.Stdout != nil {
		cmd.Stdout = opts.Stdout
	}
	if opts.Stderr != nil {
		cmd.Stderr = opts.Stderr
	}

	start := time.Now()
	p, err := Start(cmd)
	if err != nil {
		return Result{}, fmt.Errorf("%s %s: %w", c.Command(), strings.Join(args, " "), err)
	}
	select {
	case <-p.Done():
	case <-ctx.Done():
		p.Interrupt(c.Grace)
		return Result{Output: out.String()}, ctx.Err()
	}
	res := Result{Wall: time.Since(start)}
	p.Kill()
	res.Output = out.String()
	if ps := p.State(); ps != nil {
		res.CPU = ps.UserTime() + ps.SystemTime()
	}
	var exit *exec.ExitError
	switch err := p.Err(); {
	case err == nil:
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
	default:
		return res, fmt.Errorf("%s %s: %w", c.Command(), strings.Join(args, " "), err)
	}
	return res, nil
}
