package emulator

import (
	"slices"
	"testing"
)

func TestRequestLog(t *testing.T) {
	w := newIntegratedWorld(t)
	w.call("GET", "/api/v4/user", "")
	w.call("PUT", settingsPath(encodedPath)+"?active=true&integrated=true", tokOwner)
	w.call("GET", keysPath("1")+"?per_page=100", tokOwner)
	w.call("POST", keysPath(encodedPath), tokOwner)
	w.call("GET", "/api/v4/nope", tokOwner)
	w.call("GET", "/-/emulator/requests", "") // admin routes are not logged
	w.call("GET", "/elsewhere", "")           // nor anything outside /api/v4

	want := []Request{
		{Method: "GET", Path: "/api/v4/user", Status: 401},
		{Method: "PUT", Path: "/api/v4/projects/group%2Fsub%2Fproject/error_tracking/settings", RawQuery: "active=true&integrated=true", Status: 200},
		{Method: "GET", Path: "/api/v4/projects/1/error_tracking/client_keys", RawQuery: "per_page=100", Status: 200},
		{Method: "POST", Path: "/api/v4/projects/group%2Fsub%2Fproject/error_tracking/client_keys", Status: 201},
		{Method: "GET", Path: "/api/v4/nope", Status: 404},
	}
	if got := w.srv.Requests(); !slices.Equal(got, want) {
		t.Errorf("log =\n%+v\nwant\n%+v", got, want)
	}

	for _, tc := range []struct {
		method, suffix string
		want           int
	}{
		{"", "/error_tracking/client_keys", 2},
		{"POST", "/error_tracking/client_keys", 1},
		{"DELETE", "/error_tracking/client_keys", 0},
		{"", "/group/sub/project/error_tracking/settings", 1}, // matched unescaped
		{"GET", "", 3},
		{"", "", 5},
	} {
		if got := w.srv.CountRequests(tc.method, tc.suffix); got != tc.want {
			t.Errorf("CountRequests(%q, %q) = %d, want %d", tc.method, tc.suffix, got, tc.want)
		}
	}

	// The log is a copy.
	w.srv.Requests()[0].Status = 999
	if w.srv.Requests()[0].Status != 401 {
		t.Error("Requests returned the internal slice")
	}
	w.srv.ResetRequests()
	if got := w.srv.Requests(); len(got) != 0 {
		t.Errorf("after reset: %+v", got)
	}
}
