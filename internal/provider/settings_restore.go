package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// restoreSettings carries out on_destroy = "restore": it undoes this
// resource's own writes and nothing else. GitLab is read once; a field
// goes back to the baseline only while GitLab still has the value this
// resource last wrote (a destroy refreshes first, so state cannot tell), and
// `integrated` only where this resource wrote it. A field changed since is
// left, and one warning names each with both values.
func restoreSettings(ctx context.Context, client gitlab.API, project string, baseline *priorSettings, written *writtenSettings) diag.Diagnostics {
	var diags diag.Diagnostics
	now, err := client.GetSettings(ctx, project)
	if err != nil {
		if !settingsGone(err) {
			diags.Append(apiDiag("read the error-tracking settings", project, err))
		}
		return diags
	}
	if baseline == nil {
		baseline = &priorSettings{}
	}
	active, activeLeft := restoreField("active", now.Active, baseline.Existed && baseline.Active, writtenField(written, true))
	left := activeLeft
	var integrated *bool
	if baseline.Existed {
		var integratedLeft []string
		integrated, integratedLeft = restoreIntegrated(now.Integrated, baseline.Integrated, writtenField(written, false))
		left = append(left, integratedLeft...)
	}
	if len(left) > 0 {
		diags.AddWarning("Error-tracking settings changed in GitLab were left as they are",
			fmt.Sprintf("on_destroy = \"restore\" puts back only what this resource wrote and GitLab still has. In project %q, %s.",
				project, strings.Join(left, "; ")))
	}
	if active == nil && integrated == nil {
		return diags
	}
	send := now.Active
	if active != nil {
		send = *active
	}
	if !baseline.Existed && !send {
		diags.AddWarning("Error-tracking settings disabled, not removed",
			fmt.Sprintf("Project %q had no error-tracking settings before this resource created them, and GitLab cannot delete settings: they were disabled (active = false) instead.", project))
	}
	if _, err := client.PatchSettings(ctx, project, send, integrated); err != nil {
		if !settingsGone(err) {
			diags.Append(apiDiag("restore the error-tracking settings", project, err))
		}
	}
	return diags
}

// writtenField is the active (or integrated) value last written, or nil.
func writtenField(w *writtenSettings, active bool) *bool {
	switch {
	case w == nil:
		return nil
	case active:
		return &w.Active
	default:
		return w.Integrated
	}
}

// restoreField returns the value to send for a field that GitLab has as now,
// or nil when it stays, with the reason it was left, if it was.
func restoreField(name string, now, baseline bool, written *bool) (*bool, []string) {
	switch {
	case now == baseline:
		return nil, nil
	case written == nil:
		return nil, []string{fmt.Sprintf("`%s` is %t and was %t before this resource managed the settings, but this resource never wrote it", name, now, baseline)}
	case now == *written:
		return &baseline, nil
	default:
		return nil, []string{fmt.Sprintf("`%s` was last written %t by this resource and is now %t", name, *written, now)}
	}
}

// restoreIntegrated is restoreField for `integrated`. GitLab reports false
// for a stored true while its integrated_error_tracking flag is off
// (internal/emulator/gitlab-api.md, "Settings"): when this resource wrote
// true over a baseline of false, a reported false is either that or a change
// back to Sentry mode, and sending false is right in both cases.
func restoreIntegrated(now, baseline bool, written *bool) (*bool, []string) {
	if written != nil && *written && !baseline && !now {
		return &baseline, nil
	}
	return restoreField("integrated", now, baseline, written)
}
