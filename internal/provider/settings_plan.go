package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// ModifyPlan keeps a switch between the ID and the path of one project, and
// says at plan what the apply would otherwise find out by failing or by
// undoing another resource's work (docs/guides/reliability.md, "Plans that
// warn"): a project that is gone, a project claimed by two settings
// resources, Sentry mode on a project without settings, and integrated mode
// that GitLab refused before.
func (r *settingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.planSettingsDestroy(ctx, req, resp)
		return
	}
	var state, plan settingsResourceModel
	if !load(ctx, &resp.Diagnostics, req.Plan, &plan) {
		return
	}
	creating := req.State.Raw.IsNull()
	if !creating {
		if !load(ctx, &resp.Diagnostics, req.State, &state) {
			return
		}
		if r.planProjectSwitch(ctx, state.Project, plan.Project, resp) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.Project)...)
		}
		if resp.RequiresReplace.Contains(path.Root("project")) {
			return // Terraform plans the new object again, as a create
		}
		warnRefusedBefore(ctx, req, state, plan, resp)
		if settingsChange(state, plan) {
			// The apply records what it writes.
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("last_written"), types.ObjectUnknown(writtenAttrTypes))...)
		}
	}

	client, ok := r.readClient()
	if !ok || plan.Project.IsUnknown() {
		return
	}
	project := plan.Project.ValueString()
	var found *gitlab.Project
	if creating || settingsChange(state, plan) {
		planned := "creates its error-tracking settings"
		if !creating {
			planned = "changes its error-tracking settings"
		}
		if found, ok = r.plannedProject(ctx, client, project, planned, resp); !ok {
			return
		}
	}
	id, fullPath := int64(0), ""
	if found != nil {
		id, fullPath = found.ID, found.PathWithNamespace
	} else if !creating {
		// The ID the state records, without a request.
		id, _ = knownProjectID(ctx, req.Identity, req.Private, project)
	}
	if !r.claimProject(ctx, req, resp, creating, project, found, id, fullPath) {
		return
	}
	if creating && found != nil {
		checkSentryCreate(ctx, client, project, plan, resp)
	}
}

// settingsChange reports a plan that writes to GitLab.
func settingsChange(state, plan settingsResourceModel) bool {
	return !plan.Active.Equal(state.Active) || (!plan.Integrated.IsUnknown() && !plan.Integrated.Equal(state.Integrated))
}

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

// refusedDetail says why GitLab refuses integrated = true and what to do.
func refusedDetail(project, outcome string) string {
	return fmt.Sprintf("On an earlier apply, GitLab kept reporting integrated = false for project %q after it was set to integrated = true: "+
		"its `integrated_error_tracking` feature flag is off for the project (the default on self-managed GitLab). %s "+
		"Ask an administrator to enable the flag (`Feature.enable(:integrated_error_tracking)` in the Rails console), or set "+
		"`integrated = false` and configure Sentry in the project's UI.", project, outcome)
}
