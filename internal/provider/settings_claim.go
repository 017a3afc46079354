package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// How a settings plan claims its project (runProjects.claim), and what it
// checks with the other resources of the plan (plan_conflicts.go).
//
// `-replace` (and a replace the provider asks for) plans one instance
// twice: first as an update, then as a create that receives the first
// pass's private state. A claim therefore writes a marker of this run and
// project into private state, and a create that carries this run's marker
// for the same project is the same claimer. Private state alone is not
// enough: a change of `project` replaces the settings too, and the create
// must still claim the new project.

// privateClaimKey holds the claimMarker of the plan that claimed the
// project.
const privateClaimKey = "claim"

type claimMarker struct {
	Run   string   `json:"run"`
	Names []string `json:"names"` // claimNames of the project
}

// forgetClaim drops the claim marker, which serves only the plan that
// wrote it, from the private state an apply stores.
func forgetClaim(ctx context.Context, p privateState) diag.Diagnostics {
	return p.SetKey(ctx, privateClaimKey, nil)
}

// claimProject claims the project for this plan: a create that the first
// pass of the same instance claimed for it already claims nothing more.
// It reports false, with the error, when another resource claimed it.
func (r *resourceBase) claimProject(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	creating bool, project string, found *gitlab.Project, id int64, fullPath string,
) bool {
	run := r.projects.forSettings().runID()
	names := claimNames(project, id, fullPath)
	var marker claimMarker
	sameClaimer := false
	if marked, _ := getPrivate(ctx, req.Private, privateClaimKey, &marker, ""); creating && marked && run != "" && marker.Run == run {
		sameClaimer = slices.ContainsFunc(marker.Names, func(n string) bool { return slices.Contains(names, n) })
	}
	if !sameClaimer {
		if earlier := r.projects.claim(project, id, fullPath); earlier != "" {
			resp.Diagnostics.AddAttributeError(path.Root("project"), "Two settings resources for one project",
				fmt.Sprintf("`project` = %s names the project that another gitlab_error_tracking_settings resource of this configuration "+
					"manages as %q. Two resources for one project undo each other's changes on every apply. Keep one of them; if the other "+
					"is in state already, remove it from the configuration with a `removed` block (Terraform and OpenTofu 1.7 or later) or "+
					"`terraform state rm` (`tofu state rm`), so that destroying it does not change the project.", describeProject(project, found), earlier))
			return false
		}
	}
	if run != "" {
		resp.Diagnostics.Append(setPrivate(ctx, resp.Private, privateClaimKey, claimMarker{Run: run, Names: names})...)
	}
	if creating {
		resp.Diagnostics.Append(r.conflicts.takes(settingsObject(project, id, fullPath), "creates")...)
	}
	return !resp.Diagnostics.HasError()
}

// planSettingsDestroy records, for plan_conflicts.go, that the plan
// destroys the settings in state. The apply of create_before_destroy plans
// the destroy of the old instance too, after the new one was created.
func (r *resourceBase) planSettingsDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var project types.String
	if resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("project"), &project)...); resp.Diagnostics.HasError() || project.IsNull() {
		return
	}
	projectID, _ := knownProjectID(ctx, req.Identity, req.Private, project.ValueString())
	run, names := r.projects.forSettings(), claimNames(project.ValueString(), projectID, "")
	if _, ok := run.find(writtenBy, names); ok {
		// Only an apply writes: this is the destroy of the old instance
		// of a create_before_destroy replace, planned once the new one
		// has been written.
		return
	}
	obj := settingsObject(project.ValueString(), projectID, "")
	// The retry of a create_before_destroy replace whose create failed
	// destroys what that replace left deposed and replaces what it left
	// tainted, which the refresh read: no rename, whatever the order.
	if _, leftover := getFailedCreate(ctx, req.Private); leftover {
		run.countLeftover(names, true)
	}
	obj.replacing = func() bool { return run.replacesLeftover(names) }
	resp.Diagnostics.Append(r.conflicts.destroys(obj)...)
}

// settingsObject is a project's settings as plan_conflicts.go knows them.
func settingsObject(project string, projectID int64, fullPath string) plannedObject {
	return plannedObject{
		typeName: "gitlab_error_tracking_settings",
		what:     fmt.Sprintf("the error-tracking settings of project %q", project),
		names:    objectNames("settings", 0, project, projectID, fullPath),
		harm: "would run the two in no fixed order: the destroy could disable or restore the settings that the other resource " +
			"manages from then on, and state would then hold values GitLab does not have",
	}
}
