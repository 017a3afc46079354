package emulator

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// GitLab's default and largest number of projects in GET /groups/:id
// (GroupProjectsFinder::DEFAULT_PROJECTS_LIMIT).
const groupDetailProjects = 100

// serveGroupsLocked answers GET /groups/:id and GET /groups/:id/projects
// (gitlab-api.md, "Groups"). u is nil for an anonymous request, which sees
// no private group.
func (s *Server) serveGroupsLocked(rt route, ps params, r *http.Request, u *user) response {
	id, found := s.groups.find(rt.id)
	g := s.groups.byID[id]
	if !found || !s.groupVisibleLocked(g, u) {
		return messageResponse(http.StatusNotFound, "404 Group Not Found")
	}
	v := validator{params: ps}
	base := baseURL(r)
	toProject := func(p *project) projectEntity { return s.projectEntityLocked(p, base) }
	if rt.ep == epGroup {
		withProjects := v.booleanOr("with_projects", true)
		if resp, bad := v.failed(); bad {
			return resp
		}
		e := groupDetailEntity{groupEntity: s.groupEntityLocked(g, base), SharedWithGroups: []struct{}{}}
		if withProjects {
			projects := s.visibleProjectsLocked(s.groupProjectsLocked(g, false), u)
			slices.Reverse(projects) // newest first, as ProjectsFinder sorts without a sort
			projects = projects[:min(len(projects), groupDetailProjects)]
			list, shared := entities(projects, toProject), []projectEntity{}
			e.Projects, e.SharedProjects = &list, &shared
		}
		return jsonResponse(http.StatusOK, e)
	}

	archived := v.boolean("archived", false, true)
	subgroups := v.booleanOr("include_subgroups", false)
	simple := v.booleanOr("simple", false)
	orderBy := v.oneOf("order_by", "created_at", "id", "name", "path", "created_at", "updated_at", "last_activity_at", "similarity")
	sort := v.oneOf("sort", "desc", "asc", "desc")
	pr := v.pageRequest()
	if resp, bad := v.failed(); bad {
		return resp
	}
	projects := s.visibleProjectsLocked(s.groupProjectsLocked(g, subgroups), u)
	if archived != nil {
		projects = slices.DeleteFunc(projects, func(p *project) bool { return p.archived != *archived })
	}
	sortProjects(projects, orderBy, sort)
	if simple {
		return pagedResponse(r, rt.id, projects, pr, func(p *project) basicProjectEntity { return s.basicProjectEntityLocked(p, base) })
	}
	return pagedResponse(r, rt.id, projects, pr, toProject)
}

func (s *Server) visibleProjectsLocked(projects []*project, u *user) []*project {
	return slices.DeleteFunc(projects, func(p *project) bool { return !s.projectVisibleLocked(p, u) })
}

// sortProjects orders as GitLab's order_options_with_tie_breaker: by the
// column, then by id in the same direction. created_at is id (GitLab
// swaps it for the indexed id); the emulator keeps no activity, so
// updated_at and last_activity_at are creation order too. similarity
// without a search is name ascending.
func sortProjects(projects []*project, orderBy, sort string) {
	key := func(a, b *project) int { return 0 }
	switch orderBy {
	case "name", "path": // the emulator's names are the paths
		key = func(a, b *project) int { return strings.Compare(a.name(), b.name()) }
	case "similarity":
		slices.SortStableFunc(projects, func(a, b *project) int {
			return cmp.Or(strings.Compare(a.name(), b.name()), direction(sort)*cmp.Compare(a.id, b.id))
		})
		return
	}
	slices.SortStableFunc(projects, func(a, b *project) int {
		return direction(sort) * cmp.Or(key(a, b), cmp.Compare(a.id, b.id))
	})
}

func direction(sort string) int {
	if sort == "asc" {
		return 1
	}
	return -1
}
