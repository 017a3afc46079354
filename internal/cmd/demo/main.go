// Command demo is what `make demo` runs: the provider managing error tracking
// with a real terraform, and catching drift.
//
// By default it needs no GitLab: it builds the provider and the in-repo
// GitLab emulator, starts the emulator on a free loopback port, points
// terraform at the freshly built provider through a throwaway CLI
// configuration (dev_overrides, so no `terraform init` and no registry), and
// applies examples/demo. It then changes the projects behind Terraform's back,
// as someone would in GitLab's UI, and shows that
// `terraform plan -detailed-exitcode` finds it and `terraform apply` repairs it.
//
// With GITLAB_BASE_URL, GITLAB_TOKEN, TF_VAR_web_project and TF_VAR_api_project
// set, it runs against that GitLab instead (see README.md): no emulator, drift
// only with -drift (made through GitLab's REST API), and a
// `terraform destroy` at the end unless -keep.
//
// It runs the terraform on PATH (or at TF_ACC_TERRAFORM_PATH); -cli names
// another Terraform or OpenTofu binary (`make demo TF=/path/to/tofu`).
//
// Everything it starts is stopped and every temporary file removed on
// success, on failure and on Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

const (
	defaultWebProject = "demo/web-app"
	defaultAPIProject = "demo/platform/api"
	emulatorToken     = "glpat-emulator-root-token"
	providerSource    = "errortracking/gitlab"

	// examples/demo imports with a variable as the ID: import blocks take
	// expressions from Terraform 1.6 on, and OpenTofu 1.6 has them.
	minTerraform = "1.6"
	minOpenTofu  = "1.6"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// demo is one run: its options, its temporary directory, and what it started.
type demo struct {
	keep    bool // keep the working directory (and, on a real GitLab, the resources)
	drift   bool // simulate drift on a real GitLab through its API
	verbose bool // show terraform's whole output

	cliPath string     // the CLI asked for with -cli; empty for the default
	root    string     // the repository
	work    string     // the temporary directory
	cli     *tfcli.CLI // terraform or tofu, with the CLI configuration of the run

	real       bool
	baseURL    string // the API root, ending in /api/v4/
	token      string
	webProject string
	apiProject string

	emulator *tfcli.Process
	outputs  map[string]string
}

func run(ctx context.Context, args []string) int {
	d := &demo{}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.BoolVar(&d.keep, "keep", false, "keep the working directory (configuration, state, emulator log); on a real GitLab also skip `terraform destroy`")
	fs.BoolVar(&d.drift, "drift", false, "on a real GitLab: also switch project 1's error tracking off and delete one of its keys through the API, then repair it")
	fs.BoolVar(&d.verbose, "v", false, "show terraform's whole output")
	fs.StringVar(&d.cliPath, "cli", "", "the Terraform or OpenTofu binary to run (default: TF_ACC_TERRAFORM_PATH, else terraform on PATH)")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	err := d.setUp(ctx)
	defer d.cleanUp()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}

	steps := d.steps()
	start := time.Now()
	if d.real {
		fmt.Printf("Demo against the GitLab at %s, projects %s and %s.\n", d.baseURL, d.webProject, d.apiProject)
	} else {
		fmt.Println("Demo against an in-memory GitLab (the repository's emulator); no GitLab account needed.")
	}
	for i, s := range steps {
		fmt.Printf("\n==> [%d/%d] %s\n", i+1, len(steps), s.title)
		if err := s.run(ctx); err != nil {
			if ctx.Err() != nil {
				fmt.Println("\nInterrupted; cleaning up.")
				return 130
			}
			fmt.Printf("\nFAILED: %v\n", err)
			return 1
		}
	}
	fmt.Printf("\nDone in %s.\n", time.Since(start).Round(time.Second))
	return 0
}

type step struct {
	title string
	run   func(context.Context) error
}

func (d *demo) steps() []step {
	tf := d.cli.Command()
	steps := []step{{"Build the provider", d.build}}
	if d.real {
		steps = append(steps, step{"Use the GitLab at " + d.baseURL, d.checkRealProjects})
	} else {
		steps = append(steps, step{"Start the GitLab emulator with projects " + d.webProject + " and " + d.apiProject, d.startEmulator})
	}
	steps = append(steps,
		step{tf + " apply: switch on error tracking, create two keys, import " + d.apiProject, d.apply},
		step{tf + " plan -detailed-exitcode", d.planExpect(0)},
	)
	if !d.real || d.drift {
		where := "in GitLab's UI"
		if d.real {
			where = "through GitLab's API"
		}
		steps = append(steps,
			step{"Meanwhile, " + where + ": switch error tracking off and delete a key of " + d.webProject, d.makeDrift},
			step{tf + " plan -detailed-exitcode", d.planExpect(2)},
			step{tf + " apply: repair", d.repair},
			step{tf + " plan -detailed-exitcode", d.planExpect(0)},
		)
	}
	if d.real && !d.keep {
		steps = append(steps, step{tf + " destroy: delete the keys, switch " + d.webProject + " off, leave " + d.apiProject + " as it was", d.destroy})
	}
	return steps
}
