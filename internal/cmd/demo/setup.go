package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// setUp decides between the emulator and a real GitLab, and prepares the
// working directory: the configuration and a CLI configuration that makes
// terraform use the provider built by this run.
func (d *demo) setUp(ctx context.Context) error {
	var err error
	if d.root, err = tfcli.ModuleRoot(ctx); err == nil {
		_, err = os.Stat(filepath.Join(d.root, "examples", "demo", "main.tf"))
	}
	if err != nil {
		return fmt.Errorf("run the demo from the repository (make demo): %w", err)
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
	d.cli, err = tfcli.Want{Path: d.cliPath, MinTerraform: minTerraform, MinOpenTofu: minOpenTofu}.New(ctx,
		filepath.Join(d.work, "terraformrc"), tfcli.Override{Source: providerSource, Dir: filepath.Join(d.work, "bin")})
	if err != nil {
		return err
	}
	d.cli.Grace = 15 * time.Second
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
	if err := tfcli.BuildProvider(ctx, d.root, filepath.Join(d.work, "bin", "terraform-provider-gitlab")); err != nil {
		return err
	}
	if !d.real {
		if err := tfcli.GoBuild(ctx, filepath.Join(d.root, "internal", "cmd", "gitlab-emulator"), filepath.Join(d.work, "bin", "gitlab-emulator")); err != nil {
			return err
		}
	}
	fmt.Printf("    built in %s; %s will use it through dev_overrides (so no %s init)\n",
		time.Since(start).Round(100*time.Millisecond), d.cli, d.cli.Command())
	return nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
