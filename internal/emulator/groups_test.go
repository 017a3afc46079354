package emulator

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const bodyGroupNotFound = `{"message":"404 Group Not Found"}`

// listedProject is what a list of projects says of each.
type listedProject struct {
	ID                int64  `json:"id"`
	PathWithNamespace string `json:"path_with_namespace"`
	Archived          *bool  `json:"archived"`
	Namespace         struct {
		ID       int64  `json:"id"`
		FullPath string `json:"full_path"`
	} `json:"namespace"`
}

func decodeProjects(t *testing.T, body string) []listedProject {
	t.Helper()
	return decodeJSON[[]listedProject](t, body)
}

func paths(ps []listedProject) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.PathWithNamespace)
	}
	return strings.Join(out, " ")
}

func groupProjectsPath(group, query string) string {
	return "/api/v4/groups/" + group + "/projects" + query
}

// groupWorld is a test world with this tree of groups (ids 1 to 4) and
// projects (ids 1 to 7), whose users are members of group/sub/project only:
//
//	group (1)            group/other (2), group/top (7)
//	group/sub (2)        group/sub/project (1), group/sub/a (3), group/sub/b (4)
//	group/sub/deep (3)   group/sub/deep/c (5)
//	elsewhere (4)        elsewhere/x (6)
func groupWorld(t *testing.T) *world {
	t.Helper()
	w := newIntegratedWorld(t)
	for _, p := range []string{"group/sub/a", "group/sub/b", "group/sub/deep/c", "elsewhere/x", "group/top"} {
		w.srv.AddProject(p)
	}
	return w
}

func TestGroupsImpliedByProjectPaths(t *testing.T) {
	w := groupWorld(t)
	for path, wantID := range map[string]int64{"group": 1, "group/sub": 2, "group/sub/deep": 3, "elsewhere": 4} {
		if id, ok := w.srv.GroupByPath(path); !ok || id != wantID {
			t.Errorf("group %q: id %d, %t; want %d", path, id, ok, wantID)
		}
	}
	// An existing group is returned, not created again; a project's path is
	// not a group's.
	if id := w.srv.AddGroup("Group/Sub"); id != 2 {
		t.Errorf("AddGroup of an existing path = %d, want 2", id)
	}
	if _, err := w.srv.CreateGroup("group/sub/project"); err == nil {
		t.Error("a group took a project's path")
	}
	if _, err := w.srv.CreateProject("group/sub", false); err == nil {
		t.Error("a project took a group's path")
	}
	if _, err := w.srv.CreateProject("solo", false); err == nil {
		t.Error("a project without a namespace was created")
	}
	// A project in a new subgroup creates it under the existing parent.
	w.srv.AddProject("group/new/app")
	w.call("GET", "/api/v4/groups/group%2Fnew", tokAdmin).expectJSON(t, 200, map[string]any{"id": 5.0, "parent_id": 1.0, "full_path": "group/new"})
}

