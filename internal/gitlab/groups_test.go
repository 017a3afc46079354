package gitlab

import (
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// groupsWorld is an emulated GitLab with the group acme (id 1), its
// subgroup acme/sub, a user who owns acme, and acmeProjects projects in acme
// (acme/p000, acme/p001, ...).
func groupsWorld(t *testing.T, acmeProjects int) (*emulator.Server, *Client) {
	t.Helper()
	em := emulator.New(emulator.Options{})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	uid := em.AddUser("lister", false)
	em.AddToken(uid, testToken, "read_api")
	em.SetGroupRole(em.AddGroup("acme"), uid, emulator.RoleOwner)
	em.AddGroup("acme/sub")
	for i := range acmeProjects {
		em.AddProject(fmt.Sprintf("acme/p%03d", i))
	}
	return em, newTestClient(t, srv.URL)
}

// groupRequests counts the logged requests below /api/v4/groups.
func groupRequests(em *emulator.Server) (n int, queries []url.Values) {
	for _, r := range em.Requests() {
		if strings.HasPrefix(r.Path, "/api/v4/groups/") {
			n++
			q, _ := url.ParseQuery(r.RawQuery)
			queries = append(queries, q)
		}
	}
	return n, queries
}

// collect lists acme's projects, stopping after limit (0: all).
func collect(t *testing.T, gs *Client, q GroupProjectsQuery, limit int) []GroupProject {
	t.Helper()
	var out []GroupProject
	for p, err := range gs.GroupProjects(t.Context(), "acme", q) {
		if err != nil {
			t.Fatalf("listing acme: %v", err)
		}
		out = append(out, p)
		if len(out) == limit {
			break
		}
	}
	return out
}

func TestGroupResolvesOncePerName(t *testing.T) {
	t.Parallel()
	em, gs := groupsWorld(t, 0)
	for _, ref := range []string{"acme/sub", "2", "acme/sub", "2"} {
		g, err := gs.Group(t.Context(), ref)
		if err != nil || g.ID != 2 || g.FullPath != "acme/sub" {
			t.Fatalf("Group(%q) = %+v, %v", ref, g, err)
		}
	}
	n, queries := groupRequests(em)
	if n != 1 || queries[0].Get("with_projects") != "false" {
		t.Fatalf("%d requests %v, want one with with_projects=false", n, queries)
	}

	_, err := gs.Group(t.Context(), "acme/none")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusNotFound || e.Message != "404 Group Not Found" || !strings.Contains(e.Op, `group "acme/none"`) {
		t.Fatalf("missing group: %#v", err)
	}
}

func TestGroupProjectsPages(t *testing.T) {
	t.Parallel()
	em, gs := groupsWorld(t, 240)
	for i := range 20 {
		em.AddProject(fmt.Sprintf("acme/sub/s%02d", i))
	}
	archived := em.AddProject("acme/old")
	em.SetArchived(archived, true)

	// Stopping early reads only the pages needed.
	all := GroupProjectsQuery{IncludeSubgroups: true, IncludeArchived: true}
	first := collect(t, gs, all, 150)
	if n, _ := groupRequests(em); n != 2 || len(first) != 150 || first[0].PathWithNamespace != "acme/p000" || first[149].ID != 150 {
		t.Fatalf("%d requests for the first 150 projects (from %+v), want 2", n, first[0])
	}
	// Listing again replays those pages and reads the last one once.
	everything := collect(t, gs, all, 0)
	if n, queries := groupRequests(em); n != 3 || len(everything) != 261 {
		t.Fatalf("%d requests, %d projects; want 3 and 261", n, len(everything))
	} else {
		for _, q := range queries {
			if q.Get("per_page") != "100" || q.Get("order_by") != "id" || q.Get("sort") != "asc" ||
				q.Get("include_subgroups") != "true" || q.Has("archived") || q.Get("with_shared") != "false" {
				t.Errorf("query %v", q)
			}
		}
	}
	last := everything[len(everything)-1]
	if last.PathWithNamespace != "acme/old" || !last.Archived || everything[0].Archived {
		t.Errorf("last project %+v, first %+v", last, everything[0])
	}
	if again := collect(t, gs, all, 0); len(again) != 261 {
		t.Errorf("third listing: %d projects", len(again))
	}
	if n, _ := groupRequests(em); n != 3 {
		t.Errorf("%d requests after a third listing, want still 3", n)
	}

	// Another query is another listing: active projects of acme alone.
	em.ResetRequests()
	own := collect(t, gs, GroupProjectsQuery{}, 0)
	if n, queries := groupRequests(em); len(own) != 240 || n != 3 || queries[0].Get("archived") != "false" || queries[0].Get("include_subgroups") != "false" {
		t.Errorf("%d projects in %d requests (%v), want 240 in 3 with archived=false", len(own), n, queries)
	}
}

// The group's path and its ID name one listing: its pages are read once,
// for one more request that resolves the second spelling. Two IDs need no
// lookup.
func TestGroupListingSharedAcrossSpellings(t *testing.T) {
	t.Parallel()
	em, gs := groupsWorld(t, 150)
	list := func(group string) int {
		n := 0
		for _, err := range gs.GroupProjects(t.Context(), group, GroupProjectsQuery{}) {
			if err != nil {
				t.Fatalf("listing %s: %v", group, err)
			}
			n++
		}
		return n
	}
	for _, group := range []string{"acme", "1", "acme", "1"} {
		if n := list(group); n != 150 {
			t.Fatalf("group %q: %d projects, want 150", group, n)
		}
	}
	var paths []string
	for _, r := range em.Requests() {
		paths = append(paths, r.Path)
	}
	if want := []string{"/api/v4/groups/acme/projects", "/api/v4/groups/acme/projects", "/api/v4/groups/1"}; fmt.Sprint(paths) != fmt.Sprint(want) {
		t.Errorf("requests %v, want %v: two pages read once and one lookup", paths, want)
	}

	em.ResetRequests()
	if n := list("2"); n != 0 {
		t.Errorf("acme/sub: %d projects, want 0", n)
	}
	if n, _ := groupRequests(em); n != 1 {
		t.Errorf("%d requests for the listing of group 2 after group 1, want 1 (no lookup)", n)
	}
}

func TestConcurrentGroupListingsShareEachPage(t *testing.T) {
	t.Parallel()
	em, gs := groupsWorld(t, 250)
	var wg sync.WaitGroup
	counts := make([]int, 8)
	for i := range counts {
		wg.Go(func() {
			for _, err := range gs.GroupProjects(t.Context(), "acme", GroupProjectsQuery{}) {
				if err != nil {
					t.Error(err)
					return
				}
				counts[i]++
			}
		})
	}
	wg.Wait()
	for i, n := range counts {
		if n != 250 {
			t.Errorf("listing %d saw %d projects", i, n)
		}
	}
	if n, _ := groupRequests(em); n != 3 {
		t.Errorf("%d requests for 8 listings of 3 pages, want 3", n)
	}
}

func TestGroupListingEndsWithAnError(t *testing.T) {
	t.Parallel()
	em, gs := groupsWorld(t, 150)
	next, stop := iter.Pull2(gs.GroupProjects(t.Context(), "acme", GroupProjectsQuery{}))
	defer stop()
	for range 100 {
		if _, err, ok := next(); err != nil || !ok {
			t.Fatalf("first page: %v, %t", err, ok)
		}
	}
	// The token loses the group before the second page.
	em.SetGroupRole(1, 1, emulator.RoleNone)
	_, err, ok := next()
	var e *Error
	if !ok || !errors.As(err, &e) || e.Message != "404 Group Not Found" {
		t.Fatalf("second page: %v, %t", err, ok)
	}
	if _, _, ok := next(); ok {
		t.Error("the sequence went on after its error")
	}
}
