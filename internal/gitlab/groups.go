package gitlab

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"sync"

	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// Group is the part of a GitLab group that listing its projects needs.
type Group struct {
	ID       int64
	FullPath string
}

// GroupProject is one project of a group's listing.
type GroupProject struct {
	ID                int64
	PathWithNamespace string
	Archived          bool
}

// GroupProjectsQuery selects which of a group's projects are listed.
type GroupProjectsQuery struct {
	// IncludeSubgroups lists the projects of every subgroup too.
	IncludeSubgroups bool
	// IncludeArchived lists archived projects too; without it GitLab is
	// asked for active projects only (archived=false).
	IncludeArchived bool
}

// groups is what a Client remembers of groups for its life (one Terraform
// run): every group it resolved and every page of projects it read, so
// that the list resources of a run share them.
type groups struct {
	mu       sync.Mutex
	byName   lookups[Group]
	listings map[groupListingKey]*groupListing
}

// Group performs GET /groups/:id once per group for the Client's life;
// concurrent callers share the request. group is a numeric ID or a full
// path. It asks for the group alone (with_projects=false): GitLab otherwise
// adds up to 100 of its projects (internal/emulator/gitlab-api.md,
// "Groups").
func (c *Client) Group(ctx context.Context, group string) (*Group, error) {
	r := request{
		op:     fmt.Sprintf("read group %q", group),
		method: http.MethodGet,
		path:   groupPath(group),
	}
	return lookUp(ctx, c, &c.groups.byName, group, r, "group",
		func(o ...gl.RequestOptionFunc) (*gl.Group, *gl.Response, error) {
			// with_projects is deprecated for API v5; v4 still sends up to 100
			// projects without it.
			opt := &gl.GetGroupOptions{WithProjects: gl.Ptr(false)} //nolint:staticcheck // see above
			return c.rest.Groups.GetGroup(group, opt, o...)
		},
		func(gg *gl.Group) (*Group, int64, string) {
			return &Group{ID: gg.ID, FullPath: gg.FullPath}, gg.ID, gg.FullPath
		})
}

// GroupProjects lists the group's projects visible to the token, oldest
// first (order_by=id, so that projects created meanwhile land on later
// pages rather than shifting earlier ones). It reads a page of 100 only
// when the caller has consumed the one before, so a caller that stops
// early (a list's limit) reads no more than it needs; and it reads each
// page once for the Client's life, whoever asks and however the group is
// written (see listing): a second listing of the same group and query
// replays the pages already read and reads on from there. An error ends
// the sequence.
func (c *Client) GroupProjects(ctx context.Context, group string, q GroupProjectsQuery) iter.Seq2[GroupProject, error] {
	return func(yield func(GroupProject, error) bool) {
		l := c.listing(ctx, group, q)
		for page := 0; ; page++ {
			projects, more, err := l.page(ctx, page, func(n int64) ([]GroupProject, int64, error) {
				return c.groupProjectsPage(ctx, group, q, n)
			})
			if err != nil {
				yield(GroupProject{}, err)
				return
			}
			for _, p := range projects {
				if !yield(p, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}

// groupProjectsPage performs one GET /groups/:id/projects and returns the
// page's projects and the next page's number, 0 after the last.
func (c *Client) groupProjectsPage(ctx context.Context, group string, q GroupProjectsQuery, page int64) ([]GroupProject, int64, error) {
	r := request{
		op:     fmt.Sprintf("list the projects of group %q", group),
		method: http.MethodGet,
		path:   groupPath(group) + "/projects",
	}
	opt := &gl.ListGroupProjectsOptions{
		ListOptions:      gl.ListOptions{Page: page, PerPage: maxPerPage},
		IncludeSubGroups: gl.Ptr(q.IncludeSubgroups),
		OrderBy:          gl.Ptr("id"),
		Sort:             gl.Ptr("asc"),
		// The group's own projects: GitLab adds those that other groups
		// share with it unless told not to (internal/emulator/gitlab-api.md,
		// "GET /groups/:id/projects").
		WithShared: gl.Ptr(false),
	}
	if !q.IncludeArchived {
		opt.Archived = gl.Ptr(false)
	}
	var batch []*gl.Project
	resp, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (resp *gl.Response, err error) {
		batch, resp, err = c.rest.Groups.ListGroupProjects(group, opt, o...)
		return resp, err
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]GroupProject, 0, len(batch))
	for _, p := range batch {
		if p != nil {
			out = append(out, GroupProject{ID: p.ID, PathWithNamespace: p.PathWithNamespace, Archived: p.Archived})
		}
	}
	// Above 10,000 projects GitLab omits the totals: follow X-Next-Page
	// (internal/emulator/gitlab-api.md, "Pagination").
	next, err := c.nextPage(r, st, resp, page)
	if err != nil {
		return nil, 0, err
	}
	return out, next, nil
}

func groupPath(group string) string {
	// The same escaping client-go applies to GroupID{group}.
	return "groups/" + gl.PathEscape(group)
}

type groupListingKey struct {
	group string // as the caller wrote it
	query GroupProjectsQuery
}

// groupListing is one listing's pages, read in order and kept. Its
// semaphore lets one caller at a time read the next page, while a caller
// whose context ends can stop waiting.
type groupListing struct {
	id    int64 // the group's ID; 0 while its spelling is a path not resolved
	sem   chan struct{}
	pages [][]GroupProject // pages read so far, in order
	next  int64            // the next page to read; 0 when every page is read
}

// listing is the listing of the group with the query, shared by every
// spelling of the group (its ID, its full path in any case). A spelling
// met before costs nothing; a new one is resolved with Group (one request
// per group for the Client's life) only when another listing of the query
// may be of the same group: one whose ID is unknown, or, for a spelling
// that is not an ID, any.
func (c *Client) listing(ctx context.Context, group string, q GroupProjectsQuery) *groupListing {
	gs := &c.groups
	k := groupListingKey{group, q}
	id, _ := NumericID(group)
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if l, ok := gs.listings[k]; ok {
		return l
	}
	mayShare := false
	for other, l := range gs.listings {
		mayShare = mayShare || (other.query == q && (id == 0 || l.id == 0))
	}
	if mayShare {
		gs.mu.Unlock()
		g, err := c.Group(ctx, group)
		gs.mu.Lock()
		if l, ok := gs.listings[k]; ok {
			return l
		}
		// A group that cannot be read gets a listing of its own, whose
		// first page reports the failure as a single listing would.
		if err == nil {
			id = g.ID
			for other, l := range gs.listings {
				if other.query == q && (l.id == g.ID || other.group == strconv.FormatInt(g.ID, 10) || strings.EqualFold(other.group, g.FullPath)) {
					l.id = g.ID
					gs.listings[k] = l
					return l
				}
			}
		}
	}
	l := &groupListing{id: id, sem: make(chan struct{}, 1), next: 1}
	if gs.listings == nil {
		gs.listings = make(map[groupListingKey]*groupListing)
	}
	gs.listings[k] = l
	return l
}

// page returns page i (from 0) of the listing, reading it with read when
// no caller has yet, and whether another page follows it.
func (l *groupListing) page(ctx context.Context, i int, read func(n int64) ([]GroupProject, int64, error)) ([]GroupProject, bool, error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	defer func() { <-l.sem }()
	if i < len(l.pages) {
		return l.pages[i], i+1 < len(l.pages) || l.next != 0, nil
	}
	if l.next == 0 {
		return nil, false, nil
	}
	projects, next, err := read(l.next)
	if err != nil {
		return nil, false, err
	}
	l.pages = append(l.pages, projects)
	l.next = next
	return projects, next != 0, nil
}
