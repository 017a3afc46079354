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
// Everything it starts is stopped and every temporary file removed on
// success, on failure and on Ctrl-C.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"
)

const (
	defaultWebProject = "demo/web-app"
	defaultAPIProject = "demo/platform/api"
	emulatorToken     = "glpat-emulator-root-token"
	providerAddress   = "registry.terraform.io/errortracking/gitlab"
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

	root      string // the repository
	work      string // the temporary directory
	terraform string

	real       bool
	baseURL    string // the API root, ending in /api/v4/
	token      string
	webProject string
	apiProject string

	emulator *process
	env      []string // terraform's environment
	outputs  map[string]string
}

func run(ctx context.Context, args []string) int {
	d := &demo{}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.BoolVar(&d.keep, "keep", false, "keep the working directory (configuration, state, emulator log); on a real GitLab also skip `terraform destroy`")
	fs.BoolVar(&d.drift, "drift", false, "on a real GitLab: also switch project 1's error tracking off and delete one of its keys through the API, then repair it")
	fs.BoolVar(&d.verbose, "v", false, "show terraform's whole output")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	if err := d.setUp(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}
	defer d.cleanUp()

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
	steps := []step{{"Build the provider", d.build}}
	if d.real {
		steps = append(steps, step{"Use the GitLab at " + d.baseURL, d.checkRealProjects})
	} else {
		steps = append(steps, step{"Start the GitLab emulator with projects " + d.webProject + " and " + d.apiProject, d.startEmulator})
	}
	steps = append(steps,
		step{"terraform apply: switch on error tracking, create two keys, import " + d.apiProject, d.apply},
		step{"terraform plan -detailed-exitcode", d.planExpect(0)},
	)
	if !d.real || d.drift {
		where := "in GitLab's UI"
		if d.real {
			where = "through GitLab's API"
		}
		steps = append(steps,
			step{"Meanwhile, " + where + ": switch error tracking off and delete a key of " + d.webProject, d.makeDrift},
			step{"terraform plan -detailed-exitcode", d.planExpect(2)},
			step{"terraform apply: repair", d.repair},
			step{"terraform plan -detailed-exitcode", d.planExpect(0)},
		)
	}
	if d.real && !d.keep {
		steps = append(steps, step{"terraform destroy: delete the keys, switch " + d.webProject + " off, leave " + d.apiProject + " as it was", d.destroy})
	}
	return steps
}

// setUp decides between the emulator and a real GitLab, and prepares the
// working directory: the configuration and a CLI configuration that makes
// terraform use the provider built by this run.
func (d *demo) setUp() error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	d.root = filepath.Dir(strings.TrimSpace(string(out)))
	if _, err := os.Stat(filepath.Join(d.root, "examples", "demo", "main.tf")); err != nil {
		return fmt.Errorf("run the demo from the repository (make demo): %w", err)
	}

	d.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if d.terraform == "" {
		if d.terraform, err = exec.LookPath("terraform"); err != nil {
			return errors.New("no terraform on PATH (or TF_ACC_TERRAFORM_PATH): install terraform >= 1.6 first; the demo downloads nothing")
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
	cliConfig := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, providerAddress, filepath.Join(d.work, "bin"))
	if err := os.WriteFile(filepath.Join(d.work, "terraformrc"), []byte(cliConfig), 0o644); err != nil {
		return err
	}
	return nil
}