func TestGetGroup(t *testing.T) {
	w := groupWorld(t)
	for _, ref := range []string{"2", "group%2Fsub", "GROUP%2Fsub"} {
		w.call("GET", "/api/v4/groups/"+ref+"?with_projects=false", tokAdmin).expect(t, 200,
			`{"id":2,"web_url":"`+w.ts.URL+`/groups/group/sub","name":"sub","path":"sub","description":"","visibility":"private",`+
				`"avatar_url":null,"full_name":"group / sub","full_path":"group/sub","created_at":"2025-03-04T05:06:07.890Z","parent_id":1,"shared_with_groups":[]}`)
	}
	w.call("GET", "/api/v4/groups/1?with_projects=false", tokAdmin).expectJSON(t, 200, map[string]any{"parent_id": nil, "full_path": "group"})
	// "+2" is not an ID but a path, which no group has.
	w.call("GET", "/api/v4/groups/+2", tokAdmin).expect(t, 404, bodyGroupNotFound)

	// By default the group's own projects come along, newest first, not
	// those of subgroups.
	got := w.call("GET", "/api/v4/groups/group%2Fsub", tokAdmin)
	if got.status != 200 {
		t.Fatalf("got %d %s", got.status, got.body)
	}
	detail := decodeJSON[struct {
		Projects       []listedProject `json:"projects"`
		SharedProjects []listedProject `json:"shared_projects"`
	}](t, got.body)
	if p := paths(detail.Projects); p != "group/sub/b group/sub/a group/sub/project" || detail.SharedProjects == nil {
		t.Errorf("projects %q, shared %v", p, detail.SharedProjects)
	}
	w.call("GET", "/api/v4/groups/2?with_projects=maybe", tokAdmin).expect(t, 400, `{"error":"with_projects is invalid"}`)

	// Missing, invisible and anonymous look the same; a bad token is 401.
	for _, tc := range []struct{ ref, token string }{{"99", tokAdmin}, {"no%2Fsuch", tokAdmin}, {"elsewhere", tokOwner}, {"group", ""}, {"group%2Fsub", ""}} {
		w.call("GET", "/api/v4/groups/"+tc.ref, tc.token).expect(t, 404, bodyGroupNotFound)
		w.call("GET", groupProjectsPath(tc.ref, ""), tc.token).expect(t, 404, bodyGroupNotFound)
	}
	w.call("GET", "/api/v4/groups/1", "bad-token").expect(t, 401, bodyUnauthorized)
	// A raw slash is another route.
	w.call("GET", "/api/v4/groups/group/sub", tokAdmin).expect(t, 404, bodyUnknownRoute)
	// Any read scope reads groups; read_user does not.
	if got := w.call("GET", "/api/v4/groups/2", tokReadAPI); got.status != 200 {
		t.Errorf("read_api: %d %s", got.status, got.body)
	}
	id := w.srv.AddUser("profile-reader", true)
	w.srv.AddToken(id, "read-user-token", "read_user")
	w.call("GET", "/api/v4/groups/2", "read-user-token").expect(t, 403,
		`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api"}`)
}

// TestGroupVisibility: a private group is visible to admins, to members of
// it or of an ancestor, and to users who see one of its projects, in a
// subgroup too.
func TestGroupVisibility(t *testing.T) {
	w := groupWorld(t)
	// The world's users are members of group/sub/project only.
	for _, ref := range []string{"1", "2"} {
		if got := w.call("GET", "/api/v4/groups/"+ref, tokGuest); got.status != 200 {
			t.Errorf("guest of a project in group %s: %d %s", ref, got.status, got.body)
		}
	}
	for _, ref := range []string{"3", "4"} {
		w.call("GET", "/api/v4/groups/"+ref, tokGuest).expect(t, 404, bodyGroupNotFound)
	}
	w.call("GET", "/api/v4/groups/1", tokOutsider).expect(t, 404, bodyGroupNotFound)

	// A member of "group" sees every group below it and every project.
	w.srv.SetGroupRole(1, 5, RoleReporter) // the outsider
	for _, ref := range []string{"1", "2", "3"} {
		if got := w.call("GET", "/api/v4/groups/"+ref, tokOutsider); got.status != 200 {
			t.Errorf("member of the parent, group %s: %d", ref, got.status)
		}
	}
	w.call("GET", "/api/v4/groups/4", tokOutsider).expect(t, 404, bodyGroupNotFound)
	if got := w.call("GET", "/api/v4/projects/group%2Fsub%2Fdeep%2Fc", tokOutsider); got.status != 200 {
		t.Errorf("inherited membership does not show the project: %d", got.status)
	}
	// Reporter is not enough for error tracking; Maintainer of a parent is.
	w.call("GET", settingsPath("group%2Fsub%2Fdeep%2Fc"), tokOutsider).expect(t, 403, bodyForbidden)
	w.srv.SetGroupRole(2, 5, RoleMaintainer)
	w.call("GET", settingsPath("group%2Fsub%2Fdeep%2Fc"), tokOutsider).expect(t, 404, bodySettingNotFound)
	w.call("GET", settingsPath("group%2Fother"), tokOutsider).expect(t, 403, bodyForbidden)
	// A project role above the inherited one wins, and the higher of the two counts.
	w.srv.SetGroupRole(2, 5, RoleNone)
	w.srv.SetRole(w.other, 5, RoleOwner)
	if got := w.call("GET", settingsPath("group%2Fother"), tokOutsider); got.status != 404 {
		t.Errorf("project owner with a reporter group role: %d %s", got.status, got.body)
	}
}

