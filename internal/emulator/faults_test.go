package emulator

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFaultsAnswerWithoutRunning(t *testing.T) {
	for _, tc := range []struct {
		name        string
		faults      Faults
		status      int
		contentType string
		body        string
		fault       string
	}{
		{"429", Faults{Rate429: 1, RetryAfter: 7}, 429, "text/plain", "Retry later\n", "429"},
		{"500", Faults{Rate500: 1}, 500, "application/json", `{"message":"500 Internal Server Error"}`, "500"},
		{"502 from the proxy", Faults{Rate502HTML: 1}, 502, "text/html", badGatewayPage, "502_html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newIntegratedWorld(t)
			w.srv.SetFaults(tc.faults)
			got := w.call("POST", keysPath("1"), tokMaintainer)
			if got.status != tc.status || got.body != tc.body || got.header.Get("Content-Type") != tc.contentType {
				t.Errorf("got %d %q (%s)", got.status, got.body, got.header.Get("Content-Type"))
			}
			if n := len(w.srv.Keys(w.project)); n != 0 {
				t.Errorf("the faulted POST ran: %d keys", n)
			}
			want := []Request{{Method: "POST", Path: keysPath("1"), Status: tc.status, Fault: tc.fault}}
			if log := w.srv.Requests(); len(log) != 1 || log[0] != want[0] {
				t.Errorf("log = %+v, want %+v", log, want)
			}
		})
	}
}

func TestThrottleHeaders(t *testing.T) {
	// GitLab's Retry-After is the rest of the rate-limit window: at least 1.
	for _, tc := range []struct{ configured, retryAfter int }{{0, 1}, {-5, 1}, {1, 1}, {30, 30}} {
		t.Run(strconv.Itoa(tc.configured), func(t *testing.T) {
			retryAfter := tc.retryAfter
			w := newIntegratedWorld(t)
			w.srv.SetFaults(Faults{Rate429: 1, RetryAfter: tc.configured})
			before := time.Now().Unix()
			got := w.call("GET", "/api/v4/user", tokOwner)
			after := time.Now().Unix()
			checkHeaders(t, got, map[string]string{
				"Retry-After":         strconv.Itoa(retryAfter),
				"Ratelimit-Name":      "throttle_authenticated_api",
				"Ratelimit-Remaining": "0",
			})
			for _, h := range []string{"RateLimit-Limit", "RateLimit-Observed"} {
				if _, err := strconv.Atoi(got.header.Get(h)); err != nil {
					t.Errorf("%s = %q", h, got.header.Get(h))
				}
			}
			reset, err := strconv.ParseInt(got.header.Get("RateLimit-Reset"), 10, 64)
			if err != nil || reset < before+int64(retryAfter) || reset > after+int64(retryAfter) {
				t.Errorf("RateLimit-Reset = %q, want now+%d", got.header.Get("RateLimit-Reset"), retryAfter)
			}
			resetTime, err := http.ParseTime(got.header.Get("RateLimit-ResetTime"))
			if err != nil || resetTime.Unix() != reset {
				t.Errorf("RateLimit-ResetTime = %q, want the HTTP date of %d", got.header.Get("RateLimit-ResetTime"), reset)
			}
		})
	}
}

