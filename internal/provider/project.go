package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// planProjectSwitch keeps a resource when its `project` changes only between
// spellings of one project, its ID and its paths (one GitLab moved it from
// included); replacing a client key would change the DSN every deployed
// application uses. The state's project is stateID when known (identity or
// private state), else what its spelling names. The strings are resolved
// only when they differ, so ordinary plans make no extra request.
func (b *resourceBase) planProjectSwitch(ctx context.Context, state, plan types.String, stateID int64, resp *resource.ModifyPlanResponse) bool {
	if state.IsNull() || plan.IsNull() || state.Equal(plan) {
		return false
	}
	client, ok := b.planClient(resp)
	if !ok {
		return false
	}
	if !plan.IsUnknown() {
		// An error means the old project may be gone; a replacement is then
		// the honest plan.
		if same, err := sameProject(ctx, client, state.ValueString(), stateID, plan.ValueString()); err == nil && same {
			return true
		}
	}
	resp.RequiresReplace.Append(path.Root("project"))
	return false
}

// plannedProject looks up the project of a resource that a plan creates or
// changes (the one lookup per such resource that a plan allows; the client
// asks once per project and run, and a key resource asks only about a
// project that this run has not seen yet). A project that GitLab does not
// have, or does not show the token's user, makes the write certain to fail:
// ok is false, with a warning that says so (planned names what the plan
// does there), since a project deleted in GitLab shows in the plan only as
// its resources to be created or changed. Other failures are left to the
// apply: p is nil and ok true.
func (b *resourceBase) plannedProject(ctx context.Context, client gitlab.API, project, planned string, resp *resource.ModifyPlanResponse) (p *gitlab.Project, ok bool) {
	p, err := client.Project(ctx, project)
	switch {
	case err == nil:
		b.projects.saw(project)
		if p.AccessLevel > 0 && p.AccessLevel < gitlab.MaintainerAccess {
			resp.Diagnostics.AddAttributeWarning(path.Root("project"), "Not a Maintainer of the project",
				fmt.Sprintf("The token's user is %s of project %q (access level %d). GitLab lets only Maintainers and Owners "+
					"read or change error tracking, so the plan %s there, which will fail with 403 Forbidden. Ask a project Owner "+
					"to make the user a Maintainer, or use the token of a Maintainer.", roleOf(p.AccessLevel), project, p.AccessLevel, planned))
		}
		return p, true
	case gitlab.KindOf(err) == gitlab.KindProjectNotFound:
		resp.Diagnostics.AddAttributeWarning(path.Root("project"), "Project not found",
			fmt.Sprintf("GitLab has no project %q that the token's user can see: it was deleted, renamed or moved, or the user lost access. "+
				"The plan %s in it, which will fail unless the project comes back. If it is gone for good, remove the resource from "+
				"the configuration.%s", project, planned, gitSuffixHint(project)))
		return nil, false
	}
	tflog.Debug(ctx, "project lookup at plan failed; leaving it to the apply", map[string]any{"project": project, "error": err.Error()})
	return nil, true
}

// roleOf names a GitLab access level below Maintainer, with its article.
func roleOf(level int) string {
	switch {
	case level >= 30:
		return "a Developer"
	case level >= 20:
		return "a Reporter"
	case level >= 15:
		return "a Planner"
	case level >= 10:
		return "a Guest"
	}
	return "a member with minimal access"
}

// projectBeforeWrite looks up a project written as a path before a write
// that creates something in it, so that a project GitLab cannot find fails
// with GitLab unchanged. The lookup is the one the object's identity needs
// (identity.go), shared by the run. A numeric ID needs none: the write's
// answer says whether the project exists.
func (b *resourceBase) projectBeforeWrite(ctx context.Context, client gitlab.API, project string) error {
	if _, ok := gitlab.NumericID(project); ok {
		return nil
	}
	_, err := client.Project(ctx, project)
	return err
}

// sameProject reports whether b names project a, whose ID is aID when
// known (0: the one that a names).
func sameProject(ctx context.Context, client gitlab.API, a string, aID int64, b string) (bool, error) {
	if aID <= 0 {
		pa, err := client.Project(ctx, a)
		if err != nil {
			return false, err
		}
		aID = pa.ID
	}
	pb, err := client.Project(ctx, b)
	if err != nil {
		return false, err
	}
	return aID == pb.ID, nil
}

