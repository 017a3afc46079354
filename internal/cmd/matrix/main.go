// Command matrix is what `make testacc-matrix` runs: the whole acceptance
// suite (TF_ACC=1 go test -run '^TestAcc' ./...) once per Terraform or
// OpenTofu CLI, one CLI after the other, and then a table of what each row
// passed, failed and skipped, and how long it took.
//
//	go run ./internal/cmd/matrix [-run REGEXP] [-timeout 20m] CLI...
//
// Each CLI is a path to a binary, or a name looked up on PATH ("terraform");
// an argument may hold several paths separated by ':' (as TF_ACC_MATRIX
// may). The suite finds the CLI through TF_ACC_TERRAFORM_PATH; the test
// harness (internal/acctest) does the rest for Terraform and OpenTofu alike.
// A CLI that is missing (a build that failed) or that is neither Terraform
// nor OpenTofu is a failed row, and the other rows still run. The output of
// every failed test is printed, and every skipped test with its reason, so
// that nothing silently stops running. The exit status is 1 when any row
// failed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

func main() {
	run := flag.String("run", defaultRun, "go test -run: the tests of each row")
	timeout := flag.Duration("timeout", 20*time.Minute, "go test -timeout: the most one row may take")
	write := flag.String("write", "", "when every row passed the whole suite, write its table into this file, between the lines "+
		beginMark+" and "+endMark)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: matrix [flags] CLI...\n\nRuns the acceptance suite once per Terraform or OpenTofu CLI.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	var clis []string
	for _, arg := range flag.Args() {
		for _, p := range strings.Split(arg, string(os.PathListSeparator)) {
			if p = strings.TrimSpace(p); p != "" {
				clis = append(clis, p)
			}
		}
	}
	if len(clis) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *write != "" && *run != defaultRun {
		fmt.Fprintf(os.Stderr, "matrix: -write takes a run of the whole suite, not -run %q\n", *run)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var rows []*row
	for _, c := range clis {
		if ctx.Err() != nil {
			break
		}
		r := runRow(ctx, c, *run, *timeout, os.Stdout)
		rows = append(rows, r)
	}
	report(os.Stdout, rows)
	failed := ctx.Err() != nil
	for _, r := range rows {
		failed = failed || r.failed()
	}
	if failed {
		os.Exit(1)
	}
	if *write != "" {
		if err := writeTable(*write, rows); err != nil {
			fmt.Fprintln(os.Stderr, "matrix:", err)
			os.Exit(1)
		}
		fmt.Printf("\nwrote the table into %s\n", *write)
	}
}

// defaultRun selects the whole acceptance suite.
const defaultRun = "^TestAcc"

// row is one CLI's run of the suite.
type row struct {
	cli      string     // as given
	info     tfcli.Info // the zero Info when it could not be told
	problem  string     // why the row failed outside any test
	results  *results
	duration time.Duration
}

// version is how the row's CLI names itself, "Terraform v1.5.7", or "?"
// when it could not be told.
func (r *row) version() string {
	if r.info.Product == "" {
		return "?"
	}
	return r.info.String()
}

func (r *row) failed() bool {
	return r.problem != "" || r.results == nil || r.results.counts().failed > 0
}

func runRow(ctx context.Context, cli, run string, timeout time.Duration, log io.Writer) *row {
	start := time.Now()
	r := &row{cli: cli}
	defer func() { r.duration = time.Since(start) }()

	// Detect makes the path absolute: go test runs each package in its own
	// directory.
	info, err := tfcli.Detect(ctx, cli)
	if err != nil {
		r.problem = err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			r.problem += " (did its build fail?)"
		}
		fmt.Fprintf(log, "== %s: %s\n", cli, r.problem)
		return r
	}
	r.info = info
	fmt.Fprintf(log, "== %s (%s): go test -run '%s' ./...\n", cli, r.version(), run)

	cmd := exec.CommandContext(ctx, "go", "test", "-json", "-count=1", "-timeout", timeout.String(), "-run", run, "./...")
	cmd.Env = append(os.Environ(), "TF_ACC=1", "TF_ACC_TERRAFORM_PATH="+info.Path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		r.problem = err.Error()
		return r
	}
	if err := cmd.Start(); err != nil {
		r.problem = err.Error()
		return r
	}
	r.results = newResults()
	readErr := r.results.read(out, func(e event) {
		if e.Test != "" && e.Action == "fail" {
			fmt.Fprintf(log, "   FAIL %s %s\n", e.Package, e.Test)
		}
	})
	waitErr := cmd.Wait()
	defer func() {
		c := r.results.counts()
		fmt.Fprintf(log, "   %d passed, %d failed, %d skipped in %s\n", c.passed, c.failed, c.skipped, time.Since(start).Round(time.Second))
	}()
	switch {
	case len(r.results.failedPackages) > 0 && r.results.counts().failed == 0:
		r.problem = "go test failed outside any test in " + strings.Join(r.results.failedPackages, ", ")
	case waitErr != nil && r.results.counts().failed == 0:
		r.problem = "go test: " + waitErr.Error()
	case readErr != nil:
		r.problem = "reading go test's output: " + readErr.Error()
	}
	return r
}

// report prints the output of every failed test, every skipped test with its
// reason, and then the table.
func report(w io.Writer, rows []*row) {
	for _, r := range rows {
		if r.results == nil {
			continue
		}
		for _, key := range r.results.with("fail") {
			fmt.Fprintf(w, "\n--- %s (%s) failed %s:\n", r.cli, r.version(), key)
			for _, l := range r.results.output[key] {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
		if r.problem != "" {
			for _, pkg := range append([]string{""}, r.results.failedPackages...) {
				for _, l := range r.results.output[pkg] {
					fmt.Fprintf(w, "    %s\n", l)
				}
			}
		}
	}
	for _, r := range rows {
		if r.results == nil {
			continue
		}
		for i, key := range r.results.with("skip") {
			if i == 0 {
				fmt.Fprintf(w, "\nskipped on %s:\n", r.version())
			}
			fmt.Fprintf(w, "    %s: %s\n", key, r.results.skipReason(key))
		}
	}

	// A Markdown table, to paste into the docs as it is.
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| CLI\t| version\t| passed\t| failed\t| skipped\t| time\t| result\t|")
	fmt.Fprintln(tw, "|---\t|---\t|--:\t|--:\t|--:\t|--:\t|---\t|")
	for _, r := range rows {
		var c counts
		if r.results != nil {
			c = r.results.counts()
		}
		result := "ok"
		switch {
		case r.problem != "":
			result = "FAIL: " + r.problem
		case r.failed():
			result = "FAIL"
		}
		fmt.Fprintf(tw, "| `%s`\t| %s\t| %d\t| %d\t| %d\t| %s\t| %s\t|\n", r.cli, r.version(), c.passed, c.failed, c.skipped,
			r.duration.Round(time.Second), result)
	}
	tw.Flush()
}
