package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// checkSentryCreate refuses to plan active Sentry-mode settings for a
// project that has none: GitLab can only create integrated settings, since
// the Sentry URL and token can be set only in its UI
// (internal/emulator/gitlab-api.md, "Settings"), so the create would fail.
func checkSentryCreate(ctx context.Context, client gitlab.API, project string, plan settingsResourceModel, resp *resource.ModifyPlanResponse) {
	if plan.Integrated.IsUnknown() || plan.Integrated.IsNull() || plan.Integrated.ValueBool() || !plan.Active.ValueBool() {
		return
	}
	if _, err := client.GetSettings(ctx, project); gitlab.KindOf(err) != gitlab.KindSettingsNotFound {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("integrated"), "Sentry mode cannot be created",
		fmt.Sprintf("Project %q has no error-tracking settings, and `integrated = false` with `active = true` asks GitLab to create them in "+
			"Sentry mode, which it refuses: a Sentry API URL and token can only be set in the project's Settings > Monitor > Error Tracking "+
			"page. Set up Sentry there first and apply again, or set `integrated = true` (or leave it out) for GitLab's integrated error tracking.",
			project))
}

// warnRefusedBefore warns when the plan asks again for integrated = true
// that GitLab refused on an earlier apply, which would fail the same way.
func warnRefusedBefore(ctx context.Context, req resource.ModifyPlanRequest, state, plan settingsResourceModel, resp *resource.ModifyPlanResponse) {
	if plan.Integrated.IsUnknown() || !plan.Integrated.ValueBool() || state.Integrated.ValueBool() || !refused(ctx, req.Private) {
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("integrated"), "GitLab refused integrated error tracking before",
		refusedDetail(state.Project.ValueString(), "This apply will fail the same way unless that has changed."))
}