// cleanUp stops the emulator and removes the working directory.
func (d *demo) cleanUp() {
	if d.emulator != nil {
		d.emulator.stop(5 * time.Second)
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
	fmt.Printf("    built in %s; terraform will use it through dev_overrides (so no terraform init)\n", time.Since(start).Round(100*time.Millisecond))
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
	d.emulator, err = startProcess(cmd)
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
		case <-d.emulator.done:
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

// checkRealProjects fails early, with a clear message, when the projects
// cannot be read with the token.
func (d *demo) checkRealProjects(ctx context.Context) error {
	for _, p := range []string{d.webProject, d.apiProject} {
		var project struct {
			ID   int64  `json:"id"`
			Path string `json:"path_with_namespace"`
		}
		if err := d.gitlabAPI(ctx, http.MethodGet, "projects/"+url.PathEscape(p), &project); err != nil {
			return fmt.Errorf("project %s: %w", p, err)
		}
		fmt.Printf("    %s: project %d\n", project.Path, project.ID)
	}
	fmt.Printf("    %s must already have error tracking set up (in its Monitor settings): it is imported\n", d.apiProject)
	return nil
}

func (d *demo) apply(ctx context.Context) error {
	out, code, err := d.tf(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-compact-warnings")
	if err != nil || code != 0 {
		return commandFailed("terraform apply", code, err, out)
	}
	printWarnings(out)
	printMatching(out, `^(Plan:|Apply complete!)`)
	if err := d.printOutputs(ctx, false); err != nil {
		return err
	}
	// Keys listed by the data source that Terraform did not create.
	managed := map[string]bool{d.outputs["web_key_ids.frontend"]: true, d.outputs["web_key_ids.backend"]: true}
	var others []string
	for _, id := range strings.Split(strings.Trim(d.outputs["web_active_key_ids"], "[]"), ", ") {
		if id != "" && !managed[id] {
			others = append(others, id)
		}
	}
	if len(others) > 0 {
		fmt.Printf("    (key %s: created by GitLab itself when error tracking was switched on; listed by the data source, not managed)\n",
			strings.Join(others, ", "))
	}
	return nil
}

func (d *demo) repair(ctx context.Context) error {
	out, code, err := d.tf(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-compact-warnings")
	if err != nil || code != 0 {
		return commandFailed("terraform apply", code, err, out)
	}
	printWarnings(out)
	printMatching(out, `^(Plan:|Apply complete!)`)
	if err := d.printOutputs(ctx, true); err != nil {
		return err
	}
	fmt.Println("    (GitLab cannot bring a deleted key back: applications using it need the new DSN)")
	return nil
}

func (d *demo) destroy(ctx context.Context) error {
	out, code, err := d.tf(ctx, "destroy", "-auto-approve", "-input=false", "-no-color", "-compact-warnings")
	if err != nil || code != 0 {
		return commandFailed("terraform destroy", code, err, out)
	}
	printMatching(out, `^(Plan:|Destroy complete!)`)
	return nil
}

// planExpect runs `terraform plan -detailed-exitcode`, which exits 0 when
// the real world matches the configuration and 2 when it does not: what a
// scheduled CI job runs to detect drift.
func (d *demo) planExpect(want int) func(context.Context) error {
	return func(ctx context.Context) error {
		out, code, err := d.tf(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-compact-warnings")
		if err != nil || (code != 0 && code != 2) {
			return commandFailed("terraform plan", code, err, out)
		}
		printWarnings(out)
		if code == 2 {
			printPlanSummary(out)
		}
		switch {
		case code == 0 && want == 0:
			fmt.Println("    exit code 0: no drift")
		case code == 2 && want == 2:
			fmt.Println("    exit code 2: drift detected")
		case code == 0:
			return errors.New("exit code 0: the drift made in the previous step went unnoticed")
		default:
			return errors.New("exit code 2: changes planned where none were expected")
		}
		return nil
	}
}

// makeDrift changes project 1 the way a person in GitLab's UI would: error
// tracking switched off, the "backend" key deleted.
func (d *demo) makeDrift(ctx context.Context) error {
	keyID := d.outputs["web_key_ids.backend"]
	if keyID == "" {
		return errors.New("no web_key_ids.backend output to find the key to delete")
	}
	if d.real {
		project := "projects/" + url.PathEscape(d.webProject)
		if err := d.gitlabAPI(ctx, http.MethodPatch, project+"/error_tracking/settings?active=false", nil); err != nil {
			return err
		}
		fmt.Printf("    %s: error tracking switched off\n", d.webProject)
		if err := d.gitlabAPI(ctx, http.MethodDelete, project+"/error_tracking/client_keys/"+keyID, nil); err != nil {
			return err
		}
	} else {
		settingsPath := "projects/" + url.PathEscape(d.webProject) + "/settings"
		var settings map[string]any
		if err := d.admin(ctx, http.MethodGet, settingsPath, nil, &settings); err != nil {
			return err
		}
		settings["active"] = false
		if err := d.admin(ctx, http.MethodPut, settingsPath, settings, nil); err != nil {
			return err
		}
		fmt.Printf("    %s: error tracking switched off\n", d.webProject)
		if err := d.admin(ctx, http.MethodDelete, "keys/"+keyID, nil, nil); err != nil {
			return err
		}
	}
	fmt.Printf("    %s: client key %s (the \"backend\" key) deleted\n", d.webProject, keyID)
	return nil
}

// tf runs terraform in the configuration directory and returns its combined
// output and exit code; err is set only when it could not run at all.
func (d *demo) tf(ctx context.Context, args ...string) (string, int, error) {
	if d.env == nil {
		d.env = append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+filepath.Join(d.work, "terraformrc"),
			"CHECKPOINT_DISABLE=1",
			"TF_IN_AUTOMATION=1",
			"TF_INPUT=0",
			"GITLAB_BASE_URL="+d.baseURL,
			"GITLAB_TOKEN="+d.token,
			"TF_VAR_web_project="+d.webProject,
			"TF_VAR_api_project="+d.apiProject,
		)
	}
	var buf bytes.Buffer
	cmd := exec.Command(d.terraform, args...)
	cmd.Dir = filepath.Join(d.work, "config")
	cmd.Env = d.env
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if d.verbose {
		w := io.MultiWriter(&buf, prefixWriter(os.Stdout, "    | "))
		cmd.Stdout, cmd.Stderr = w, w
	}
	p, err := startProcess(cmd)
	if err != nil {
		return "", 0, err
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		// terraform stops cleanly on an interrupt (and kills its providers);
		// whatever is left after a grace period is killed.
		p.interrupt()
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
		}
		p.stop(time.Second)
		return buf.String(), 0, ctx.Err()
	}
	p.killGroup()
	var exitErr *exec.ExitError
	if errors.As(p.err, &exitErr) {
		return buf.String(), exitErr.ExitCode(), nil
	}
	return buf.String(), 0, p.err
}

// printOutputs shows terraform's outputs flattened to one line each; with
// onlyChanged, only those that differ from the last call.
func (d *demo) printOutputs(ctx context.Context, onlyChanged bool) error {
	out, code, err := d.tf(ctx, "output", "-json", "-no-color")
	if err != nil || code != 0 {
		return commandFailed("terraform output", code, err, out)
	}
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		return fmt.Errorf("terraform output -json: %w", err)
	}
	outputs := map[string]string{}
	for name, o := range raw {
		var v any
		if err := json.Unmarshal(o.Value, &v); err != nil {
			return err
		}
		flatten(name, v, outputs)
	}
	names := make([]string, 0, len(outputs))
	width := 0
	for name := range outputs {
		if onlyChanged && d.outputs[name] == outputs[name] {
			continue
		}
		names = append(names, name)
		width = max(width, len(name))
	}
	sort.Strings(names)
	indent := "    "
	if onlyChanged && len(names) > 0 {
		fmt.Println("    changed outputs:")
		indent += "  "
	}
	for _, name := range names {
		fmt.Printf("%s%-*s = %s\n", indent, width, name, outputs[name])
	}
	d.outputs = outputs
	return nil
}

func flatten(prefix string, v any, into map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			flatten(prefix+"."+k, sub, into)
		}
	case []any:
		parts := make([]string, len(v))
		for i, sub := range v {
			parts[i] = fmt.Sprint(sub)
		}
		into[prefix] = "[" + strings.Join(parts, ", ") + "]"
	case nil:
		into[prefix] = "null"
	case float64:
		into[prefix] = fmt.Sprint(int64(v))
	default:
		into[prefix] = fmt.Sprint(v)
	}
}

