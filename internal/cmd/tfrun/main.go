// Command tfrun is internal/tfcli for shell scripts (tools/docs.sh): it
// writes the CLI configuration that points Terraform and OpenTofu at locally
// built providers, tells which CLI a binary is, and runs it.
//
//	tfrun cliconfig FILE SOURCE=DIR...
//	    Write to FILE a CLI configuration whose dev_overrides make both
//	    Terraform and OpenTofu take each provider SOURCE (namespace/name,
//	    such as errortracking/gitlab) from the directory DIR, with no `init`.
//
//	tfrun check [-terraform MIN] [-opentofu MIN] CLI
//	    Print what CLI is ("Terraform v1.15.9"). Exit 1, saying why, when it
//	    is missing, is neither Terraform nor OpenTofu, or is older than MIN
//	    for its product; a product with no MIN does not qualify.
//
//	tfrun exec -config FILE CLI ARGS...
//	    Run CLI ARGS with the CLI configuration FILE and an environment that
//	    the caller's TF_* settings do not change, in a process group of its
//	    own; exit with its exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  tfrun cliconfig FILE SOURCE=DIR...
  tfrun check [-terraform MIN] [-opentofu MIN] CLI
  tfrun exec -config FILE CLI ARGS...`

// errUsage marks a command line tfrun does not understand: it prints the
// usage and exits with 2.
var errUsage = errors.New("see the usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	var code int
	var err error
	switch args[0] {
	case "cliconfig":
		err = cliConfig(args[1:])
	case "check":
		err = check(ctx, args[1:], stdout)
	case "exec":
		code, err = execCLI(ctx, args[1:], stdout, stderr)
	default:
		err = fmt.Errorf("unknown command %q: %w", args[0], errUsage)
	}
	switch {
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "tfrun: %v\n%s\n", err, usage)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "tfrun:", err)
		return 1
	}
	return code
}

func cliConfig(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("cliconfig needs a file and at least one SOURCE=DIR: %w", errUsage)
	}
	var overrides []tfcli.Override
	for _, a := range args[1:] {
		source, dir, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q is not SOURCE=DIR, such as errortracking/gitlab=/tmp/bin: %w", a, errUsage)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		overrides = append(overrides, tfcli.Override{Source: source, Dir: abs})
	}
	return tfcli.WriteCLIConfig(args[0], overrides...)
}

func check(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	minTerraform := fs.String("terraform", "", "the oldest Terraform that qualifies; empty: none")
	minOpenTofu := fs.String("opentofu", "", "the oldest OpenTofu that qualifies; empty: none")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return fmt.Errorf("check needs one CLI: %w", errUsage)
	}
	for _, v := range []string{*minTerraform, *minOpenTofu} {
		if _, err := tfcli.ParseVersion(v); v != "" && err != nil {
			return fmt.Errorf("check: %w: %w", err, errUsage)
		}
	}
	info, err := tfcli.Detect(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := info.Require(*minTerraform, *minOpenTofu); err != nil {
		return err
	}
	fmt.Fprintln(stdout, info)
	return nil
}

func execCLI(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	config := fs.String("config", "", "the CLI configuration file")
	if err := fs.Parse(args); err != nil || *config == "" || fs.NArg() < 1 {
		return 0, fmt.Errorf("exec needs -config FILE and a CLI: %w", errUsage)
	}
	abs, err := filepath.Abs(*config)
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(abs); err != nil {
		return 0, fmt.Errorf("the CLI configuration: %w", err)
	}
	cli, err := tfcli.New(ctx, fs.Arg(0), abs)
	if err != nil {
		return 0, err
	}
	res, err := cli.Run(ctx, tfcli.Options{Stdout: stdout, Stderr: stderr}, fs.Args()[1:]...)
	if err != nil {
		return 0, err
	}
	return res.Code, nil
}
