package gitlab

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// SharedSettings reads a project's settings once for the Client's life:
// callers that come while the read is out wait for it, later callers get
// its answer, a project without settings included. A gate in front of the
// emulator holds the read until every caller waits for it.
func TestSharedSettingsOneReadPerProject(t *testing.T) {
	t.Parallel()
	em := emulator.New(emulator.Options{})
	uid := em.AddUser("lister", false)
	em.AddToken(uid, testToken, "read_api")
	em.SetGroupRole(em.AddGroup("acme"), uid, emulator.RoleOwner)
	em.SetSettings(em.AddProject("acme/web"), emulator.Settings{Active: true, Integrated: true})
	em.AddProject("acme/bare")

	arrived, gate := make(chan string, 16), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/error_tracking/settings") {
			arrived <- r.URL.Path
			<-gate
		}
		em.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)
	joined := make(chan int, 16)
	c.settings.calls.joined = func(_ string, waiters int) { joined <- waiters }

	const callers = 5
	type answer struct {
		s   *Settings
		err error
	}
	answers := make(chan answer, callers)
	for range callers {
		go func() {
			s, err := c.SharedSettings(t.Context(), "acme/web")
			answers <- answer{s, err}
		}()
	}
	<-arrived
	for waiters := 0; waiters < callers; {
		select {
		case waiters = <-joined:
		case p := <-arrived:
			close(gate)
			t.Fatalf("a second read of %s while the first was out", p)
		}
	}
	close(gate)
	for range callers {
		a := <-answers
		if a.err != nil || !a.s.Active {
			t.Fatalf("a concurrent caller got %+v, %v; want the active settings", a.s, a.err)
		}
	}

	// Later callers, and a project without settings, asked twice.
	if s, err := c.SharedSettings(t.Context(), "acme/web"); err != nil || !s.Active {
		t.Fatalf("a later caller got %+v, %v", s, err)
	}
	for range 2 {
		if _, err := c.SharedSettings(t.Context(), "acme/bare"); KindOf(err) != KindSettingsNotFound {
			t.Fatalf("a project without settings: got %v, want KindSettingsNotFound", err)
		}
	}
	got := map[string]int{}
	for _, r := range em.Requests() {
		got[r.Path]++
	}
	if got["/api/v4/projects/acme%2Fweb/error_tracking/settings"] != 1 || got["/api/v4/projects/acme%2Fbare/error_tracking/settings"] != 1 {
		t.Fatalf("requests %v, want one settings read per project", got)
	}
}
