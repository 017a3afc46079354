package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// runApply runs `terraform apply` and shows what it did and the outputs
// (see printOutputs).
func (d *demo) runApply(ctx context.Context, onlyChanged bool) error {
	out, code, err := d.tf(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-compact-warnings")
	if err != nil || code != 0 {
		return commandFailed(d.cli.Command()+" apply", code, err, out)
	}
	printWarnings(out)
	printMatching(out, `^(Plan:|Apply complete!)`)
	return d.printOutputs(ctx, onlyChanged)
}

func (d *demo) apply(ctx context.Context) error {
	if err := d.runApply(ctx, false); err != nil {
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
	if err := d.runApply(ctx, true); err != nil {
		return err
	}
	fmt.Println("    (GitLab cannot bring a deleted key back: applications using it need the new DSN)")
	return nil
}

func (d *demo) destroy(ctx context.Context) error {
	out, code, err := d.tf(ctx, "destroy", "-auto-approve", "-input=false", "-no-color", "-compact-warnings")
	if err != nil || code != 0 {
		return commandFailed(d.cli.Command()+" destroy", code, err, out)
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
			return commandFailed(d.cli.Command()+" plan", code, err, out)
		}
		printWarnings(out)
		if code == 2 {
			printPlanSummary(out, d.cli.Name())
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

// tf runs the CLI in the configuration directory, with the GitLab and the
// projects of the run, and returns its combined output and exit code; err is
// set only when it could not run at all or was interrupted.
func (d *demo) tf(ctx context.Context, args ...string) (string, int, error) {
	opts := tfcli.Options{
		Dir: filepath.Join(d.work, "config"),
		Env: []string{
			"GITLAB_BASE_URL=" + d.baseURL,
			"GITLAB_TOKEN=" + d.token,
			"TF_VAR_web_project=" + d.webProject,
			"TF_VAR_api_project=" + d.apiProject,
		},
	}
	if d.verbose {
		opts.Echo = prefixWriter(os.Stdout, "    | ")
	}
	res, err := d.cli.Run(ctx, opts, args...)
	return res.Output, res.Code, err
}

// printOutputs shows terraform's outputs flattened to one line each; with
// onlyChanged, only those that differ from the last call.
func (d *demo) printOutputs(ctx context.Context, onlyChanged bool) error {
	out, code, err := d.tf(ctx, "output", "-json", "-no-color")
	if err != nil || code != 0 {
		return commandFailed(d.cli.Command()+" output", code, err, out)
	}
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		return fmt.Errorf("%s output -json: %w", d.cli.Command(), err)
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
