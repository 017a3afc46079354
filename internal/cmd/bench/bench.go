package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// bench is one run: its options, its working directory, what it started and
// what it measured.
type bench struct {
	opts  options
	sizes sizes
	start time.Time

	root string     // the repository
	work string     // the temporary working directory
	cli  *tfcli.CLI // terraform, with an environment without the GitLab variables

	gitlab  map[layout]*fixture
	servers []*fixture // everything to close on exit

	rows     []row
	warnings []string
}

// row is one line of the result table.
type row struct {
	scenario, measured, floor, notes string
}

// The CLI versions the bench's configurations need: import blocks with
// for_each.
const (
	minTerraform = "1.7"
	minOpenTofu  = "1.7"
)

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
	if b.work, err = os.MkdirTemp("", "gitlab-provider-bench-"); err != nil {
		return err
	}
	plugins := filepath.Join(b.work, "plugins")
	b.cli, err = tfcli.Want{Path: b.opts.cli, MinTerraform: minTerraform, MinOpenTofu: minOpenTofu}.New(ctx,
		b.cliConfig(),
		tfcli.Override{Source: "errortracking/gitlab", Dir: plugins},
		tfcli.Override{Source: "errortracking/floor", Dir: plugins},
	)
	if err != nil {
		return err
	}
	b.logf("%s at %s; working directory %s", b.cli, b.cli.Path, b.work)

	start := time.Now()
	for _, p := range []struct{ out, pkg string }{
		{"terraform-provider-gitlab", b.root},
		{"terraform-provider-floor", filepath.Join(b.root, "internal", "cmd", "bench", "floorprovider")},
	} {
		if err := tfcli.BuildProvider(ctx, p.pkg, filepath.Join(plugins, p.out)); err != nil {
			return err
		}
	}
	b.logf("built the provider and the plugin floor in %s", time.Since(start).Round(100*time.Millisecond))
	return nil
}

// cliConfig is the CLI configuration file every CLI of the bench runs with:
// it overrides both providers with the ones setUp builds.
func (b *bench) cliConfig() string {
	return filepath.Join(b.work, "terraformrc")
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
