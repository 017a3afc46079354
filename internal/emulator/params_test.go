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
		{"y", "true"}, {"Y", "true"}, {"yes", "true"}, {"YeS", "true"}, {"on", "true"}, {"ON", "true"},
		{"0", "false"}, {"f", "false"}, {"F", "false"}, {"false", "false"}, {"FALSE", "false"},
		{"n", "false"}, {"N", "false"}, {"no", "false"}, {"NO", "false"}, {"off", "false"}, {"Off", "false"},
		{"", "active is empty"}, {" ", "active is empty"},
		{"2", "active is invalid"}, {"-1", "active is invalid"}, {"truee", "active is invalid"},
		{"enabled", "active is invalid"}, {" true", "active is invalid"}, {"nil", "active is invalid"},
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
		{"missing", "", "", "", 400, `{"error":"active is missing"}`},
		{"empty JSON object", "", js, `{}`, 400, `{"error":"active is missing"}`},
		{"two errors", "?active=x&integrated=maybe", "", "", 400, `{"error":"active is invalid, integrated is invalid"}`},
		{"missing and invalid", "?integrated=maybe", "", "", 400, `{"error":"active is missing, integrated is invalid"}`},
		{"optional empty", "?active=true&integrated=", "", "", 400, `{"error":"integrated is empty"}`},
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
		{"", `{"error":"active is missing, integrated is missing"}`},
		{"?active=true", `{"error":"integrated is missing"}`},
		{"?integrated=true", `{"error":"active is missing"}`},
		{"?active=1&integrated=maybe", `{"error":"integrated is invalid"}`},
	} {
		w.call("PUT", settingsPath("1")+tc.query, tokOwner).expect(t, 400, tc.want)
	}
	if _, ok := w.srv.GetSettings(w.project); ok {
		t.Error("a rejected PUT created settings")
	}
}