func TestGroupProjects(t *testing.T) {
	w := groupWorld(t)
	w.srv.SetArchived(4, true) // group/sub/b

	for _, tc := range []struct{ group, query, want string }{
		// Default: the group's own projects, newest first, archived or not.
		{"group%2Fsub", "", "group/sub/b group/sub/a group/sub/project"},
		{"2", "?include_subgroups=false", "group/sub/b group/sub/a group/sub/project"},
		{"2", "?include_subgroups=true", "group/sub/deep/c group/sub/b group/sub/a group/sub/project"},
		{"1", "?include_subgroups=true", "group/top group/sub/deep/c group/sub/b group/sub/a group/other group/sub/project"},
		{"1", "", "group/top group/other"},
		{"2", "?archived=true", "group/sub/b"},
		{"2", "?archived=false&include_subgroups=1", "group/sub/deep/c group/sub/a group/sub/project"},
		{"2", "?archived=", "group/sub/b group/sub/a group/sub/project"},
		{"2", "?sort=asc", "group/sub/project group/sub/a group/sub/b"},
		{"2", "?order_by=id&sort=asc", "group/sub/project group/sub/a group/sub/b"},
		{"2", "?order_by=name&sort=asc", "group/sub/a group/sub/b group/sub/project"},
		{"2", "?order_by=path", "group/sub/project group/sub/b group/sub/a"},
		{"3", "", "group/sub/deep/c"},
		{"elsewhere", "", "elsewhere/x"},
	} {
		got := w.call("GET", groupProjectsPath(tc.group, tc.query), tokAdmin)
		if got.status != 200 {
			t.Errorf("%s%s: %d %s", tc.group, tc.query, got.status, got.body)
			continue
		}
		if p := paths(decodeProjects(t, got.body)); p != tc.want {
			t.Errorf("%s%s: %q, want %q", tc.group, tc.query, p, tc.want)
		}
	}

	// Each project says whether it is archived, and where it lives; with
	// simple=true, GitLab's short form has no archived.
	list := decodeProjects(t, w.call("GET", groupProjectsPath("2", "?archived=true"), tokAdmin).body)
	if len(list) != 1 || list[0].Archived == nil || !*list[0].Archived || list[0].ID != 4 || list[0].Namespace.FullPath != "group/sub" || list[0].Namespace.ID != 2 {
		t.Errorf("archived project listed as %+v", list)
	}
	list = decodeProjects(t, w.call("GET", groupProjectsPath("2", "?simple=true"), tokAdmin).body)
	if len(list) != 3 || list[0].Archived != nil {
		t.Errorf("simple list %+v", list)
	}

	// A user sees only the projects visible to them.
	got := w.call("GET", groupProjectsPath("1", "?include_subgroups=true"), tokGuest)
	if p := paths(decodeProjects(t, got.body)); p != "group/sub/project" {
		t.Errorf("guest sees %q", p)
	}

	for _, tc := range []struct{ query, err string }{
		{"?archived=maybe", "archived is invalid"},
		{"?include_subgroups=2", "include_subgroups is invalid"},
		{"?order_by=size", "order_by does not have a valid value"},
		{"?sort=up", "sort does not have a valid value"},
		{"?page=x", "page is invalid"},
		{"?per_page=1.5", "per_page is invalid"},
		{"?per_page=0", "per_page has a value not allowed"},
		{"?page=x&per_page=0", "page is invalid, per_page has a value not allowed"},
	} {
		w.call("GET", groupProjectsPath("2", tc.query), tokAdmin).expect(t, 400, `{"error":"`+tc.err+`"}`)
	}
}

