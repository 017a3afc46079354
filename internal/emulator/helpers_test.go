package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Tokens of the users every test world has, named for their role on the
// project "group/sub/project".
const (
	tokOwner      = "owner-token"
	tokMaintainer = "maintainer-token"
	tokDeveloper  = "developer-token"
	tokGuest      = "guest-token"
	tokOutsider   = "outsider-token" // member of nothing
	tokAdmin      = "admin-token"    // instance admin, member of nothing
	tokReadAPI    = "read-api-token" // a maintainer's token with only read_api
)

const projectPath = "group/sub/project"

// world is an emulator behind an httptest server with a project, a second
// project, and one user per role.
type world struct {
	t       *testing.T
	srv     *Server
	ts      *httptest.Server
	project int64 // group/sub/project
	other   int64 // group/other, maintained by the same maintainer
}

// testTime is when everything in a test world was created.
var testTime = time.Date(2025, 3, 4, 5, 6, 7, 890_000_000, time.UTC)

func newWorld(t *testing.T, opts Options) *world {
	t.Helper()
	opts.Clock = func() time.Time { return testTime }
	srv := New(opts)
	w := &world{t: t, srv: srv}
	w.project = srv.AddProject(projectPath)
	w.other = srv.AddProject("group/other")
	for _, u := range []struct {
		name, token string
		admin       bool
		role        Role
		scopes      []string
	}{
		{"owner", tokOwner, false, RoleOwner, nil},
		{"maintainer", tokMaintainer, false, RoleMaintainer, nil},
		{"developer", tokDeveloper, false, RoleDeveloper, nil},
		{"guest", tokGuest, false, RoleGuest, nil},
		{"outsider", tokOutsider, false, RoleNone, nil},
		{"admin", tokAdmin, true, RoleNone, nil},
		{"reader", tokReadAPI, false, RoleMaintainer, []string{"read_api"}},
	} {
		id := srv.AddUser(u.name, u.admin)
		srv.AddToken(id, u.token, u.scopes...)
		srv.SetRole(w.project, id, u.role)
		if u.name == "maintainer" {
			srv.SetRole(w.other, id, RoleMaintainer)
		}
	}
	w.ts = httptest.NewServer(srv)
	t.Cleanup(w.ts.Close)
	return w
}

// newIntegratedWorld has the integrated_error_tracking flag on, so PUT works.
func newIntegratedWorld(t *testing.T) *world {
	return newWorld(t, Options{DefaultIntegratedFlag: true})
}

type reply struct {
	status int
	header http.Header
	body   string
}

// req is one request; path is escaped as it goes on the wire.
type req struct {
	method, path, token string
	contentType, body   string
	header              http.Header
}

func (w *world) do(r req) reply {
	w.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, w.ts.URL+r.path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if r.token != "" {
		hr.Header.Set("PRIVATE-TOKEN", r.token)
	}
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	}
	for k, vs := range r.header {
		hr.Header[k] = vs
	}
	resp, err := w.ts.Client().Do(hr)
	if err != nil {
		w.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (w *world) call(method, path, token string) reply {
	w.t.Helper()
	return w.do(req{method: method, path: path, token: token})
}

// expect checks status and exact body, and that JSON answers say so.
func (r reply) expect(t *testing.T, status int, body string) {
	t.Helper()
	if r.status != status || r.body != body {
		t.Errorf("got %d %s\nwant %d %s", r.status, r.body, status, body)
	}
	if strings.HasPrefix(r.body, "{") || strings.HasPrefix(r.body, "[") {
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q, want application/json", ct)
		}
	}
}

// decodeJSON decodes body as a T, or fails t.
func decodeJSON[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not a JSON %T: %v\n%s", v, err, body)
	}
	return v
}

func settingsPath(project string) string {
	return "/api/v4/projects/" + project + "/error_tracking/settings"
}

func keysPath(project string) string {
	return "/api/v4/projects/" + project + "/error_tracking/client_keys"
}

const (
	encodedPath = "group%2Fsub%2Fproject"

	bodyUnauthorized    = `{"message":"401 Unauthorized"}`
	bodyProjectNotFound = `{"message":"404 Project Not Found"}`
	bodyForbidden       = `{"message":"403 Forbidden"}`
	bodyUnknownRoute    = `{"error":"404 Not Found"}`
	bodySettingNotFound = `{"message":"404 Error Tracking Setting Not Found"}`
	bodyInsufficient    = `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`
	bodyIntegratedOn    = `{"active":true,"project_name":null,"sentry_external_url":null,"api_url":null,"integrated":true}`
	bodyIntegratedOff   = `{"active":false,"project_name":null,"sentry_external_url":null,"api_url":null,"integrated":true}`
)
