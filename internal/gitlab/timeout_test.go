package gitlab

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// A short request_timeout for the tests below, long enough for an answer
// that comes: what they count is attempts.
const testRequestTimeout = 200 * time.Millisecond

// silent is a GitLab that never answers, closed when t ends. Each attempt
// that request_timeout ends closes its connection: each attempt is one
// connection.
func silent(t *testing.T) *emulator.Silent {
	t.Helper()
	s, err := emulator.NewSilent()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// ends runs call and fails t when it has not returned within a minute: a
// call that waits for ever is the failure these tests look for.
func ends(t *testing.T, call func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("the call still waits for GitLab after a minute")
		return nil
	}
}

// released is closed when t ends, before the servers it made are closed
// (t.Cleanup runs last in, first out; call it after making them), so that a
// handler that never answers does not hold the test when a client waits for
// ever.
func released(t *testing.T) <-chan struct{} {
	ch := make(chan struct{})
	t.Cleanup(func() { close(ch) })
	return ch
}

// hang answers nothing until the client gives up or the test ends.
func hang(r *http.Request, released <-chan struct{}) {
	select {
	case <-r.Context().Done():
	case <-released:
	}
}

func withTimeout(cfg *Config) { cfg.RequestTimeout = testRequestTimeout }

// A GitLab that accepts the connection and never answers: each attempt ends
// after request_timeout, and a timed-out request is tried 3 times however
// high retries is (fewer when retries allows fewer).
func TestSilentGitLabEnds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		retries, want int
	}{{10, 3}, {1, 2}, {0, 1}} {
		gl := silent(t)
		c := newTestClient(t, gl.URL(), withTimeout, func(cfg *Config) { cfg.Retries = tt.retries })
		err := ends(t, func() error { _, err := c.GetSettings(t.Context(), "g/p"); return err })
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindTimeout || e.Attempts != tt.want || gl.Accepted() != tt.want {
			t.Fatalf("retries = %d: want %d timed-out attempts, got %v (kind %v), %d connections",
				tt.retries, tt.want, err, KindOf(err), gl.Accepted())
		}
		if !strings.Contains(err.Error(), "no answer within request_timeout (200ms)") {
			t.Errorf("retries = %d: the error does not say what timed out: %v", tt.retries, err)
		}
	}
}

// An answer whose body stops halfway (a connection dropped by a NAT) is a
// timed-out attempt too, retried as one.
func TestStalledBodyEnds(t *testing.T) {
	t.Parallel()
	var rest <-chan struct{}
	srv, n := sequence(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`[{"id":1,"active":true,`))
		_ = http.NewResponseController(w).Flush()
		hang(r, rest) // the rest never comes
	})
	rest = released(t)
	c := newTestClient(t, srv.URL, withTimeout)
	err := ends(t, func() error { _, err := c.ListClientKeys(t.Context(), "g/p"); return err })
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout || e.Attempts != 3 || n.Load() != 3 {
		t.Fatalf("want 3 timed-out attempts, got %v (kind %v), %d requests", err, KindOf(err), n.Load())
	}
	if !strings.Contains(err.Error(), "stopped halfway") {
		t.Errorf("the error does not say the answer stopped halfway: %v", err)
	}

	// The answer that comes in time is read whole.
	var later <-chan struct{}
	srv, _ = sequence(t, func(w http.ResponseWriter, r *http.Request) {
		hang(r, later)
	}, status(200, `[{"id":7,"active":true,"public_key":"k","sentry_dsn":"d"}]`))
	later = released(t)
	var keys []ClientKey
	err = ends(t, func() (err error) {
		keys, err = newTestClient(t, srv.URL, withTimeout).ListClientKeys(t.Context(), "g/p")
		return err
	})
	if err != nil || len(keys) != 1 || keys[0].ID != 7 {
		t.Fatalf("after one timed-out attempt: want key 7, got %v, %v", keys, err)
	}
}

// A POST that times out may have created the key: it goes the way of a lost
// answer, and is sent again only when the keys show it was not run, at most
// 3 times in all.
func TestTimedOutCreate(t *testing.T) {
	t.Parallel()
	var rest <-chan struct{}
	w := newKeysWorld(t, hooks{afterCreate: func(r *http.Request) { hang(r, rest) }}, withTimeout)
	rest = released(t)
	w.addKeys(2)
	k, err := ends2(t, func() (*ClientKey, error) { return w.c.CreateClientKey(t.Context(), "g/p") })
	if err != nil {
		t.Fatalf("want the key created by the timed-out POST, got %v", err)
	}
	if keys := w.serverKeys(); len(keys) != 3 || keys[2].ID != k.ID || w.count(http.MethodPost) != 1 {
		t.Fatalf("server keys %v, returned %d after %d POSTs; want the one new key, one POST", ids(keys), k.ID, w.count(http.MethodPost))
	}

	// GitLab takes the POSTs and never gets to them: nothing is created.
	w = newKeysWorld(t, hooks{}, withTimeout)
	w.em.SetFaults(onKeyCreates(emulator.Faults{Latency: time.Hour}, 0))
	_, err = ends2(t, func() (*ClientKey, error) { return w.c.CreateClientKey(t.Context(), "g/p") })
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTimeout || e.Attempts != 3 || w.count(http.MethodPost) != 3 {
		t.Fatalf("want a timeout after 3 POSTs, got %v (kind %v), %d POSTs", err, KindOf(err), w.count(http.MethodPost))
	}
	// The baseline and one look after each POST.
	if got := w.count(http.MethodGet); got != 4 || len(w.serverKeys()) != 0 {
		t.Fatalf("%d lists and %d keys; want 4 lists and no key", got, len(w.serverKeys()))
	}
}

func ends2(t *testing.T, call func() (*ClientKey, error)) (*ClientKey, error) {
	var k *ClientKey
	err := ends(t, func() (err error) { k, err = call(); return err })
	return k, err
}
