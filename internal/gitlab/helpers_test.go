package gitlab

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "glpat-s3cr3t-t0ken-value"

// waitFor blocks until ch is closed, or for at most 5 seconds, after which
// it fails t with why.
func waitFor(t *testing.T, ch <-chan struct{}, why string) {
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Error(why)
	}
}

// barrier holds its callers until n of them have arrived.
type barrier struct {
	n       int32
	arrived atomic.Int32
	all     chan struct{}
}

func newBarrier(n int32) *barrier { return &barrier{n: n, all: make(chan struct{})} }

// arrive waits for the others (see waitFor).
func (b *barrier) arrive(t *testing.T, why string) {
	if b.arrived.Add(1) == b.n {
		close(b.all)
	}
	waitFor(t, b.all, why)
}

// newTestClient returns a Client for url with fast retries.
func newTestClient(t *testing.T, url string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Token:        testToken,
		BaseURL:      url,
		Retries:      10,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 4 * time.Millisecond,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// dropConnection closes the connection without an answer, as a proxy or a
// network failure does.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}
