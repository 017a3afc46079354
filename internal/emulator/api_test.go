package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestUnknownRoutesAnswerCatchAll404(t *testing.T) {
	w := newIntegratedWorld(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/v4"},
		{"GET", "/api/v4/"},
		{"GET", "/api/v4/nope"},
		{"POST", "/api/v4/user"},
		{"DELETE", "/api/v4/projects/1"},
		// A raw "/" in :id makes the route unknown; only %2F is a path.
		{"GET", "/api/v4/projects/group/sub/project"},
		{"GET", "/api/v4/projects/group/sub/project/error_tracking/settings"},
		// Known paths with another method.
		{"POST", settingsPath("1")},
		{"DELETE", settingsPath("1")},
		{"PATCH", keysPath("1")},
		{"DELETE", keysPath("1")},
		{"GET", keysPath("1") + "/1"},
		{"PUT", keysPath("1") + "/1"},
		{"GET", "/api/v4/projects/1/error_tracking"},
		{"GET", "/elsewhere"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			// The catch-all runs before authentication: the token does not matter.
			for _, tok := range []string{"", tokOwner} {
				w.call(tc.method, tc.path, tok).expect(t, http.StatusNotFound, bodyUnknownRoute)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	w := newIntegratedWorld(t)
	for _, tc := range []struct {
		name   string
		r      req
		status int
	}{
		{"no token", req{}, 401},
		{"unknown token", req{token: "nope"}, 401},
		{"PRIVATE-TOKEN header", req{token: tokOwner}, 200},
		{"bearer", req{header: http.Header{"Authorization": {"Bearer " + tokOwner}}}, 200},
		{"bearer lower-case scheme", req{header: http.Header{"Authorization": {"bearer " + tokOwner}}}, 200},
		{"unknown bearer", req{header: http.Header{"Authorization": {"Bearer nope"}}}, 401},
		{"basic auth is not a token", req{header: http.Header{"Authorization": {"Basic " + tokOwner}}}, 401},
		{"private_token query", req{path: "/api/v4/user?private_token=" + tokOwner}, 200},
		{"access_token query", req{path: "/api/v4/user?access_token=" + tokOwner}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.method = "GET"
			if r.path == "" {
				r.path = "/api/v4/user"
			}
			got := w.do(r)
			switch tc.status {
			case 401:
				got.expect(t, 401, bodyUnauthorized)
			default:
				got.expect(t, 200, `{"id":1,"username":"owner","name":"owner","state":"active","web_url":"`+w.ts.URL+`/owner"}`)
			}
		})
	}
}

func TestCurrentUser(t *testing.T) {
	w := newIntegratedWorld(t)
	w.call("GET", "/api/v4/user", tokAdmin).expect(t, 200,
		`{"id":6,"username":"admin","name":"admin","state":"active","web_url":"`+w.ts.URL+`/admin","is_admin":true}`)
	// GET /user is a read: a read_api token may call it.
	if got := w.call("GET", "/api/v4/user", tokReadAPI); got.status != 200 {
		t.Errorf("read_api GET /user: %d %s", got.status, got.body)
	}
	// A read_user token may call only GET /user.
	id := w.srv.AddUser("profile-reader", false)
	w.srv.AddToken(id, "read-user-token", "read_user")
	w.srv.SetRole(w.project, id, RoleOwner)
	if got := w.call("GET", "/api/v4/user", "read-user-token"); got.status != 200 {
		t.Errorf("read_user GET /user: %d %s", got.status, got.body)
	}
	w.call("GET", "/api/v4/projects/1", "read-user-token").expect(t, 403,
		`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api"}`)
}

// endpointCase is one error-tracking endpoint; suffix+bad is a request that
// fails parameter validation with badError, or fails later in the endpoint
// ("" when no parameter can be wrong).
type endpointCase struct {
	method, suffix, bad, badError string
}

func errorTrackingEndpoints() []endpointCase {
	return []endpointCase{
		{"GET", "/error_tracking/settings", "", ""},
		{"PATCH", "/error_tracking/settings", "?active=maybe", "active is invalid"},
		{"PUT", "/error_tracking/settings", "", "active is missing, active is empty, integrated is missing"},
		{"GET", "/error_tracking/client_keys", "?per_page=0", ""},
		{"POST", "/error_tracking/client_keys", "", ""},
		{"DELETE", "/error_tracking/client_keys/x", "", ""},
	}
}

// TestOrderOfChecks walks each endpoint through gitlab-api.md
// "Order of checks": 401, 404 project, 403, 400, with requests that would
// fail several checks at once so only the order decides the answer.
func TestOrderOfChecks(t *testing.T) {
	w := newIntegratedWorld(t)
	for _, e := range errorTrackingEndpoints() {
		t.Run(e.method+" "+e.suffix, func(t *testing.T) {
			path := func(project string) string {
				return "/api/v4/projects/" + project + e.suffix + e.bad
			}
			// 1. Authentication beats a missing project.
			w.call(e.method, path("999"), "").expect(t, 401, bodyUnauthorized)
			w.call(e.method, path("999"), "bad-token").expect(t, 401, bodyUnauthorized)
			// A read_api token is refused on writes before the project lookup.
			if e.method != "GET" {
				w.call(e.method, path("999"), tokReadAPI).expect(t, 403, bodyInsufficient)
			}
			// 2. Missing or invisible project, whatever the role elsewhere.
			for _, tok := range []string{tokMaintainer, tokOutsider} {
				w.call(e.method, path("999"), tok).expect(t, 404, bodyProjectNotFound)
				w.call(e.method, path("no%2Fsuch"), tok).expect(t, 404, bodyProjectNotFound)
			}
			w.call(e.method, path("1"), tokOutsider).expect(t, 404, bodyProjectNotFound)
			w.call(e.method, path(encodedPath), tokOutsider).expect(t, 404, bodyProjectNotFound)
			// 3. Visible but below Maintainer, even with bad parameters.
			for _, tok := range []string{tokDeveloper, tokGuest} {
				w.call(e.method, path("1"), tok).expect(t, 403, bodyForbidden)
			}
			// 4. Parameter validation for Maintainer, Owner and admin.
			if e.badError != "" {
				for _, tok := range []string{tokMaintainer, tokOwner, tokAdmin} {
					w.call(e.method, path("1"), tok).expect(t, 400, fmt.Sprintf(`{"error":%q}`, e.badError))
				}
			}
		})
	}
}

func TestReadAPITokenCanRead(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
	w.call("GET", settingsPath("1"), tokReadAPI).expect(t, 200, bodyIntegratedOn)
	w.call("GET", keysPath("1"), tokReadAPI).expect(t, 200, `[]`)
	if got := w.call("GET", "/api/v4/projects/1", tokReadAPI); got.status != 200 {
		t.Errorf("read_api GET project: %d %s", got.status, got.body)
	}
	w.call("PATCH", settingsPath("1")+"?active=false", tokReadAPI).expect(t, 403, bodyInsufficient)
	if st, _ := w.srv.GetSettings(w.project); !st.Active {
		t.Error("a refused PATCH changed the settings")
	}
}

func TestProjectLookup(t *testing.T) {
	w := newIntegratedWorld(t)
	host := strings.TrimPrefix(w.ts.URL, "http://")
	host = host[:strings.LastIndex(host, ":")]
	want := `{"id":1,"description":null,"name":"project","name_with_namespace":"group / sub / project","path":"project",` +
		`"path_with_namespace":"group/sub/project","created_at":"2025-03-04T05:06:07.890Z","tag_list":[],"topics":[],` +
		`"ssh_url_to_repo":"git@` + host + `:group/sub/project.git","http_url_to_repo":"` + w.ts.URL + `/group/sub/project.git",` +
		`"web_url":"` + w.ts.URL + `/group/sub/project","avatar_url":null,"star_count":0,"last_activity_at":"2025-03-04T05:06:07.890Z",` +
		`"namespace":{"id":2,"name":"sub","path":"sub","kind":"group","full_path":"group/sub","parent_id":1,"avatar_url":null,"web_url":"` + w.ts.URL + `/groups/group/sub"},` +
		`"empty_repo":true,"archived":false,"visibility":"private","permissions":`
	access := func(level int) string {
		return fmt.Sprintf(`{"project_access":{"access_level":%d,"notification_level":3},"group_access":null}}`, level)
	}
	asAdmin := want + `{"project_access":null,"group_access":null}}`
	for _, ref := range []string{"1", encodedPath, "Group%2FSub%2FProject", "group%2fsub%2fproject"} {
		t.Run(ref, func(t *testing.T) {
			// Visibility is enough for GET /projects/:id: a guest sees the project.
			for tok, level := range map[string]int{tokGuest: 10, tokOwner: 50, tokReadAPI: 40} {
				w.call("GET", "/api/v4/projects/"+ref, tok).expect(t, 200, want+access(level))
			}
			w.call("GET", "/api/v4/projects/"+ref, tokAdmin).expect(t, 200, asAdmin)
			w.call("GET", "/api/v4/projects/"+ref, tokOutsider).expect(t, 404, bodyProjectNotFound)
			w.call("GET", "/api/v4/projects/"+ref, "").expect(t, 401, bodyUnauthorized)
		})
	}
	w.call("GET", "/api/v4/projects/group%2Fsub", tokAdmin).expect(t, 404, bodyProjectNotFound)
	// An ID is /^-?\d+$/: "01" is project 1, "+1" a path without a slash.
	w.call("GET", "/api/v4/projects/01", tokAdmin).expect(t, 200, asAdmin)
	for _, ref := range []string{"+1", "%2B1", "-1", "99999999999999999999"} {
		w.call("GET", "/api/v4/projects/"+ref, tokAdmin).expect(t, 404, bodyProjectNotFound)
	}

	w.srv.SetRole(w.project, 4, RoleNone) // the guest leaves
	w.call("GET", "/api/v4/projects/1", tokGuest).expect(t, 404, bodyProjectNotFound)

	w.srv.DeleteProject(w.project)
	w.call("GET", "/api/v4/projects/1", tokAdmin).expect(t, 404, bodyProjectNotFound)
	w.call("GET", settingsPath(encodedPath), tokAdmin).expect(t, 404, bodyProjectNotFound)
	// Ids are never reused.
	if id := w.srv.AddProject(projectPath); id != 3 {
		t.Errorf("re-created project id = %d, want 3", id)
	}
}

// permissions in GET /projects/:id: the user's membership of the project
// itself, and the highest of its group and that group's ancestors.
func TestProjectPermissions(t *testing.T) {
	w := newIntegratedWorld(t)
	type perms struct {
		Permissions struct {
			ProjectAccess *struct {
				AccessLevel int `json:"access_level"`
			} `json:"project_access"`
			GroupAccess *struct {
				AccessLevel int `json:"access_level"`
			} `json:"group_access"`
		} `json:"permissions"`
	}
	levels := func(tok string) (project, group int) {
		r := w.call("GET", "/api/v4/projects/1", tok)
		if r.status != 200 {
			t.Fatalf("GET /projects/1: %d %s", r.status, r.body)
		}
		p := decodeJSON[perms](t, r.body).Permissions
		if p.ProjectAccess != nil {
			project = p.ProjectAccess.AccessLevel
		}
		if p.GroupAccess != nil {
			group = p.GroupAccess.AccessLevel
		}
		return project, group
	}
	if p, g := levels(tokDeveloper); p != 30 || g != 0 {
		t.Errorf("developer: project_access %d, group_access %d; want 30 and null", p, g)
	}
	// A Maintainer of the top group, a Reporter of the subgroup: the highest counts.
	dev := int64(3)
	top, _ := w.srv.GroupByPath("group")
	sub, _ := w.srv.GroupByPath("group/sub")
	w.srv.SetGroupRole(top, dev, RoleMaintainer)
	w.srv.SetGroupRole(sub, dev, RoleReporter)
	if p, g := levels(tokDeveloper); p != 30 || g != 40 {
		t.Errorf("developer with group roles: project_access %d, group_access %d; want 30 and 40", p, g)
	}
	if p, g := levels(tokAdmin); p != 0 || g != 0 {
		t.Errorf("admin: project_access %d, group_access %d; want both null", p, g)
	}
}

func TestRolesOnErrorTracking(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
	for _, tc := range []struct {
		token  string
		status int
	}{
		{tokOwner, 200}, {tokMaintainer, 200}, {tokAdmin, 200},
		{tokDeveloper, 403}, {tokGuest, 403}, {tokOutsider, 404},
	} {
		if got := w.call("GET", settingsPath("1"), tc.token); got.status != tc.status {
			t.Errorf("%s: got %d %s, want %d", tc.token, got.status, got.body, tc.status)
		}
	}
	// Promotion takes effect at once.
	w.srv.SetRole(w.project, 3, RoleMaintainer)
	w.call("GET", settingsPath("1"), tokDeveloper).expect(t, 200, bodyIntegratedOn)
}

func TestRoleNames(t *testing.T) {
	for r := RoleNone; r <= RoleOwner; r++ {
		got, ok := ParseRole(r.String())
		if !ok || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r.String(), got, ok)
		}
	}
	if _, ok := ParseRole("admin"); ok {
		t.Error(`ParseRole("admin") succeeded`)
	}
	if got := Role(42).String(); got != "unknown" {
		t.Errorf("Role(42) = %q", got)
	}
}

