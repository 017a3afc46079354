package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// What a settings write checks in GitLab's answer, and what a create that
// fails after it changed GitLab leaves in state (docs/guides/reliability.md,
// "A failed create hides no change").

// checkApplied reports GitLab storing a mode other than the one asked for:
// with the integrated_error_tracking flag off GitLab accepts integrated = true
// yet reports false (internal/emulator/gitlab-api.md, "Settings"), which
// would otherwise show as a diff on every plan.
func checkApplied(project string, want settingsFields, got *gitlab.Settings) diag.Diagnostic {
	if want.Integrated.IsUnknown() || want.Integrated.IsNull() || want.Integrated.ValueBool() == got.Integrated {
		return nil
	}
	if want.Integrated.ValueBool() {
		return diag.NewAttributeErrorDiagnostic(path.Root("integrated"), "GitLab did not enable integrated error tracking",
			fmt.Sprintf("Project %q was set to integrated = true, but GitLab reports integrated = false. GitLab does this when the "+
				"`integrated_error_tracking` feature flag is off for the project (the default on self-managed GitLab). Ask an administrator "+
				"to enable the flag, or set `integrated = false` and configure Sentry in the project's UI.", project))
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("integrated"), "GitLab did not switch to Sentry mode",
		fmt.Sprintf("Project %q was set to integrated = false, but GitLab still reports integrated = true.", project))
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

// recordUncertainCreate puts settings in state, tainted, when the write of a
// create failed but GitLab may have carried it out: otherwise a change on
// GitLab, and the record of what was there before, would be lost. State
// holds what a read finds now, or, when that fails too, what was found
// before or else the planned values (integrated is the mode the write
// asked for), and the error says they are not confirmed; the next plan
// reads GitLab again in any case. A key GitLab created on the way (which
// the write's error reports) is recorded and named. It returns the
// create's error d, saying so when it did.
func recordUncertainCreate(ctx context.Context, client gitlab.API, resp *resource.CreateResponse, plan settingsResourceModel,
	integrated bool, prior priorSettings, d diag.Diagnostic, err error,
) diag.Diagnostic {
	if !gitlab.MayHaveChanged(err) {
		return d
	}
	project := plan.Project.ValueString()
	now, readErr := client.GetSettings(ctx, project)
	var recorded string
	switch {
	case readErr == nil:
		plan.fromAPI(now)
		recorded = fmt.Sprintf("as GitLab reports them now (active = %t, integrated = %t)", now.Active, now.Integrated)
	case gitlab.KindOf(readErr) == gitlab.KindSettingsNotFound:
		return d // the create did not run: nothing changed
	case prior.Existed:
		plan.fromAPI(&gitlab.Settings{Active: prior.Active, Integrated: prior.Integrated})
		recorded = fmt.Sprintf("with the values found before the write (active = %t, integrated = %t), since reading them "+
			"back failed too (%s); whether GitLab now has those or the planned ones is not confirmed", prior.Active, prior.Integrated, readErr)
	default:
		plan.fromAPI(&gitlab.Settings{Active: plan.Active.ValueBool(), Integrated: integrated})
		recorded = fmt.Sprintf("with the planned values (active = %t, integrated = %t), since reading them back failed too (%s); "+
			"these values are not confirmed: GitLab may have saved them, or nothing at all", plan.Active.ValueBool(), integrated, readErr)
	}
	failed := failedCreate{CreatedKeyID: gitlab.CreatedKeyID(err)}
	plan.ID = plan.Project
	plan.keepBaseline(prior)
	resp.Diagnostics.Append(setPrivate(ctx, resp.Private, privateFailedCreateKey, failed)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	return withDetail(d, fmt.Sprintf("GitLab may have carried out the write to project %q all the same. So that state and GitLab agree, "+
		"the settings were recorded %s, marked tainted, with what was found before for `on_destroy`: the next plan reads what "+
		"GitLab has and replaces them.", project, recorded)+createdKeyDetail(project, failed))
}

func wantsIntegrated(want settingsFields) bool {
	return !want.Integrated.IsUnknown() && !want.Integrated.IsNull() && want.Integrated.ValueBool()
}

// failedCreateDetail says what a create that failed after writing left on
// GitLab and in state.
func failedCreateDetail(project string, prior priorSettings, got *gitlab.Settings, failed failedCreate) string {
	found := "no settings"
	if prior.Existed {
		found = fmt.Sprintf("active = %t, integrated = %t", prior.Active, prior.Integrated)
	}
	s := fmt.Sprintf("GitLab saved the settings all the same: it now reports active = %t, integrated = %t (and, while the flag is off, "+
		"hides the mode it stores). So that state and GitLab agree, the settings were recorded as they are now, marked tainted, "+
		"with what was found before (%s) for `on_destroy`: the next apply replaces them.", got.Active, got.Integrated, found)
	return s + createdKeyDetail(project, failed)
}

// createdKeyDetail names the key GitLab created on the way, if any.
func createdKeyDetail(project string, failed failedCreate) string {
	if failed.CreatedKeyID == 0 {
		return ""
	}
	return fmt.Sprintf(" GitLab also created client key %d on the way, as it does when settings become active and integrated "+
		"without an active key; no resource manages it: import it into a gitlab_error_tracking_client_key (ID \"%s\") or delete it.",
		failed.CreatedKeyID, clientKeyID(project, failed.CreatedKeyID))
}

// withDetail is d with more detail.
func withDetail(d diag.Diagnostic, more string) diag.Diagnostic {
	detail := d.Detail() + "\n\n" + more
	if p, ok := d.(diag.DiagnosticWithPath); ok {
		return diag.NewAttributeErrorDiagnostic(p.Path(), d.Summary(), detail)
	}
	return diag.NewErrorDiagnostic(d.Summary(), detail)
}

// refusedDetail says why GitLab refuses integrated = true and what to do.
func refusedDetail(project, outcome string) string {
	return fmt.Sprintf("On an earlier apply, GitLab kept reporting integrated = false for project %q after it was set to integrated = true: "+
		"its `integrated_error_tracking` feature flag is off for the project (the default on self-managed GitLab). %s "+
		"Ask an administrator to enable the flag (`Feature.enable(:integrated_error_tracking)` in the Rails console), or set "+
		"`integrated = false` and configure Sentry in the project's UI.", project, outcome)
}
