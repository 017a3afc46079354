package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// setUp decides between the emulator and a real GitLab, and prepares the
// working directory: the configuration and a CLI configuration that makes
// terraform use the provider built by this run.
func (d *demo) setUp(ctx context.Context) error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	d.root = filepath.Dir(strings.TrimSpace(string(out)))
	if _, err := os.Stat(filepath.Join(d.root, "examples", "demo", "main.tf")); err != nil {
		return fmt.Errorf("run the demo from the repository (make demo): %w", err)
	}

	path := d.cliPath
	if path == "" {
		if path, err = tfcli.Find(); err != nil {
			return fmt.Errorf("%w: install terraform >= %s first, or name a Terraform or OpenTofu with -cli", err, minTerraform)
		}
	}

	d.webProject = envOr("TF_VAR_web_project", defaultWebProject)
	d.apiProject = envOr("TF_VAR_api_project", defaultAPIProject)
	baseURL, token := os.Getenv("GITLAB_BASE_URL"), os.Getenv("GITLAB_TOKEN")
	if baseURL != "" && token != "" {
		if os.Getenv("TF_VAR_web_project") == "" || os.Getenv("TF_VAR_api_project") == "" {
			return errors.New("GITLAB_BASE_URL and GITLAB_TOKEN are set, so the demo would run against that GitLab: " +
				"also set TF_VAR_web_project and TF_VAR_api_project to two projects you maintain (see README.md), " +
				"or unset GITLAB_BASE_URL to use the emulator")
		}
		d.real, d.baseURL, d.token = true, apiRoot(baseURL), token
	} else {
		d.token = emulatorToken
	}

	if d.work, err = os.MkdirTemp("", "gitlab-error-tracking-demo-"); err != nil {
		return err
	}
	for _, dir := range []string{"bin", "config"} {
		if err := os.Mkdir(filepath.Join(d.work, dir), 0o755); err != nil {
			return err
		}
	}
	files, err := filepath.Glob(filepath.Join(d.root, "examples", "demo", "*.tf"))
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d.work, "config", filepath.Base(f)), b, 0o644); err != nil {
			return err
		}
	}
	cliConfig := filepath.Join(d.work, "terraformrc")
	if err := tfcli.WriteCLIConfig(cliConfig, tfcli.Override{Source: providerSource, Dir: filepath.Join(d.work, "bin")}); err != nil {
		return err
	}
	if d.cli, err = tfcli.New(ctx, path, cliConfig); err != nil {
		return err
	}
	d.cli.Grace = 15 * time.Second
	if !d.cli.AtLeast(minTerraform, minOpenTofu) {
		return fmt.Errorf("%s at %s is too old: the demo needs Terraform %s or OpenTofu %s or later", d.cli, path, minTerraform, minOpenTofu)
	}
	return nil
}

// cleanUp stops the emulator and removes the working directory.
func (d *demo) cleanUp() {
	if d.emulator != nil {
		d.emulator.Stop(5 * time.Second)
	}
	if d.work == "" {
		return
	}
	if d.keep {
		fmt.Println("Kept", d.work)
		return
	}
	if err := os.RemoveAll(d.work); err != nil {
		fmt.Fprintln(os.Stderr, "demo: cleaning up:", err)
	}
}

func (d *demo) build(ctx context.Context) error {
	start := time.Now()
	if err := d.goBuild(ctx, filepath.Join(d.work, "bin", "terraform-provider-gitlab"), "."); err != nil {
		return err
	}
	if !d.real {
		if err := d.goBuild(ctx, filepath.Join(d.work, "bin", "gitlab-emulator"), "./internal/cmd/gitlab-emulator"); err != nil {
			return err
		}
	}
	fmt.Printf("    built in %s; %s will use it through dev_overrides (so no %s init)\n",
		time.Since(start).Round(100*time.Millisecond), d.cli, d.cli.Command())
	return nil
}

func (d *demo) goBuild(ctx context.Context, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = d.root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	return nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
