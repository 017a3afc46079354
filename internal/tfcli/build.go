package tfcli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildProvider builds the Go package pkg (see GoBuild) into the binary
// out, for a dev_overrides directory: out's name must be
// terraform-provider-<type name>.
func BuildProvider(ctx context.Context, pkg, out string) error {
	if !strings.HasPrefix(filepath.Base(out), "terraform-provider-") {
		return fmt.Errorf("provider binary %q: the CLI only runs a dev_overrides binary named terraform-provider-<name>", out)
	}
	return GoBuild(ctx, pkg, out)
}

// GoBuild builds the Go package pkg (an import path, or a directory) into
// the binary out, creating out's directory. It runs `go build` from the
// current directory, which must be inside the module.
func GoBuild(ctx context.Context, pkg, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -o %s %s: %w%s", out, pkg, err, indented(string(output)))
	}
	return nil
}

// ModuleRoot is the directory of the go.mod of the module the current
// directory is in.
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("the current directory is in no Go module")
	}
	return filepath.Dir(mod), nil
}
