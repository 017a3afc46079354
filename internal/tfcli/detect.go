// Package tfcli runs the Terraform or OpenTofu CLI for the repository's
// programs (the demo, the benchmark, the docs generator): it tells which CLI
// a binary is, writes the CLI configuration that points it at locally built
// providers, and runs it in a process group of its own.
package tfcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// The products Detect reports.
const (
	Terraform = "terraform"
	OpenTofu  = "opentofu"
)

// Info is what a CLI binary is.
type Info struct {
	Path    string // absolute
	Product string // Terraform or OpenTofu
	Version Version
}

// String is how the CLI names itself: "Terraform v1.11.4", "OpenTofu v1.12.6".
func (i Info) String() string {
	return i.Name() + " v" + i.Version.String()
}

// Name is the product's name as written in prose: "Terraform" or "OpenTofu".
func (i Info) Name() string {
	if i.Product == OpenTofu {
		return "OpenTofu"
	}
	return "Terraform"
}

// Command is the product's command as users type it: "terraform" or
// "tofu", for messages such as "run `tofu plan`".
func (i Info) Command() string {
	if i.Product == OpenTofu {
		return "tofu"
	}
	return "terraform"
}

// Registry is the host the CLI reads a provider source without one
// ("errortracking/gitlab") as an address on: "registry.terraform.io" or
// "registry.opentofu.org".
func (i Info) Registry() string {
	if i.Product == OpenTofu {
		return openTofuRegistry
	}
	return terraformRegistry
}

// AtLeast reports whether the CLI is at least terraformMin when it is
// Terraform, or at least opentofuMin when it is OpenTofu; the two products
// number their releases independently. An empty minimum means no release of
// that product qualifies; a minimum that is not a version (such as "1.x")
// qualifies nothing either.
func (i Info) AtLeast(terraformMin, opentofuMin string) bool {
	minimum := terraformMin
	if i.Product == OpenTofu {
		minimum = opentofuMin
	}
	v, err := ParseVersion(minimum)
	if err != nil {
		return false
	}
	return i.Version.Compare(v) >= 0
}

// Require is nil when the CLI is at least terraformMin or opentofuMin (see
// AtLeast), and otherwise an error that says which CLIs qualify.
func (i Info) Require(terraformMin, opentofuMin string) error {
	if i.AtLeast(terraformMin, opentofuMin) {
		return nil
	}
	var w []string
	if terraformMin != "" {
		w = append(w, "Terraform "+terraformMin)
	}
	if opentofuMin != "" {
		w = append(w, "OpenTofu "+opentofuMin)
	}
	if len(w) == 0 {
		return fmt.Errorf("%s at %s does not qualify: no CLI was asked for", i, i.Path)
	}
	return fmt.Errorf("%s at %s does not qualify: it takes %s or later", i, i.Path, strings.Join(w, " or "))
}

// versionLine is the line `terraform version` and `tofu version` start their
// answer with. A warning about the CLI configuration can come before it, on
// the same output.
var versionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)\s*$`)

// Detect runs `<path> version` and reads which CLI it is and its version. It
// runs it with an empty CLI configuration of its own, so that the caller's
// (TF_CLI_CONFIG_FILE, ~/.terraformrc) does not matter, and without
// TF_* variables that would change what it prints.
func Detect(ctx context.Context, path string) (Info, error) {
	// A name without a slash is looked up on PATH; a relative path is made
	// absolute, so that it still names the CLI when run in another directory.
	found, err := exec.LookPath(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Info{}, &notExistError{path: path, err: err}
	case errors.Is(err, exec.ErrNotFound) && !strings.ContainsRune(path, filepath.Separator):
		return Info{}, fmt.Errorf("%s is not on PATH", path)
	case err != nil:
		return Info{}, fmt.Errorf("%s cannot be run: %w", path, err)
	}
	if path, err = filepath.Abs(found); err != nil {
		return Info{}, err
	}
	dir, err := os.MkdirTemp("", "tfcli-detect-")
	if err != nil {
		return Info{}, err
	}
	defer os.RemoveAll(dir)
	config := filepath.Join(dir, "empty.tfrc")
	if err := os.WriteFile(config, nil, 0o644); err != nil {
		return Info{}, err
	}

	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Dir = dir
	cmd.Env = Env(os.Environ(), config)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Info{}, fmt.Errorf("%s version: %w%s", path, err, indented(stderr.String()))
	}
	m := versionLine.FindStringSubmatch(stdout.String())
	if m == nil {
		return Info{}, fmt.Errorf("%s version printed no \"Terraform vX.Y.Z\" or \"OpenTofu vX.Y.Z\" line; it is neither Terraform nor OpenTofu:%s",
			path, indented(stdout.String()+stderr.String()))
	}
	v, err := ParseVersion(m[2])
	if err != nil {
		return Info{}, fmt.Errorf("%s version: %w", path, err)
	}
	info := Info{Path: path, Product: Terraform, Version: v}
	if m[1] == "OpenTofu" {
		info.Product = OpenTofu
	}
	return info, nil
}

// notExistError is Detect's error for a path where there is no file: it
// says only that, and errors.Is(err, fs.ErrNotExist) holds, so that a caller
// can tell this case apart and say more.
type notExistError struct {
	path string
	err  error
}

func (e *notExistError) Error() string { return e.path + " does not exist" }
func (e *notExistError) Unwrap() error { return e.err }

// Env is environ without anything that changes what the CLI or a provider
// does (TF_LOG, TF_CLI_ARGS, TF_DATA_DIR, TF_VAR_*, TF_CLI_CONFIG_FILE,
// GITLAB_* ...), with the CLI configuration file cliConfig, no update check,
// no prompts, and then extra.
func Env(environ []string, cliConfig string, extra ...string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "GITLAB_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
	return append(env, extra...)
}

// indented is s on lines of its own, indented, or nothing when s is blank.
func indented(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return "\n  " + strings.ReplaceAll(s, "\n", "\n  ")
}