// send issues a request whose transport error the test expects.
func (w *world) send(method, path string) (*http.Response, error) {
	hr, err := http.NewRequest(method, w.ts.URL+path, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	hr.Header.Set("PRIVATE-TOKEN", tokMaintainer)
	resp, err := w.ts.Client().Do(hr)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestDroppedConnection(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetFaults(Faults{RateDrop: 1})
	for _, method := range []string{"POST", "GET"} {
		if resp, err := w.send(method, keysPath("1")); err == nil {
			t.Errorf("%s: got %d, want a transport error", method, resp.StatusCode)
		}
	}
	if n := len(w.srv.Keys(w.project)); n != 0 {
		t.Errorf("the dropped POST ran: %d keys", n)
	}
	for _, r := range w.srv.Requests() {
		if r.Status != 0 || r.Fault != "drop" {
			t.Errorf("logged %+v, want status 0 and fault drop", r)
		}
	}
	w.srv.SetFaults(Faults{})
	if resp, err := w.send("GET", keysPath("1")); err != nil || resp.StatusCode != 200 {
		t.Errorf("after clearing faults: %v %v", resp, err)
	}
}

// TestLostResponseAfterCommittedPost is the ambiguous failure a client must
// resolve by listing keys: the key exists though no answer arrived.
func TestLostResponseAfterCommittedPost(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetFaults(Faults{RateLostResponse: 1, Match: func(method, path string) bool {
		return method == "POST" && strings.HasSuffix(path, "/error_tracking/client_keys")
	}})
	if resp, err := w.send("POST", keysPath(encodedPath)); err == nil {
		t.Fatalf("got %d, want a transport error", resp.StatusCode)
	}
	keys := w.srv.Keys(w.project)
	if len(keys) != 1 || !keys[0].Active {
		t.Fatalf("keys = %+v, want the one the lost POST created", keys)
	}
	list := decodeKeys(t, w.call("GET", keysPath("1"), tokMaintainer).body)
	if len(list) != 1 || list[0].ID != keys[0].ID {
		t.Errorf("listed %+v", list)
	}
	want := []Request{
		{Method: "POST", Path: keysPath(encodedPath), Status: 0, Fault: "lost_response"},
		{Method: "GET", Path: keysPath("1"), Status: 200},
	}
	if got := w.srv.Requests(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("log = %+v, want %+v", got, want)
	}
}

// A 500 after the write committed is as ambiguous as a lost answer: the
// key exists though the answer is an error.
func TestServerErrorAfterCommittedPost(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetFaults(Faults{Rate500AfterRun: 1})
	w.call("POST", keysPath("1"), tokMaintainer).expect(t, 500, `{"message":"500 Internal Server Error"}`)
	keys := w.srv.Keys(w.project)
	if len(keys) != 1 || !keys[0].Active {
		t.Fatalf("keys = %+v, want the one the POST created", keys)
	}
	want := Request{Method: "POST", Path: keysPath("1"), Status: 500, Fault: "500_after_run"}
	if got := w.srv.Requests(); len(got) != 1 || got[0] != want {
		t.Errorf("log = %+v, want %+v", got, want)
	}
}

func TestLostResponseOfSettingsWrite(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetFaults(Faults{RateLostResponse: 1})
	if _, err := w.send("PUT", settingsPath("1")+"?active=true&integrated=true"); err == nil {
		t.Fatal("want a transport error")
	}
	if st, ok := w.srv.GetSettings(w.project); !ok || !st.Active {
		t.Errorf("settings = %+v, %v; the PUT should have been committed", st, ok)
	}
}

func TestFaultMatchSelectsRequests(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetFaults(Faults{Rate500: 1, Match: func(method, path string) bool {
		return method == "POST"
	}})
	w.call("GET", keysPath("1"), tokMaintainer).expect(t, 200, `[]`)
	w.call("POST", keysPath("1"), tokMaintainer).expect(t, 500, `{"message":"500 Internal Server Error"}`)
	// Faults apply to unknown routes too, and never to the admin routes.
	w.srv.SetFaults(Faults{Rate500: 1})
	w.call("GET", "/api/v4/nope", "").expect(t, 500, `{"message":"500 Internal Server Error"}`)
	if got := w.call("GET", "/-/emulator/requests", ""); got.status != 200 {
		t.Errorf("admin route faulted: %d", got.status)
	}
}

func TestFaultsAreDeterministicWithSeed(t *testing.T) {
	run := func() string {
		w := newIntegratedWorld(t)
		w.srv.SetFaults(Faults{Seed: 42, Rate429: 0.25, Rate500: 0.25})
		var statuses []string
		for range 40 {
			statuses = append(statuses, strconv.Itoa(w.call("GET", "/api/v4/user", tokOwner).status))
		}
		return strings.Join(statuses, ",")
	}
	a, b := run(), run()
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	for _, want := range []string{"200", "429", "500"} {
		if !strings.Contains(a, want) {
			t.Errorf("no %s in %s", want, a)
		}
	}
}

func TestLatency(t *testing.T) {
	w := newIntegratedWorld(t)
	const latency = 30 * time.Millisecond
	w.srv.SetFaults(Faults{Latency: latency, Match: func(_, path string) bool { return strings.HasSuffix(path, "/user") }})
	start := time.Now()
	w.call("GET", "/api/v4/user", tokOwner)
	if d := time.Since(start); d < latency {
		t.Errorf("answered after %v, want at least %v", d, latency)
	}
	if got := w.srv.Requests()[0]; got.Status != 200 || got.Fault != "" {
		t.Errorf("logged %+v", got)
	}
}

// RunFirst: a slow GitLab has run the POST before its latency, and keeps
// the key when the client gives up waiting for the answer.
func TestRunFirstKeepsTheWriteOfAClientThatLeft(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.SetFaults(Faults{Latency: time.Hour, RunFirst: true, Match: func(_, path string) bool {
		return strings.HasSuffix(path, "/error_tracking/client_keys")
	}})
	ctx, leave := context.WithCancel(t.Context())
	hr, err := http.NewRequestWithContext(ctx, "POST", w.ts.URL+keysPath(encodedPath), nil)
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("PRIVATE-TOKEN", tokMaintainer)
	done := make(chan error, 1)
	go func() {
		resp, err := w.ts.Client().Do(hr)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// The client leaves once GitLab has run the request (logged as it runs).
	for w.srv.CountRequests("POST", "/error_tracking/client_keys") == 0 {
		runtime.Gosched()
	}
	leave()
	if err := <-done; err == nil {
		t.Fatal("the client got an answer; want none within the latency")
	}
	if keys := w.srv.Keys(w.project); len(keys) != 1 {
		t.Fatalf("keys = %+v, want the one the POST created", keys)
	}
	if got := w.srv.Requests(); len(got) != 1 || got[0].Status != 201 {
		t.Errorf("log = %+v, want the POST with its 201", got)
	}
}