// admin calls the emulator's unauthenticated /-/emulator/ routes, which
// change its world the way GitLab's UI would.
func (d *demo) admin(ctx context.Context, method, path string, body, into any) error {
	u := strings.TrimSuffix(d.baseURL, "api/v4/") + "-/emulator/" + path
	return doJSON(ctx, method, u, nil, body, into)
}

// gitlabAPI calls the real GitLab's REST API with the token.
func (d *demo) gitlabAPI(ctx context.Context, method, path string, into any) error {
	return doJSON(ctx, method, d.baseURL+path, http.Header{"PRIVATE-TOKEN": {d.token}}, nil, into)
}

func doJSON(ctx context.Context, method, rawURL string, header http.Header, body, into any) error {
	var reqBody io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reqBody = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, reqBody)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s %s", method, req.URL.Path, resp.Status, bytes.TrimSpace(b))
	}
	if into != nil {
		return json.Unmarshal(b, into)
	}
	return nil
}

// printPlanSummary shows what a plan found changed outside of Terraform and
// what it would do about it: the resource headers, the changed attributes and
// the "Plan:" line, without the full resource bodies.
func printPlanSummary(out string) {
	header := regexp.MustCompile(`^\s+# \S+ (has|will|must) `)
	change := regexp.MustCompile(`^\s+~ \w+\s+= .+ -> `)
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Note: Objects have changed outside of Terraform"):
			fmt.Println("    Changed outside of Terraform:")
		case strings.HasPrefix(line, "Terraform will perform the following actions"):
			fmt.Println("    Terraform would:")
		case strings.HasPrefix(line, "Plan:"):
			fmt.Println("    " + line)
		case strings.HasPrefix(line, "Changes to Outputs:"):
			return
		case header.MatchString(line):
			fmt.Println("      " + strings.TrimSpace(line))
		case change.MatchString(line):
			fmt.Println("          " + strings.TrimSpace(line))
		}
	}
}

