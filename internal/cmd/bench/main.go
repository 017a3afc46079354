// Command bench is what `make bench` runs: it measures what a `terraform plan`
// and a `terraform apply` cost with this provider, in GitLab API requests and
// in wall time, and prints a Markdown table.
//
// It builds the provider and a do-nothing "plugin floor" provider
// (./floorprovider), starts the repository's GitLab emulator in this process
// (one per scenario), and runs the terraform at TF_ACC_TERRAFORM_PATH, else
// on PATH (-cli names another Terraform or OpenTofu binary, -query-cli the
// Terraform of the query scenario) through a throwaway CLI configuration whose
// dev_overrides point at the freshly built binaries, so nothing is installed
// and no `terraform init` is needed. Nothing is downloaded.
//
// Scenarios (-only picks some, comma-separated):
//
//	requests  API requests per plan for 1 project × {10, 100, 1000} keys and
//	          100 projects × 5 keys, next to the floor P × (1 + ceil(K/100)) + 1
//	plan      wall time of a plan of 1000 key resources next to 1000
//	          terraform_data resources and 1000 plugin-floor resources
//	latency   the same plan with 20 ms per emulated request, next to the
//	          latency floor (requests × 20 ms ÷ parallelism 10)
//	apply     keys per second when applying 200 new keys with 20 ms latency
//	query     `terraform query` of both list resources over a group of 500
//	          projects with 20 ms latency: requests next to ⌈P/100⌉ + 2P + 1,
//	          time next to the latency floor at the list resources'
//	          parallelism of 8. It needs Terraform 1.14 or later: the bench's
//	          CLI, or the one -query-cli names.
//
// Each timing is repeated -runs times (default 5, at least 3 for -write) and
// the median reported; plan times come with the CPU time of terraform and
// its plugins, which a busy machine disturbs much less than the wall time.
// -quick is a smoke run with smaller sizes and one run. With -write, the
// table and the machine it ran on are written into
// templates/guides/performance.md.tmpl (then `make docs` renders
// docs/guides/performance.md).
//
// Every server it starts is stopped and every temporary file removed on
// success, on failure and on Ctrl-C (-keep keeps the working directory).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// parallelism is Terraform's default -parallelism, passed explicitly so the
// latency floors below hold whatever TF_CLI_ARGS says.
const parallelism = 10

var allScenarios = []string{"requests", "plan", "latency", "apply", "query"}

type options struct {
	runs    int
	quick   bool
	only    []string
	write   bool
	verbose bool
	keep    bool
	latency time.Duration
	cli     string
	// queryCLI runs the query scenario; empty: cli.
	queryCLI string
}

func (o options) wants(scenario string) bool { return slices.Contains(o.only, scenario) }

// layout is P projects with K client keys each.
type layout struct{ projects, keys int }

func (l layout) String() string {
	return fmt.Sprintf("%s × %s", plural(l.projects, "project"), plural(l.keys, "key"))
}

// sizes are the scenario sizes of a full or a quick run.
type sizes struct {
	requests      []layout
	planKeys      int // key resources (1 project) in the plan and latency scenarios
	apply         int // keys created by the apply scenario
	queryProjects int // projects of the group the query scenario lists
}

var (
	fullSizes  = sizes{requests: []layout{{1, 10}, {1, 100}, {1, 1000}, {100, 5}}, planKeys: 1000, apply: 200, queryProjects: 500}
	quickSizes = sizes{requests: []layout{{1, 10}, {1, 250}, {10, 5}}, planKeys: 250, apply: 50, queryProjects: 100}
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C, a second one ends the program at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string) int {
	var o options
	var only string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&o.runs, "runs", 5, "how many times each timing is repeated (the median is reported)")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: smaller sizes and, unless -runs is given, one run per timing")
	fs.StringVar(&only, "only", strings.Join(allScenarios, ","), "comma-separated scenarios to run: "+strings.Join(allScenarios, ", "))
	fs.BoolVar(&o.write, "write", false, "write the table into templates/guides/performance.md.tmpl (needs a full run)")
	fs.BoolVar(&o.verbose, "v", false, "show terraform's output")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, states, plugins)")
	fs.StringVar(&o.cli, "cli", "", "the Terraform or OpenTofu binary to run (default: TF_ACC_TERRAFORM_PATH, else terraform on PATH)")
	fs.StringVar(&o.queryCLI, "query-cli", "", "the Terraform (1.14 or later) that runs the query scenario (default: -cli's)")
	fs.DurationVar(&o.latency, "latency", 20*time.Millisecond, "emulated latency per request in the latency, apply and query scenarios")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected arguments %q\n", fs.Args())
		return 2
	}
	runsSet := false
	fs.Visit(func(f *flag.Flag) { runsSet = runsSet || f.Name == "runs" })
	if o.quick && !runsSet {
		o.runs = 1
	}
	if err := o.parseOnly(only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	if err := o.check(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	sz := fullSizes
	if o.quick {
		sz = quickSizes
	}

	b := &bench{opts: o, sizes: sz, start: time.Now()}
	err := b.setUp(ctx)
	defer b.cleanUp()
	if err == nil {
		err = b.runScenarios(ctx)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "\nbench: interrupted; cleaning up")
		return 130
	}
	if len(b.rows) > 0 {
		fmt.Print(b.markdown())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		if o.write {
			fmt.Fprintln(os.Stderr, "bench: not writing the guide after a failure")
		}
		return 1
	}
	if o.write {
		path, err := b.writeGuide()
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
		b.logf("wrote %s (run `make docs` to render docs/guides/performance.md)", path)
	}
	b.logf("done in %s", time.Since(b.start).Round(time.Second))
	return 0
}

func (o *options) parseOnly(list string) error {
	o.only = nil
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(allScenarios, s) {
			return fmt.Errorf("-only: unknown scenario %q; the scenarios are %s", s, strings.Join(allScenarios, ", "))
		}
		if !slices.Contains(o.only, s) {
			o.only = append(o.only, s)
		}
	}
	if len(o.only) == 0 {
		return fmt.Errorf("-only: no scenario given; the scenarios are %s", strings.Join(allScenarios, ", "))
	}
	return nil
}

func (o options) check() error {
	if o.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if o.latency < 0 {
		return errors.New("-latency must not be negative")
	}
	if o.write {
		// The guide is the published record: only a complete, repeated run.
		switch {
		case o.quick:
			return errors.New("-write needs a full run: drop -quick")
		case len(o.only) != len(allScenarios):
			return errors.New("-write needs every scenario: drop -only")
		case o.runs < 3:
			return errors.New("-write needs -runs 3 or more")
		}
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// repoRoot is the directory of the repository's go.mod.
func repoRoot(ctx context.Context) (string, error) {
	root, err := tfcli.ModuleRoot(ctx)
	if err == nil {
		_, err = os.Stat(filepath.Join(root, "internal", "cmd", "bench", "floorprovider"))
	}
	if err != nil {
		return "", fmt.Errorf("run the benchmark from the repository (make bench): %w", err)
	}
	return root, nil
}
