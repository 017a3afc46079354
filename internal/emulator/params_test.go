package emulator

import (
	"net/url"
	"testing"
)

func TestBooleanCoercion(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  string // "true", "false", or the 400 error
	}{
		{"1", "true"}, {"t", "true"}, {"T", "true"}, {"true", "true"}, {"TRUE", "true"}, {"True", "true"},
		{"y", "true"}, {"Y", "true"}, {"yes", "true"}, {"Yes", "true"}, {"on", "true"}, {"ON", "true"},
		{"0", "false"}, {"f", "false"}, {"F", "false"}, {"false", "false"}, {"FALSE", "false"},
		{"n", "false"}, {"N", "false"}, {"no", "false"}, {"NO", "false"}, {"off", "false"}, {"Off", "false"},
		{"", "active is empty"}, {" ", "active is empty"},
		{"2", "active is invalid"}, {"-1", "active is invalid"}, {"truee", "active is invalid"},
		{"enabled", "active is invalid"}, {" true", "active is invalid"}, {"nil", "active is invalid"},
		// dry-types knows lower case, Capitalized and UPPER CASE only.
		{"YeS", "active is invalid"}, {"tRuE", "active is invalid"}, {"oN", "active is invalid"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			w := newIntegratedWorld(t)
			w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
			got := w.call("PATCH", settingsPath("1")+"?active="+url.QueryEscape(tc.value), tokMaintainer)
			switch tc.want {
			case "true":
				got.expect(t, 200, bodyIntegratedOn)
			case "false":
				got.expect(t, 200, bodyIntegratedOff)
			default:
				got.expect(t, 400, `{"error":"`+tc.want+`"}`)
			}
		})
	}
}

func TestParameterSources(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	const js = "application/json"
	for _, tc := range []struct {
		name        string
		query       string
		contentType string
		body        string
		wantStatus  int
		wantBody    string
	}{
		{"query", "?active=false", "", "", 200, bodyIntegratedOff},
		{"form", "", form, "active=false", 200, bodyIntegratedOff},
		{"form with charset", "", form + "; charset=utf-8", "active=no", 200, bodyIntegratedOff},
		{"JSON boolean", "", js, `{"active":false}`, 200, bodyIntegratedOff},
		{"JSON string", "", js, `{"active":"off"}`, 200, bodyIntegratedOff},
		{"JSON number", "", js, `{"active":0}`, 200, bodyIntegratedOff},
		{"JSON number 2", "", js, `{"active":2}`, 400, `{"error":"active is invalid"}`},
		{"JSON null", "", js, `{"active":null}`, 400, `{"error":"active is empty"}`},
		{"JSON array", "", js, `{"active":[true]}`, 400, `{"error":"active is invalid"}`},
		{"JSON empty string", "", js, `{"active":""}`, 400, `{"error":"active is empty"}`},
		{"body wins over query", "?active=true", js, `{"active":false}`, 200, bodyIntegratedOff},
		{"merged from query and body", "?active=false", js, `{"integrated":"false"}`, 200,
			`{"active":false,"project_name":null,"sentry_external_url":null,"api_url":null,"integrated":false}`},
		{"last repeated query value", "?active=true&active=false", "", "", 200, bodyIntegratedOff},
		{"unknown parameters are ignored", "?active=false&colour=blue", "", "", 200, bodyIntegratedOff},
		{"body of another type is ignored", "?active=false", "text/plain", "active=true", 200, bodyIntegratedOff},
		// A required parameter that may not be blank is also blank when missing.
		{"missing", "", "", "", 400, `{"error":"active is missing, active is empty"}`},
		{"empty JSON object", "", js, `{}`, 400, `{"error":"active is missing, active is empty"}`},
		{"two errors", "?active=x&integrated=maybe", "", "", 400, `{"error":"active is invalid, integrated is invalid"}`},
		{"missing and invalid", "?integrated=maybe", "", "", 400, `{"error":"active is missing, active is empty, integrated is invalid"}`},
		// An optional parameter sent empty or null is nil, which PATCH ignores.
		{"optional empty", "?active=false&integrated=", "", "", 200, bodyIntegratedOff},
		{"optional JSON null", "", js, `{"active":false,"integrated":null}`, 200, bodyIntegratedOff},
		{"optional JSON empty string", "", js, `{"active":false,"integrated":""}`, 200, bodyIntegratedOff},
		{"optional blank is not empty", "?active=false&integrated=%20", "", "", 400, `{"error":"integrated is invalid"}`},
		{"malformed JSON", "", js, `{"active":`, 400, `{"error":"body is not a valid JSON object"}`},
		{"JSON not an object", "", js, `[true]`, 400, `{"error":"body is not a valid JSON object"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newIntegratedWorld(t)
			w.srv.SetSettings(w.project, Settings{Active: true, Integrated: true})
			w.do(req{method: "PATCH", path: settingsPath("1") + tc.query, token: tokMaintainer,
				contentType: tc.contentType, body: tc.body}).expect(t, tc.wantStatus, tc.wantBody)
		})
	}
}

func TestPutRequiresBothParameters(t *testing.T) {
	w := newIntegratedWorld(t)
	for _, tc := range []struct{ query, want string }{
		{"", `{"error":"active is missing, active is empty, integrated is missing"}`},
		{"?active=true", `{"error":"integrated is missing"}`},
		{"?integrated=true", `{"error":"active is missing, active is empty"}`},
		{"?active=1&integrated=maybe", `{"error":"integrated is invalid"}`},
	} {
		w.call("PUT", settingsPath("1")+tc.query, tokOwner).expect(t, 400, tc.want)
	}
	if _, ok := w.srv.GetSettings(w.project); ok {
		t.Error("a rejected PUT created settings")
	}
}

// TestPutWithNilIntegrated: a required parameter sent empty or null passes
// Grape (presence only checks the key) and reaches the model as nil, which
// refuses it inside a 200 and saves nothing.
func TestPutWithNilIntegrated(t *testing.T) {
	const notBoolean = "Error tracking setting integrated is not included in the list"
	for _, tc := range []struct{ name, query, body, want string }{
		{"empty, inactive", "?active=false&integrated=", "", notBoolean},
		{"null, inactive", "", `{"active":false,"integrated":null}`, notBoolean},
		{"empty, active", "?active=true&integrated=", "", notBoolean +
			", Error tracking setting api url is a required field, and Error tracking setting token is a required field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newIntegratedWorld(t)
			r := req{method: "PUT", path: settingsPath("1") + tc.query, token: tokOwner}
			if tc.body != "" {
				r.contentType, r.body = "application/json", tc.body
			}
			w.do(r).expect(t, 200, `{"message":"`+tc.want+`","status":"error"}`)
			if st, ok := w.srv.GetSettings(w.project); ok {
				t.Errorf("a refused PUT stored %+v", st)
			}
		})
	}
}

func TestRubyNumbers(t *testing.T) {
	for in, want := range map[string]int64{
		"12": 12, " 12": 12, "+12": 12, "-12": -12, "12abc": 12, "1_000": 1000, "1__0": 1, "_1": 0,
		"abc": 0, "": 0, "99999999999999999999": 9223372036854775807,
	} {
		if got, _ := rubyToI(in); got != want {
			t.Errorf("rubyToI(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]bool{"12": true, " 12 ": true, "1_000": true, "-3": true, "12abc": false, "1.5": false, "": false, "_1": false, "1_": false} {
		if _, ok := rubyInteger(in); ok != want {
			t.Errorf("rubyInteger(%q) ok = %t, want %t", in, ok, want)
		}
	}
}