// TestTrailingSlashAccepted: Grape normalizes the path before routing, so a
// trailing slash (or a doubled one) reaches the same endpoint.
func TestTrailingSlashAccepted(t *testing.T) {
	w := newIntegratedWorld(t)
	w.call("PUT", settingsPath("1")+"/?active=true&integrated=true", tokMaintainer).expect(t, 200, bodyIntegratedOn)
	w.call("GET", settingsPath(encodedPath)+"/", tokMaintainer).expect(t, 200, bodyIntegratedOn)
	w.call("PATCH", settingsPath("1")+"//?active=false", tokMaintainer).expect(t, 200, bodyIntegratedOff)
	if got := w.call("POST", keysPath("1")+"/", tokMaintainer); got.status != 201 {
		t.Errorf("POST client_keys/: %d %s", got.status, got.body)
	}
	if keys := decodeKeys(t, w.call("GET", keysPath("1")+"/", tokMaintainer).body); len(keys) != 2 {
		t.Errorf("GET client_keys/ listed %d keys, want 2 (the automatic one and the created one)", len(keys))
	}
	if got := w.call("DELETE", keysPath("1")+"/2/", tokMaintainer); got.status != 200 {
		t.Errorf("DELETE client_keys/2/: %d %s", got.status, got.body)
	}
	if got := w.call("GET", "/api/v4//user/", tokOwner); got.status != 200 {
		t.Errorf("GET //user/: %d %s", got.status, got.body)
	}
	// Still one segment: a slash inside :id stays a different route.
	w.call("GET", "/api/v4/projects/group/sub/project/error_tracking/settings/", tokMaintainer).expect(t, 404, bodyUnknownRoute)
}
