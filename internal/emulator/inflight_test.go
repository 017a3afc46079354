package emulator

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Requests held open together are counted at once; those match leaves out
// are not counted, and the peak stays after they end.
func TestInFlightPeak(t *testing.T) {
	var c InFlight
	arrived, release := make(chan struct{}), make(chan struct{})
	h := c.Count(func(r *http.Request) bool { return r.Method == http.MethodPost },
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			arrived <- struct{}{}
			<-release
		}))
	var wg sync.WaitGroup
	for _, method := range []string{http.MethodPost, http.MethodPost, http.MethodGet} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, "/", nil))
		}()
	}
	for range 3 {
		<-arrived
	}
	if got := c.Peak(); got != 2 {
		t.Errorf("Peak() = %d with two POSTs and one GET in flight, want 2", got)
	}
	close(release)
	wg.Wait()
	if got := c.Peak(); got != 2 {
		t.Errorf("Peak() = %d after the requests ended, want 2", got)
	}
}
