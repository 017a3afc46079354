package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

func (d *demo) startEmulator(ctx context.Context) error {
	addrFile := filepath.Join(d.work, "emulator.url")
	logPath := filepath.Join(d.work, "emulator.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(d.work, "bin", "gitlab-emulator"),
		"-listen", "127.0.0.1:0",
		"-token", emulatorToken,
		"-seed", d.webProject+","+d.apiProject,
		"-addr-file", addrFile,
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	d.emulator, err = tfcli.Start(cmd)
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}

	// The emulator writes the file (atomically) once it accepts connections.
	deadline := time.NewTimer(15 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(addrFile); err == nil && len(bytes.TrimSpace(b)) > 0 {
			d.baseURL = strings.TrimSpace(string(b))
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.emulator.Done():
			b, _ := os.ReadFile(logPath)
			return fmt.Errorf("the emulator exited before listening:\n%s", b)
		case <-deadline.C:
			return errors.New("the emulator did not write its address within 15s")
		case <-tick.C:
		}
	}
	fmt.Printf("    GitLab API at %s (token %s)\n", d.baseURL, emulatorToken)

	// Project 2 was set up by hand before Terraform came along: Sentry mode.
	settings := map[string]any{
		"active":       true,
		"integrated":   false,
		"api_url":      "https://sentry.example.com/api/0/projects/acme/api/",
		"project_name": "api",
		"sentry_token": "sentry-demo-token",
	}
	if err := d.admin(ctx, http.MethodPut, "projects/"+url.PathEscape(d.apiProject)+"/settings", settings, nil); err != nil {
		return err
	}
	fmt.Printf("    %s: error tracking already set up in the UI (Sentry, active)\n", d.apiProject)
	return nil
}

// admin calls the emulator's unauthenticated /-/emulator/ routes, which
// change its world the way GitLab's UI would.
func (d *demo) admin(ctx context.Context, method, path string, body, into any) error {
	u := strings.TrimSuffix(d.baseURL, "api/v4/") + "-/emulator/" + path
	return doJSON(ctx, method, u, nil, body, into)
}
