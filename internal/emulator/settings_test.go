package emulator

import (
	"net/http"
	"testing"
)

const (
	bodyNotFoundBare = `{"message":"404 Not Found"}`
	bodyActiveOnly   = `{"active":true,"project_name":null,"sentry_external_url":null,"api_url":null,"integrated":false}`
	bodyAllOff       = `{"active":false,"project_name":null,"sentry_external_url":null,"api_url":null,"integrated":false}`
)

func TestSettingsLifecycle(t *testing.T) {
	w := newIntegratedWorld(t)
	p := settingsPath(encodedPath)

	w.call("GET", p, tokMaintainer).expect(t, 404, bodySettingNotFound)
	// PATCH never creates the row.
	w.call("PATCH", p+"?active=true", tokMaintainer).expect(t, 404, bodySettingNotFound)
	if _, ok := w.srv.GetSettings(w.project); ok {
		t.Fatal("PATCH created settings")
	}

	w.call("PUT", p+"?active=true&integrated=true", tokMaintainer).expect(t, 200, bodyIntegratedOn)
	if got := len(w.srv.Keys(w.project)); got != 1 {
		t.Fatalf("keys after enabling integrated tracking = %d, want 1 (created automatically)", got)
	}
	w.call("GET", p, tokMaintainer).expect(t, 200, bodyIntegratedOn)
	w.call("PATCH", p+"?active=false", tokMaintainer).expect(t, 200, bodyIntegratedOff)
	// integrated is optional on PATCH: omitted, the stored value stays.
	w.call("PATCH", p+"?active=true", tokMaintainer).expect(t, 200, bodyIntegratedOn)
	// PUT on an existing row updates it, with the same 200.
	w.call("PUT", p+"?active=false&integrated=true", tokMaintainer).expect(t, 200, bodyIntegratedOff)
	w.call("PATCH", p+"?active=false&integrated=false", tokMaintainer).expect(t, 200, bodyAllOff)
	if got := len(w.srv.Keys(w.project)); got != 1 {
		t.Errorf("keys = %d, want still 1", got)
	}

	// The other project was never touched.
	w.call("GET", settingsPath("2"), tokMaintainer).expect(t, 404, bodySettingNotFound)
	w.srv.DeleteSettings(w.project)
	w.call("GET", p, tokMaintainer).expect(t, 404, bodySettingNotFound)
}

func TestFeatureFlagOff(t *testing.T) {
	w := newWorld(t, Options{}) // the flag is off by default, as on self-managed GitLab
	p := settingsPath("1")

	w.call("PUT", p+"?active=true&integrated=true", tokOwner).expect(t, 404, bodyNotFoundBare)
	w.call("PUT", p+"?active=false&integrated=false", tokOwner).expect(t, 404, bodyNotFoundBare)
	if _, ok := w.srv.GetSettings(w.project); ok {
		t.Fatal("PUT with the flag off created settings")
	}
	// Parameter validation still comes first.
	w.call("PUT", p, tokOwner).expect(t, 400, `{"error":"active is missing, active is empty, integrated is missing"}`)

	// Enabled in the UI: stored integrated, reported false.
	w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
	w.call("GET", p, tokOwner).expect(t, 200, bodyActiveOnly)

	// PATCH ignores the flag: it stores integrated=true and reports false,
	// and the model's callback, which reads the stored value, creates a key.
	w.srv.SetSettings(w.project, Settings{Active: false, Integrated: false})
	w.call("PATCH", p+"?active=true&integrated=true", tokOwner).expect(t, 200, bodyActiveOnly)
	if st, _ := w.srv.GetSettings(w.project); !st.Integrated || !st.Active {
		t.Errorf("stored %+v, want active and integrated", st)
	}
	if n := len(w.srv.Keys(w.project)); n != 1 {
		t.Errorf("keys = %d, want 1: the flag does not stop the automatic key", n)
	}

	w.srv.SetIntegratedFlag(w.project, true)
	w.call("GET", p, tokOwner).expect(t, 200, bodyIntegratedOn)
	if n := len(w.srv.Keys(w.project)); n != 1 {
		t.Errorf("GET created a key")
	}
}