// projectTakenOver adds the error of a plan that would change a resource in
// the project found at its `project` when the resource manages another
// project, projectID: GitLab moved that one, and the one found took its
// former path over. False when found is the managed project, either is
// not known, or the managed project is gone (deleted, with a new project
// made at its path).
func projectTakenOver(ctx context.Context, client gitlab.API, project string, found *gitlab.Project, projectID int64, diags *diag.Diagnostics) bool {
	if found == nil || projectID <= 0 || found.ID == projectID {
		return false
	}
	now := fmt.Sprintf("its ID, %d", projectID)
	managed, err := client.Project(ctx, strconv.FormatInt(projectID, 10))
	switch {
	case gitlab.KindOf(err) == gitlab.KindProjectNotFound:
		// The managed project was deleted, and a new one made at its
		// path: that one is the project the configuration names.
		return false
	case err == nil:
		now = fmt.Sprintf("its new path, %q, or its ID, %d", managed.PathWithNamespace, projectID)
	}
	diags.AddAttributeError(path.Root("project"), "Another project took the project's path over",
		fmt.Sprintf("`project` = %q names project %d, but this resource manages project %d, which GitLab moved (renamed or transferred): "+
			"another project took its former path over. The plan would write to the wrong project, so it stops; GitLab is unchanged. "+
			"Set `project` to %s.", project, found.ID, projectID, now))
	return true
}

// importedProjectPath is the full path of the project that an import by
// identity names, which the import records as `project` so that a
// configuration that writes the path plans clean; the ID goes to private
// state. It is "" after an error.
func (b *resourceBase) importedProjectPath(ctx context.Context, projectID int64, resp *resource.ImportStateResponse) string {
	client, ok := b.requireClient(&resp.Diagnostics)
	if !ok {
		return ""
	}
	p, err := client.Project(ctx, strconv.FormatInt(projectID, 10))
	if err != nil {
		resp.Diagnostics.Append(attempt{what: fmt.Sprintf("read project %d, which the import identity names", projectID)}.diagnostic(err))
		return ""
	}
	resp.Diagnostics.Append(recordProjectID(ctx, resp.Private, projectID)...)
	resp.Diagnostics.Append(recordInstance(ctx, resp.Private, client)...)
	return p.PathWithNamespace
}

// movedProject is the full path of the project that a resource manages,
// found by its ID, after a read at `project`, a full path, found nothing
// there: GitLab moved the project (renamed or transferred it), and the
// former path, which redirected to it, now names another project or none
// (internal/emulator/gitlab-api.md, the opening lines). It is "" when the
// project is still at that path, is gone, or has no known ID: the object is
// gone then. Only a read that found nothing asks, so a plan that finds no
// drift costs no more.
func movedProject(ctx context.Context, client gitlab.API, project string, projectID int64) (string, error) {
	if _, numeric := gitlab.NumericID(project); numeric || projectID <= 0 {
		return "", nil
	}
	p, err := client.Project(ctx, strconv.FormatInt(projectID, 10))
	if gitlab.KindOf(err) == gitlab.KindProjectNotFound {
		return "", nil
	}
	if err != nil || strings.EqualFold(p.PathWithNamespace, project) {
		return "", err
	}
	return p.PathWithNamespace, nil
}

// followMove, after a read at project found nothing (err), finds where
// GitLab moved the project that the resource manages (movedProject), by an
// ID learnt on this instance (idOnInstance), and reads there with read,
// which reports whether it found the object, or another failure. Found, it warns and returns the new path; otherwise
// project and err as they were, or the error of the lookup or the read.
func followMove(ctx context.Context, client gitlab.API, req resource.ReadRequest, diags *diag.Diagnostics, project string, err error, read func(project string) (bool, error)) (string, error) {
	if !idOnInstance(ctx, req.Private, client) {
		return project, err
	}
	projectID, _ := knownProjectID(ctx, req.Identity, req.Private, project)
	moved, lookupErr := movedProject(ctx, client, project, projectID)
	if lookupErr != nil {
		return project, lookupErr
	}
	if moved == "" {
		return project, err
	}
	found, readErr := read(moved)
	switch {
	case readErr != nil:
		return project, readErr
	case !found:
		return project, err
	}
	diags.Append(projectMoved(project, moved, projectID))
	return moved, nil
}

// projectMoved is the warning of a read that followed its project to the
// path GitLab moved it to (movedProject).
func projectMoved(project, moved string, projectID int64) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root("project"), "Project moved in GitLab",
		fmt.Sprintf("`project` = %q no longer reaches the project this resource manages (ID %d): GitLab moved that project to %q, "+
			"and %q now names another project, or none. The state now records %q. Set `project = %q` (or %d) in the configuration; "+
			"while it says %q, plans replace this resource with one in the project that path names now.",
			project, projectID, moved, project, moved, moved, projectID, project))
}
