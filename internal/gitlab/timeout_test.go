package gitlab

import (
	"context"
	"errors"
	"net/http"
	"slices"
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

// Creates of one project cut off by an interrupt after GitLab created their
// keys: each gets its key back without an error, from one shared listing of
// the project's keys.
func TestInterruptedCreatesShareOneLook(t *testing.T) {
	t.Parallel()
	const creates = 5
	ctx, interrupt := context.WithCancel(t.Context())
	all := newBarrier(creates)
	w := newKeysWorld(t, hooks{afterCreate: func(r *http.Request) {
		all.arrive(t, "not every create reached GitLab")
		interrupt() // Ctrl-C once every key exists, before any answer
		<-r.Context().Done()
	}})
	w.addKeys(2)
	if _, err := w.c.ListClientKeys(ctx, "g/p"); err != nil {
		t.Fatal(err)
	}

	got := make(chan *ClientKey, creates)
	errs := make(chan error, creates)
	for range creates {
		go func() {
			k, err := w.c.CreateClientKey(ctx, "g/p")
			got <- k
			errs <- err
		}()
	}
	var returned []int64
	for range creates {
		if err := <-errs; err != nil {
			t.Errorf("an interrupted create failed: %v", err)
		}
		if k := <-got; k != nil {
			returned = append(returned, k.ID)
		}
	}
	slices.Sort(returned)
	if server := ids(w.serverKeys())[2:]; !slices.Equal(returned, server) {
		t.Errorf("returned keys %v; GitLab created %v", returned, server)
	}
	// The listing before the creates, and one after the interrupt.
	if n := w.count(http.MethodGet); n != 2 {
		t.Errorf("%d key listings; want 2", n)
	}

	// A create that starts after the interrupt sends nothing and says so.
	_, err := w.c.CreateClientKey(ctx, "g/p")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindNotSent || w.count(http.MethodPost) != creates ||
		!strings.Contains(err.Error(), "interrupted before the request was sent") {
		t.Errorf("a create after the interrupt: got %v (kind %v), %d POSTs; want KindNotSent and no POST", err, KindOf(err), w.count(http.MethodPost))
	}
}

// An interrupted create whose look at the keys fails names the project and
// the key IDs it may have taken.
func TestInterruptedCreateUnresolved(t *testing.T) {
	t.Parallel()
	ctx, interrupt := context.WithCancel(t.Context())
	var w *keysWorld
	w = newKeysWorld(t, hooks{afterCreate: func(r *http.Request) {
		w.em.SetFaults(emulator.Faults{Rate500: 1, Match: func(method, path string) bool { return method == http.MethodGet }})
		interrupt()
		<-r.Context().Done()
	}}, func(cfg *Config) { cfg.Retries = 1 })
	w.addKeys(2)
	known := ids(w.serverKeys())

	_, err := w.c.CreateClientKey(ctx, "g/p")
	var lost *LostKeyError
	if !errors.As(err, &lost) || lost.Project != "g/p" || lost.After != known[1] || !strings.HasSuffix(lost.ListURL, "/projects/g%2Fp/error_tracking/client_keys") {
		t.Fatalf("want a LostKeyError for g/p after key %d, got %v (%+v)", known[1], err, lost)
	}
	if !strings.Contains(err.Error(), "interrupted after the request was sent") || !strings.Contains(err.Error(), "500 Internal Server Error") {
		t.Errorf("the error does not say what happened: %v", err)
	}
}