func TestSentryFields(t *testing.T) {
	const apiURL = "https://sentry.example.com/api/0/projects/org/my-proj/"
	for _, tc := range []struct {
		name string
		st   Settings
		want string
	}{
		{"slug titleized", Settings{Active: true, APIURL: apiURL, SentryToken: "s"},
			`{"active":true,"project_name":"My Proj","sentry_external_url":"https://sentry.example.com/org/my-proj/","api_url":"` + apiURL + `","integrated":false}`},
		{"stored name wins", Settings{APIURL: apiURL, ProjectName: "Checkout"},
			`{"active":false,"project_name":"Checkout","sentry_external_url":"https://sentry.example.com/org/my-proj/","api_url":"` + apiURL + `","integrated":false}`},
		{"name without URL", Settings{ProjectName: "Checkout", Integrated: true},
			`{"active":false,"project_name":"Checkout","sentry_external_url":null,"api_url":null,"integrated":true}`},
		{"URL without projects path", Settings{APIURL: "https://sentry.example.com"},
			`{"active":false,"project_name":null,"sentry_external_url":"https://sentry.example.com","api_url":"https://sentry.example.com","integrated":false}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newIntegratedWorld(t)
			w.srv.SetSettings(w.project, tc.st)
			w.call("GET", settingsPath("1"), tokOwner).expect(t, 200, tc.want)
			if got, _ := w.srv.GetSettings(w.project); got != tc.st {
				t.Errorf("GetSettings = %+v, want %+v as set", got, tc.st)
			}
		})
	}
}

func TestPutKeepsSentryFields(t *testing.T) {
	w := newIntegratedWorld(t)
	const apiURL = "https://sentry.example.com/api/0/projects/org/shop/"
	w.srv.SetSettings(w.project, Settings{APIURL: apiURL, ProjectName: "Shop", SentryToken: "secret"})
	w.call("PUT", settingsPath("1")+"?active=true&integrated=true", tokOwner).expect(t, 200,
		`{"active":true,"project_name":"Shop","sentry_external_url":"https://sentry.example.com/org/shop/","api_url":"`+apiURL+`","integrated":true}`)
	want := Settings{Active: true, Integrated: true, APIURL: apiURL, ProjectName: "Shop", SentryToken: "secret"}
	if got, _ := w.srv.GetSettings(w.project); got != want {
		t.Errorf("stored %+v, want %+v", got, want)
	}
}

// TestServiceErrorInSuccessfulStatus covers GitLab's HTTP 200 with
// "status":"error" when the model rejects the change.
func TestServiceErrorInSuccessfulStatus(t *testing.T) {
	const (
		// A refused save carries only message and status: no http_status.
		both    = `{"message":"Error tracking setting api url is a required field and Error tracking setting token is a required field","status":"error"}`
		urlOnly = `{"message":"Error tracking setting api url is a required field","status":"error"}`
		tokOnly = `{"message":"Error tracking setting token is a required field","status":"error"}`
		apiURL  = "https://sentry.example.com/api/0/projects/org/p/"
	)
	for _, tc := range []struct {
		name    string
		flagOff bool
		row     *Settings
		method  string
		query   string
		want    string
		saved   bool
		keys    int
	}{
		{"PATCH to Sentry mode without config", false, &Settings{Integrated: true}, "PATCH", "?active=true&integrated=false", both, false, 0},
		{"PATCH enabling stored Sentry mode", false, &Settings{}, "PATCH", "?active=true", both, false, 0},
		{"PATCH without token", false, &Settings{APIURL: apiURL}, "PATCH", "?active=true&integrated=false", tokOnly, false, 0},
		{"PATCH without URL", false, &Settings{SentryToken: "s"}, "PATCH", "?active=true&integrated=false", urlOnly, false, 0},
		{"PUT creating Sentry mode", false, nil, "PUT", "?active=true&integrated=false", both, false, 0},
		{"PUT on existing row", false, &Settings{Integrated: true}, "PUT", "?active=true&integrated=false", both, false, 0},
		{"configured Sentry is fine", false, &Settings{APIURL: apiURL, SentryToken: "s"}, "PATCH", "?active=true&integrated=false",
			`{"active":true,"project_name":"P","sentry_external_url":"https://sentry.example.com/org/p/","api_url":"` + apiURL + `","integrated":false}`, true, 0},
		{"inactive needs no config", false, &Settings{Active: true, Integrated: true}, "PATCH", "?active=false&integrated=false", bodyAllOff, true, 0},
		{"PUT inactive Sentry mode", false, nil, "PUT", "?active=false&integrated=false", bodyAllOff, true, 0},
		// Only the stored value counts: integrated=true with the flag off
		// passes, and the callback creates a key.
		{"stored integrated with flag off", true, &Settings{}, "PATCH", "?active=true&integrated=true", bodyActiveOnly, true, 1},
		{"URL without a projects path", false, &Settings{APIURL: "https://sentry.example.com/x", SentryToken: "s"}, "PATCH", "?active=true&integrated=false",
			`{"message":"Error tracking setting api url is invalid","status":"error"}`, false, 0},
		{"URL without an organization", false, &Settings{APIURL: "https://sentry.example.com/api/0/projects/", SentryToken: "s"}, "PATCH", "?active=true&integrated=false",
			`{"message":"Error tracking setting project is a required field","status":"error"}`, false, 0},
		// An unchanged row is neither validated nor saved: nothing to refuse.
		{"unchanged invalid row", false, &Settings{Active: true}, "PATCH", "?active=true", bodyActiveOnly, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Options{DefaultIntegratedFlag: !tc.flagOff})
			if tc.row != nil {
				w.srv.SetSettings(w.project, *tc.row)
			}
			w.call(tc.method, settingsPath("1")+tc.query, tokMaintainer).expect(t, http.StatusOK, tc.want)
			got, exists := w.srv.GetSettings(w.project)
			switch {
			case tc.saved:
				if !exists {
					t.Error("settings were not saved")
				}
			case tc.row == nil:
				if exists {
					t.Errorf("rejected PUT created %+v", got)
				}
			case got != *tc.row:
				t.Errorf("rejected change stored %+v, want %+v unchanged", got, *tc.row)
			}
			if n := len(w.srv.Keys(w.project)); n != tc.keys {
				t.Errorf("keys = %d, want %d", n, tc.keys)
			}
		})
	}
}

func TestAutoCreatedKey(t *testing.T) {
	for _, tc := range []struct {
		name     string
		flagOff  bool
		row      *Settings
		keys     []bool // existing keys, by active flag
		method   string
		query    string
		wantKeys int
	}{
		{"PUT creating integrated settings", false, nil, nil, "PUT", "?active=true&integrated=true", 1},
		{"PATCH enabling integrated settings", false, &Settings{Integrated: true}, nil, "PATCH", "?active=true", 1},
		// Only a write runs the callback: re-saving the same values writes nothing.
		{"PATCH re-saving active settings", false, &Settings{Active: true, Integrated: true}, nil, "PATCH", "?active=true", 0},
		{"PUT re-saving active settings", false, &Settings{Active: true, Integrated: true}, nil, "PUT", "?active=true&integrated=true", 0},
		{"PATCH changing another field", false, &Settings{Active: true}, nil, "PATCH", "?active=true&integrated=true", 1},
		{"an active key exists", false, nil, []bool{false, true}, "PUT", "?active=true&integrated=true", 2},
		{"only inactive keys exist", false, nil, []bool{false}, "PUT", "?active=true&integrated=true", 2},
		{"inactive settings", false, nil, nil, "PUT", "?active=false&integrated=true", 0},
		// The callback does not look at the feature flag.
		{"flag off", true, &Settings{}, nil, "PATCH", "?active=true&integrated=true", 1},
		{"flag off, integrated stored", true, &Settings{Integrated: true}, nil, "PATCH", "?active=true", 1},
		{"flag off, inactive", true, &Settings{}, nil, "PATCH", "?active=false&integrated=true", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Options{DefaultIntegratedFlag: !tc.flagOff})
			if tc.row != nil {
				w.srv.SetSettings(w.project, *tc.row)
			}
			for _, active := range tc.keys {
				k := w.srv.AddKey(w.project)
				w.srv.SetKeyActive(k.ID, active)
			}
			if got := w.call(tc.method, settingsPath("1")+tc.query, tokMaintainer); got.status != 200 {
				t.Fatalf("got %d %s", got.status, got.body)
			}
			keys := w.srv.Keys(w.project)
			if len(keys) != tc.wantKeys {
				t.Fatalf("keys = %+v, want %d", keys, tc.wantKeys)
			}
			if len(keys) > len(tc.keys) && !keys[len(keys)-1].Active {
				t.Error("the created key is not active")
			}
		})
	}
}

func TestTitleize(t *testing.T) {
	for in, want := range map[string]string{
		"my-proj":    "My Proj",
		"my_proj":    "My Proj",
		"my_proj_id": "My Proj",
		"myProj":     "My Proj",
		"API-v2":     "Api V2",
		"shop":       "Shop",
		"":           "",
	} {
		if got := titleize(in); got != want {
			t.Errorf("titleize(%q) = %q, want %q", in, got, want)
		}
	}
}
