package tfcli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildProvider builds the Go package pkg (an import path, or a directory
// relative to the current one) into the binary out, for a dev_overrides
// directory: out's name must be terraform-provider-<type name>. It runs
// `go build` from the current directory, which must be inside the module.
func BuildProvider(ctx context.Context, pkg, out string) error {
	if !strings.HasPrefix(filepath.Base(out), "terraform-provider-") {
		return fmt.Errorf("provider binary %q: the CLI only runs a dev_overrides binary named terraform-provider-<name>", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -o %s %s: %w%s", out, pkg, err, indented(string(output)))
	}
	return nil
}
