package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// first reports whether p is listed for the first time: `projects` may name
// a project twice, by its ID and by its path.
func (r *listRun) first(p listedProject) bool {
	if r.seen[p.id] {
		return false
	}
	if r.seen == nil {
		r.seen = map[int64]bool{}
	}
	r.seen[p.id] = true
	return true
}

// newResult is a result with the display name and the identity set.
func (r *listRun) newResult(name string, id objectIdentity) list.ListResult {
	res := r.req.NewListResult(r.ctx)
	res.DisplayName = name
	setIdentity(res.Identity, id)
	return res
}

// withResource adds the full resource when Terraform asked for it
// (include_resource), from model.
func (r *listRun) withResource(res *list.ListResult, model any) {
	if r.req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(r.ctx, model)...)
	}
}

// failed reports a failed read and says whether the listing goes on.
// Within a group, a project the token's user can list but not read (or
// that went away since it was listed) is skipped, and named in the warning
// of list_skipped.go; anything else, and any failure for a project named in
// `projects`, ends the listing.
func (r *listRun) failed(p listedProject, action string, err error) bool {
	k := gitlab.KindOf(err)
	if p.ref != "" && !r.scope.Group.IsNull() {
		if why, ok := skipReason(err); ok {
			r.skip(p, why)
			return true
		}
	}
	var d diag.Diagnostic
	switch {
	case r.swapped(p, k, &d):
	case p.ref == "":
		d = attempt{what: fmt.Sprintf("list the projects of group %q", r.scope.Group.ValueString())}.diagnostic(err)
	case k == gitlab.KindProjectNotFound:
		d = diag.NewErrorDiagnostic("Project not found",
			fmt.Sprintf("Could not %s of project %q, listed in `projects`%s.\n\nGitLab has no project with this ID or path that the token's user can see. "+
				"Check the entry (a numeric ID or a full path such as \"group/subgroup/project\"), and that the user is a member of the project.%s",
				action, p.ref, answerOf(err), gitSuffixHint(p.ref)))
	default:
		d = attempt{what: fmt.Sprintf("%s of project %s", action, projectName(p))}.diagnostic(err)
	}
	r.push(list.ListResult{Diagnostics: diag.Diagnostics{d}})
	return false
}

// swapped words a project given as `group`, or a group given in `projects`,
// into d: after GitLab found no group (or no project) by that name, one
// request for the other kind tells which it is. It is false, with d
// untouched, when that request finds nothing either.
func (r *listRun) swapped(p listedProject, k gitlab.Kind, d *diag.Diagnostic) bool {
	switch {
	case p.ref == "" && k == gitlab.KindGroupNotFound:
		group := r.scope.Group.ValueString()
		found, err := r.base.client.Project(r.ctx, group)
		if err != nil {
			return false
		}
		*d = diag.NewErrorDiagnostic("Project given as group",
			fmt.Sprintf("`group` = %q names no group that the token's user can see, but a project: %q (ID %d). `group` takes a group, "+
				"whose projects are listed; to list this project, write `projects = [%q]` instead of `group`.", group, found.PathWithNamespace, found.ID, group))
	case p.ref != "" && k == gitlab.KindProjectNotFound && r.scope.Group.IsNull():
		found, err := r.base.client.Group(r.ctx, p.ref)
		if err != nil {
			return false
		}
		*d = diag.NewErrorDiagnostic("Group given in projects",
			fmt.Sprintf("`projects` names %q, which is no project that the token's user can see, but a group: %q (ID %d). `projects` takes projects; "+
				"to list the projects of this group, write `group = %q` instead of `projects` (a list block takes one or the other).", p.ref, found.FullPath, found.ID, p.ref))
	default:
		return false
	}
	return true
}