func TestGroupProjectsPagination(t *testing.T) {
	w := newIntegratedWorld(t)
	for i := range 45 {
		w.srv.AddProject(fmt.Sprintf("big/p%02d", i))
	}
	for _, tc := range []struct {
		query   string
		headers map[string]string
		first   string
		items   int
		rels    string
	}{
		{"", hdr("1", "20", "2", "", "45", "3"), "big/p44", 20, "next=2 first=1 last=3"},
		{"?page=3", hdr("3", "20", "", "2", "45", "3"), "big/p04", 5, "prev=2 first=1 last=3"},
		{"?per_page=100", hdr("1", "100", "", "", "45", "1"), "big/p44", 45, "first=1 last=1"},
		{"?per_page=500", hdr("1", "100", "", "", "45", "1"), "big/p44", 45, "first=1 last=1"},
		{"?per_page=-3&page=-1", hdr("1", "20", "2", "", "45", "3"), "big/p44", 20, "next=2 first=1 last=3"},
		{"?page=4", hdr("4", "20", "", "", "45", "3"), "", 0, "first=1 last=3"},
	} {
		got := w.call("GET", groupProjectsPath("big", tc.query), tokAdmin)
		checkHeaders(t, got, tc.headers)
		list := decodeProjects(t, got.body)
		first := ""
		if len(list) > 0 {
			first = list[0].PathWithNamespace
		}
		if len(list) != tc.items || first != tc.first {
			t.Errorf("%s: %d projects from %q, want %d from %q", tc.query, len(list), first, tc.items, tc.first)
		}
		if rels := strings.Join(linkRels(got.header.Get("Link")), " "); rels != tc.rels {
			t.Errorf("%s: Link rels %q, want %q", tc.query, rels, tc.rels)
		}
	}
	// The links carry the group's :id and the declared per_page's value.
	link := w.call("GET", groupProjectsPath("big", "?include_subgroups=true"), tokAdmin).header.Get("Link")
	next := w.ts.URL + groupProjectsPath("big", "") + "?id=big&include_subgroups=true&page=2&per_page=20"
	if !strings.HasPrefix(link, "<"+next+`>; rel="next"`) {
		t.Errorf("Link = %s, want next %s", link, next)
	}

	// Walking X-Next-Page visits every project once.
	seen := map[string]bool{}
	for page := "1"; page != ""; {
		got := w.call("GET", groupProjectsPath("big", "?per_page=7&page="+url.QueryEscape(page)), tokAdmin)
		for _, p := range decodeProjects(t, got.body) {
			if seen[p.PathWithNamespace] {
				t.Fatalf("%s listed twice", p.PathWithNamespace)
			}
			seen[p.PathWithNamespace] = true
		}
		page = got.header.Get("X-Next-Page")
	}
	if len(seen) != 45 {
		t.Errorf("walked %d projects, want 45", len(seen))
	}
}

func TestMoveAndArchiveProjects(t *testing.T) {
	w := groupWorld(t)
	w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
	key := w.srv.AddKey(w.project)
	path, err := w.srv.MoveProject(w.project, w.srv.AddGroup("elsewhere/new"))
	if err != nil || path != "elsewhere/new/project" {
		t.Fatalf("MoveProject = %q, %v", path, err)
	}
	// Same id, settings and keys under the new path; the old path redirects
	// to it, in any case, and the project names its new path.
	w.call("GET", settingsPath("elsewhere%2Fnew%2Fproject"), tokMaintainer).expect(t, 200, bodyIntegratedOn)
	w.call("GET", settingsPath(strings.ToUpper(encodedPath)), tokMaintainer).expect(t, 200, bodyIntegratedOn)
	if got := w.call("GET", "/api/v4/projects/"+encodedPath, tokMaintainer); got.status != 200 || !strings.Contains(got.body, `"path_with_namespace":"elsewhere/new/project"`) {
		t.Errorf("the project by its old path: %d %s", got.status, got.body)
	}
	if keys := w.srv.Keys(w.project); len(keys) != 1 || keys[0].ID != key.ID {
		t.Errorf("keys after the move: %+v", keys)
	}
	if p := paths(decodeProjects(t, w.call("GET", groupProjectsPath("elsewhere", "?include_subgroups=true"), tokAdmin).body)); p != "elsewhere/x elsewhere/new/project" {
		t.Errorf("elsewhere lists %q", p)
	}
	if _, err := w.srv.MoveProject(3, 2); err != nil { // group/sub/a into group/sub: a no-op
		t.Errorf("move into its own group: %v", err)
	}
	w.srv.AddProject("elsewhere/a")
	if _, err := w.srv.MoveProject(3, 4); err == nil {
		t.Error("moved onto a taken path")
	}
}

