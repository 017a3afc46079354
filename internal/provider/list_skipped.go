package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// A list block over a group skips the projects it cannot or should not
// read, and names every one of them in a single warning, with a summary of
// its own: Terraform folds warnings that share a summary ("and 3 more
// similar warnings elsewhere"), which would hide all skipped projects but
// one. Terraform stops reading a list's results at its limit, so a warning
// sent after the last result could be lost: each result is held back until
// the next one comes, and the warning goes with the last (finish).

// listRun is one List call: what both list resources need to turn the
// projects of the scope into results.
type listRun struct {
	base  *listBase
	ctx   context.Context
	req   list.ListRequest
	scope listScopeModel
	yield func(list.ListResult) bool // Terraform's; see push
	seen  map[int64]bool

	held    *list.ListResult // the last result, not sent yet
	stopped bool             // Terraform reads no more
	skipped []skippedProject
}

// projectName names a listed project in messages: its path and ID when
// known, else as it was given.
func projectName(p listedProject) string {
	if p.path != "" {
		return strconv.Quote(p.path) + " (ID " + strconv.FormatInt(p.id, 10) + ")"
	}
	return strconv.Quote(p.ref)
}

// skippedProject is a project of the group left out of the results.
type skippedProject struct {
	name string // projectName
	why  string
}

// skip records that the project p is left out of the results, and why.
func (r *listRun) skip(p listedProject, why string) {
	r.skipped = append(r.skipped, skippedProject{name: projectName(p), why: why})
}

// skipReason says why a read that failed with err skips a project of the
// group; ok is false for a failure that ends the listing instead.
func skipReason(err error) (why string, ok bool) {
	answered := fmt.Sprintf("GitLab answered %d", statusOf(err))
	switch gitlab.KindOf(err) {
	case gitlab.KindForbidden:
		return "not a Maintainer: " + answered + " (reading error tracking needs the Maintainer role or Owner)", true
	case gitlab.KindInsufficientScope:
		return "the token's scopes do not allow reading it: " + answered + " (a token with the `api` or `read_api` scope is needed)", true
	case gitlab.KindProjectNotFound:
		return "not visible to the token's user: " + answered + " (deleted, moved or made private since the group was listed)", true
	}
	return "", false
}

// push sends a result to Terraform, holding it back until the next one (or
// finish) so that the last result can carry the warning; false once
// Terraform reads no more.
func (r *listRun) push(res list.ListResult) bool {
	prev := r.held
	r.held = &res
	return prev == nil || r.send(*prev)
}

func (r *listRun) send(res list.ListResult) bool {
	if r.stopped {
		return false
	}
	r.stopped = !r.yield(res)
	return !r.stopped
}

// finish sends the result held back, with the warning that names the
// skipped projects; a warning alone when there is no result.
func (r *listRun) finish(what string) {
	if len(r.skipped) > 0 {
		if r.held == nil {
			r.held = &list.ListResult{}
		}
		r.held.Diagnostics.Append(r.skippedWarning(what))
	}
	if r.held != nil {
		r.send(*r.held)
		r.held = nil
	}
}

// skippedWarning names every skipped project. Its summary names the group
// and what the block lists, which tells two list blocks apart.
func (r *listRun) skippedWarning(what string) diag.Diagnostic {
	group := r.scope.Group.ValueString()
	projects := "1 project"
	if n := len(r.skipped); n > 1 {
		projects = fmt.Sprintf("%d projects", n)
	}
	// Archived projects are skipped as the group's pages are read, the
	// others as the projects are read, in parallel: the warning lists them
	// by path.
	slices.SortFunc(r.skipped, func(a, b skippedProject) int { return strings.Compare(a.name, b.name) })
	lines := make([]string, len(r.skipped))
	for i, s := range r.skipped {
		lines[i] = "- " + s.name + ": " + s.why + "."
	}
	return diag.NewWarningDiagnostic(fmt.Sprintf("%s of group %q skipped in the list of %s", projects, group, what),
		fmt.Sprintf("The %s of these projects of group %q are not listed:\n\n%s", what, group, strings.Join(lines, "\n")))
}
