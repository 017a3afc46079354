package acctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

var cli struct {
	once sync.Once
	info tfcli.Info
	err  error
}

// CLI is the Terraform or OpenTofu binary the acceptance tests run:
// TF_ACC_TERRAFORM_PATH, else terraform on PATH, else tofu on PATH. It is
// found and asked for its version once per test process, and the process's
// environment is set up for it (see PreCheck). CLI fails t when there is
// none. Without TF_ACC it skips t, as resource.Test would: only acceptance
// tests run a CLI, and they run only when asked for.
func CLI(t testing.TB) tfcli.Info {
	t.Helper()
	skipWithoutAcc(t)
	cli.once.Do(func() { cli.info, cli.err = setUpCLI() })
	if cli.err != nil {
		t.Fatal(cli.err)
	}
	return cli.info
}

func setUpCLI() (tfcli.Info, error) {
	path, err := tfcli.Find()
	if err != nil {
		if path, err = exec.LookPath("tofu"); err != nil {
			return tfcli.Info{}, errors.New("acceptance tests need a terraform binary (Terraform 1.5 or later, or OpenTofu), " +
				"and none was found on PATH: install one or set TF_ACC_TERRAFORM_PATH to the binary (nothing is downloaded)")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	info, err := tfcli.Detect(ctx, path)
	switch {
	case err != nil && os.Getenv("TF_ACC_TERRAFORM_PATH") != "":
		return tfcli.Info{}, fmt.Errorf("TF_ACC_TERRAFORM_PATH is %q, which acceptance tests cannot use: %w", path, err)
	case err != nil:
		return tfcli.Info{}, fmt.Errorf("acceptance tests cannot use %s: %w", path, err)
	}
	for name, value := range map[string]string{
		"TF_ACC_TERRAFORM_PATH": path,
		// terraform-plugin-testing serves the provider under this address,
		// the one the terraform block of every Config names, on the
		// registry the CLI reads that source as an address on.
		"TF_ACC_PROVIDER_NAMESPACE": ProviderNamespace,
		"TF_ACC_PROVIDER_HOST":      info.Registry(),
		// An empty CLI configuration: the caller's may point at a file that
		// does not exist, after which OpenTofu prints a warning where
		// terraform-plugin-testing reads the version, or may override or
		// mirror providers.
		"TF_CLI_CONFIG_FILE": os.DevNull,
		"CHECKPOINT_DISABLE": "1",
	} {
		if err := os.Setenv(name, value); err != nil {
			return tfcli.Info{}, err
		}
	}
	return info, nil
}