func printMatching(out, pattern string) {
	re := regexp.MustCompile(pattern)
	for _, line := range strings.Split(out, "\n") {
		if re.MatchString(line) {
			fmt.Println("    " + line)
		}
	}
}

// commandFailed makes an error of a failed terraform command with its output.
func commandFailed(what string, code int, err error, out string) error {
	if err == nil {
		err = fmt.Errorf("exit code %d", code)
	}
	rest, warnings := splitWarnings(out)
	var b strings.Builder
	for _, w := range warnings {
		b.WriteString("    | Warning: " + w + "\n")
	}
	for _, line := range strings.Split(strings.TrimSpace(rest), "\n") {
		b.WriteString("    | " + line + "\n")
	}
	return fmt.Errorf("%s: %w\n%s", what, err, strings.TrimRight(b.String(), "\n"))
}

const devOverridesWarning = "Provider development overrides are in effect"

// splitWarnings takes terraform's warnings out of its output and returns
// their summaries, without the one dev_overrides causes on every command
// (expected: the demo runs the provider it has just built). It knows the
// compact form (-compact-warnings) and the full one.
func splitWarnings(out string) (string, []string) {
	var rest []string
	var warnings []string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch line {
		case "Warnings:": // compact: "- summary" items, then a hint
			for i++; i < len(lines); i++ {
				item := strings.TrimSpace(lines[i])
				if strings.HasPrefix(item, "To see the full warning notes") {
					break
				}
				if summary, ok := strings.CutPrefix(item, "- "); ok && summary != devOverridesWarning {
					warnings = append(warnings, summary)
				}
			}
		case "Warning: " + devOverridesWarning: // full: ends with "...published releases."
			for i+1 < len(lines) && !strings.HasSuffix(strings.TrimSpace(lines[i]), "releases.") {
				i++
			}
		default:
			rest = append(rest, lines[i])
		}
	}
	return strings.Join(rest, "\n"), warnings
}

// printWarnings shows the warnings of a successful command, if any.
func printWarnings(out string) {
	_, warnings := splitWarnings(out)
	for _, w := range warnings {
		fmt.Println("    warning: " + w)
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// apiRoot accepts an instance address with or without /api/v4 and trailing
// slash, like the provider's base_url.
func apiRoot(base string) string {
	base = strings.TrimRight(base, "/")
	if !strings.HasSuffix(base, "/api/v4") {
		base += "/api/v4"
	}
	return base + "/"
}

type prefixedWriter struct {
	w      io.Writer
	prefix string
	midway bool
}

func prefixWriter(w io.Writer, prefix string) io.Writer {
	return &prefixedWriter{w: w, prefix: prefix}
}

func (p *prefixedWriter) Write(b []byte) (int, error) {
	var out bytes.Buffer
	for _, c := range b {
		if !p.midway {
			out.WriteString(p.prefix)
			p.midway = true
		}
		out.WriteByte(c)
		if c == '\n' {
			p.midway = false
		}
	}
	if _, err := p.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return len(b), nil
}