// A project that takes a former path over, or a group created at it,
// ends its redirect; so does deleting the project that moved.
func TestRedirectsOfMovedProjects(t *testing.T) {
	for _, tc := range []struct {
		name string
		take func(w *world)
	}{
		{"a project at the old path", func(w *world) { w.srv.AddProject("group/sub/project") }},
		{"a group at the old path", func(w *world) { w.srv.AddGroup("group/sub/project") }},
		{"the moved project deleted", func(w *world) { w.srv.DeleteProject(w.project) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := groupWorld(t)
			w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
			if _, err := w.srv.MoveProject(w.project, w.srv.AddGroup("elsewhere/new")); err != nil {
				t.Fatal(err)
			}
			w.call("GET", settingsPath(encodedPath), tokAdmin).expect(t, 200, bodyIntegratedOn)
			tc.take(w)
			if got := w.call("GET", settingsPath(encodedPath), tokAdmin); got.status == 200 && got.body == bodyIntegratedOn {
				t.Errorf("the old path still reaches the moved project's settings")
			}
		})
	}
}

func TestAdminGroupRoutes(t *testing.T) {
	w := groupWorld(t)
	w.admin("POST", "/groups", `{"path":"team/one"}`).expect(t, 201, `{"id":6}`)
	w.admin("POST", "/groups", `{"path":"Team"}`).expect(t, 200, `{"id":5}`)
	w.admin("POST", "/groups", `{"path":"group/sub/project"}`).expect(t, 409, `{"error":"emulator: path already taken by a project: \"group/sub/project\""}`)
	w.admin("POST", "/groups", `{"path":"a//b"}`).expect(t, 400, `{"error":"emulator: invalid path: \"a//b\""}`)

	w.admin("PUT", "/groups/team%2Fone/members/5", `{"role":"owner"}`).expect(t, 200, `{"group_id":6,"user_id":5,"role":"owner"}`)
	w.admin("PUT", "/groups/99/members/5", `{"role":"owner"}`).expect(t, 404, `{"error":"no group \"99\""}`)
	w.admin("PUT", "/groups/6/members/77", `{"role":"owner"}`).expect(t, 404, `{"error":"no user \"77\""}`)

	w.admin("PUT", "/projects/elsewhere%2Fx/group", `{"group":"team/one"}`).expect(t, 200, `{"id":6,"path_with_namespace":"team/one/x"}`)
	w.admin("PUT", "/projects/6/group", `{"group":"team/two"}`).expect(t, 200, `{"id":6,"path_with_namespace":"team/two/x"}`)
	w.admin("PUT", "/projects/6/group", `{"group":"7"}`).expect(t, 200, `{"id":6,"path_with_namespace":"team/two/x"}`)
	if got := w.call("GET", groupProjectsPath("team", "?include_subgroups=true"), tokOutsider); got.status != 404 {
		t.Errorf("outsider lists team: %d", got.status)
	}
	w.admin("PUT", "/groups/team/members/5", `{"role":"guest"}`).expect(t, 200, `{"group_id":5,"user_id":5,"role":"guest"}`)
	if p := paths(decodeProjects(t, w.call("GET", groupProjectsPath("team", "?include_subgroups=true"), tokOutsider).body)); p != "team/two/x" {
		t.Errorf("guest of team lists %q", p)
	}

	w.admin("PUT", "/projects/6/archived", `{"archived":true}`).expect(t, 200, `{"id":6,"archived":true}`)
	w.admin("PUT", "/projects/6/archived", `{}`).expect(t, 400, `{"error":"archived is required"}`)
	if p := paths(decodeProjects(t, w.call("GET", groupProjectsPath("7", "?archived=false"), tokAdmin).body)); p != "" {
		t.Errorf("archived project listed as not archived: %q", p)
	}
}

// expectJSON checks the status and some top-level fields of a JSON object.
func (r reply) expectJSON(t *testing.T, status int, fields map[string]any) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != status {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	for k, want := range fields {
		if v, ok := got[k]; !ok || fmt.Sprint(v) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", k, v, want)
		}
	}
}
