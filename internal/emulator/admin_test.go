package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func (w *world) admin(method, path, body string) reply {
	w.t.Helper()
	r := req{method: method, path: "/-/emulator" + path, body: body}
	if body != "" {
		r.contentType = "application/json"
	}
	return w.do(r)
}

func TestAdminRoutes(t *testing.T) {
	w := newWorld(t, Options{})

	// Users and tokens.
	w.admin("POST", "/users", `{"username":"ci","token":"ci-token","scopes":["read_api"]}`).expect(t, 201, `{"id":8}`)
	w.admin("POST", "/users", `{"username":"root","admin":true,"token":"root-token"}`).expect(t, 201, `{"id":9}`)
	w.admin("POST", "/users", `{}`).expect(t, 400, `{"error":"username is required"}`)
	w.call("GET", "/api/v4/user", "root-token").expect(t, 200,
		`{"id":9,"username":"root","name":"root","state":"active","web_url":"`+w.ts.URL+`/root","is_admin":true}`)

	// Projects, with and without the feature flag.
	w.admin("POST", "/projects", `{"path":"demo/app","integrated_flag":true}`).expect(t, 201, `{"id":3}`)
	w.admin("POST", "/projects", `{"path":"demo/legacy"}`).expect(t, 201, `{"id":4}`)
	w.admin("POST", "/projects", `{"path":"Demo/App"}`).expect(t, 409, `{"error":"emulator: path already taken: \"Demo/App\""}`)
	w.admin("POST", "/projects", `{"path":"demo//x"}`).expect(t, 400, `{"error":"emulator: invalid path (want group/project): \"demo//x\""}`)
	w.admin("POST", "/projects", `{"path":"x","colour":"red"}`).expect(t, 400, `{"error":"invalid JSON body: json: unknown field \"colour\""}`)
	w.call("PUT", settingsPath("4")+"?active=true&integrated=true", "root-token").expect(t, 404, bodyNotFoundBare)
	w.admin("PUT", "/projects/demo%2Flegacy/feature_flag", `{"integrated":true}`).expect(t, 200, `{"integrated":true}`)
	w.call("PUT", settingsPath("4")+"?active=true&integrated=true", "root-token").expect(t, 200, bodyIntegratedOn)

	// Membership.
	w.call("GET", "/api/v4/projects/3", "ci-token").expect(t, 404, bodyProjectNotFound)
	w.admin("PUT", "/projects/3/members/8", `{"role":"maintainer"}`).expect(t, 200, `{"project_id":3,"user_id":8,"role":"maintainer"}`)
	if got := w.call("GET", "/api/v4/projects/3", "ci-token"); got.status != 200 {
		t.Errorf("member cannot see the project: %d", got.status)
	}
	w.admin("PUT", "/projects/3/members/8", `{"role":"boss"}`).expect(t, 400,
		`{"error":"unknown role \"boss\" (want one of none, guest, reporter, developer, maintainer, owner)"}`)
	w.admin("PUT", "/projects/3/members/77", `{"role":"guest"}`).expect(t, 404, `{"error":"no user \"77\""}`)
	w.admin("PUT", "/projects/3/members/8", `{"role":"none"}`).expect(t, 200, `{"project_id":3,"user_id":8,"role":"none"}`)
	w.call("GET", "/api/v4/projects/3", "ci-token").expect(t, 404, bodyProjectNotFound)

	// Settings as the UI writes them.
	const st = `{"active":true,"integrated":false,"api_url":"https://sentry.example.com/api/0/projects/o/app/","project_name":"","sentry_token":"tok"}`
	w.admin("GET", "/projects/3/settings", "").expect(t, 404, `{"error":"no settings row"}`)
	w.admin("PUT", "/projects/demo%2Fapp/settings", st).expect(t, 200, st)
	w.admin("GET", "/projects/3/settings", "").expect(t, 200, st)
	w.call("GET", settingsPath("3"), "root-token").expect(t, 200,
		`{"active":true,"project_name":"App","sentry_external_url":"https://sentry.example.com/o/app/","api_url":"https://sentry.example.com/api/0/projects/o/app/","integrated":false}`)
	// One field at a time, as GitLab's UI changes them: the rest stays.
	w.admin("PUT", "/projects/3/settings", `{"active":false}`).expect(t, 200,
		`{"active":false,"integrated":false,"api_url":"https://sentry.example.com/api/0/projects/o/app/","project_name":"","sentry_token":"tok"}`)
	w.admin("PUT", "/projects/3/settings", `{"integrated":true,"project_name":"App"}`).expect(t, 200,
		`{"active":false,"integrated":true,"api_url":"https://sentry.example.com/api/0/projects/o/app/","project_name":"App","sentry_token":"tok"}`)
	w.admin("PUT", "/projects/3/settings", `{"api_url":""}`).expect(t, 200,
		`{"active":false,"integrated":true,"api_url":"","project_name":"App","sentry_token":"tok"}`)
	w.admin("PUT", "/projects/3/settings", `{"enabled":true}`).expect(t, 400, `{"error":"invalid JSON body: json: unknown field \"enabled\""}`)
	w.admin("DELETE", "/projects/3/settings", "").expect(t, 204, "")
	w.call("GET", settingsPath("3"), "root-token").expect(t, 404, bodySettingNotFound)
	// On a project without a row, the fields not given take their defaults.
	w.admin("PUT", "/projects/3/settings", `{"active":true}`).expect(t, 200,
		`{"active":true,"integrated":false,"api_url":"","project_name":"","sentry_token":""}`)
	w.admin("DELETE", "/projects/3/settings", "").expect(t, 204, "")
	w.admin("PUT", "/projects/99/settings", st).expect(t, 404, `{"error":"no project \"99\""}`)

	// Keys.
	w.admin("GET", "/projects/3/keys", "").expect(t, 200, `[]`)
	added := w.admin("POST", "/projects/3/keys", "")
	var k Key
	if err := json.Unmarshal([]byte(added.body), &k); err != nil || added.status != 201 || k.ID != 2 || k.ProjectID != 3 || !k.Active {
		t.Fatalf("added key: %d %s", added.status, added.body)
	}
	entity := func(active bool) string {
		return fmt.Sprintf(`{"id":2,"project_id":3,"active":%t,"public_key":%q,"sentry_dsn":%q}`, active, k.PublicKey, k.SentryDSN)
	}
	w.admin("PATCH", "/keys/2", `{"active":false}`).expect(t, 200, entity(false))
	w.admin("GET", "/projects/3/keys", "").expect(t, 200, "["+entity(false)+"]")
	w.admin("PATCH", "/keys/99", `{"active":false}`).expect(t, 404, `{"error":"no key \"99\""}`)
	w.admin("DELETE", "/keys/2", "").expect(t, 204, "")
	w.admin("DELETE", "/keys/2", "").expect(t, 404, `{"error":"no key \"2\""}`)
	w.admin("GET", "/projects/3/keys", "").expect(t, 200, `[]`)

	// Request log.
	var log struct {
		Count    int       `json:"count"`
		Requests []Request `json:"requests"`
	}
	if err := json.Unmarshal([]byte(w.admin("GET", "/requests", "").body), &log); err != nil {
		t.Fatal(err)
	}
	if log.Count != len(w.srv.Requests()) || log.Count != len(log.Requests) || log.Count == 0 {
		t.Errorf("requests: count %d, %d listed, %d logged", log.Count, len(log.Requests), len(w.srv.Requests()))
	}
	w.admin("DELETE", "/requests", "").expect(t, 204, "")
	w.admin("GET", "/requests", "").expect(t, 200, `{"count":0,"requests":[]}`)

	// Faults, with a matcher built from method and path_suffix.
	w.admin("PUT", "/faults", `{"seed":1,"rate_500":1,"method":"post","path_suffix":"/client_keys","latency":"1ms"}`).expect(t, 200,
		`{"seed":1,"rate_429":0,"retry_after":0,"rate_500":1,"rate_502_html":0,"rate_drop":0,"rate_lost_response":0,"rate_500_after_run":0,"latency":"1ms","method":"post","path_suffix":"/client_keys"}`)
	w.call("GET", keysPath("3"), "root-token").expect(t, 200, `[]`)
	w.call("POST", keysPath("3"), "root-token").expect(t, 500, `{"message":"500 Internal Server Error"}`)
	w.srv.mu.Lock()
	latency := w.srv.faults.Latency
	w.srv.mu.Unlock()
	if latency != time.Millisecond {
		t.Errorf("latency = %v", latency)
	}
	w.admin("PUT", "/faults", `{"latency":"soon"}`).expect(t, 400, `{"error":"latency: time: invalid duration \"soon\""}`)
	w.admin("PUT", "/faults", `{}`).expect(t, 200, `{"seed":0,"rate_429":0,"retry_after":0,"rate_500":0,"rate_502_html":0,"rate_drop":0,"rate_lost_response":0,"rate_500_after_run":0}`)
	if got := w.call("POST", keysPath("3"), "root-token"); got.status != 201 {
		t.Errorf("faults not cleared: %d", got.status)
	}

	// Deleting a project.
	w.admin("DELETE", "/projects/demo%2Fapp", "").expect(t, 204, "")
	w.call("GET", "/api/v4/projects/3", "root-token").expect(t, 404, bodyProjectNotFound)
	w.admin("DELETE", "/projects/demo%2Fapp", "").expect(t, 404, `{"error":"no project \"demo/app\""}`)

	if got := w.admin("GET", "/nothing", ""); got.status != 404 || !strings.Contains(got.body, "no emulator route") {
		t.Errorf("unknown admin route: %d %s", got.status, got.body)
	}
}
