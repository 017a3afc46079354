package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// keysWorld is an emulated GitLab with the integrated error-tracking flag
// on and the project g/p, which the token's user maintains; c is a Client
// of it. GitLab's throttling asks for at least a second, which c caps at a
// millisecond.
type keysWorld struct {
	em      *emulator.Server
	user    int64
	project int64 // g/p
	c       *Client
}

// hooks stand in front of the emulator, as a proxy would, to hold key
// requests at a barrier or act between GitLab's work and its answer.
type hooks struct {
	beforeList  func(r *http.Request) // before a key list request reaches GitLab
	beforePOST  func(r *http.Request) // before a key create reaches GitLab
	afterCreate func(r *http.Request) // after GitLab created a key, before its answer leaves
}

func (h hooks) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/error_tracking/client_keys") {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.Method == http.MethodGet && h.beforeList != nil:
			h.beforeList(r)
		case r.Method == http.MethodPost && h.beforePOST != nil:
			h.beforePOST(r)
		}
		if r.Method != http.MethodPost || h.afterCreate == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if rec.Code == http.StatusCreated {
			h.afterCreate(r)
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func newKeysWorld(t *testing.T, h hooks, mod ...func(*Config)) *keysWorld {
	t.Helper()
	em := emulator.New(emulator.Options{DefaultIntegratedFlag: true})
	srv := httptest.NewServer(h.front(em))
	t.Cleanup(srv.Close)
	w := &keysWorld{em: em, user: em.AddUser("maintainer", false)}
	em.AddToken(w.user, testToken)
	w.project = w.addProject("g/p")
	w.c = newTestClient(t, srv.URL, append([]func(*Config){func(cfg *Config) { cfg.ServerWaitMax = time.Millisecond }}, mod...)...)
	return w
}

// addProject creates a project the token's user maintains.
func (w *keysWorld) addProject(path string) int64 {
	id := w.em.AddProject(path)
	w.em.SetRole(id, w.user, emulator.RoleMaintainer)
	return id
}

// addKeys creates n keys in g/p, as GitLab's UI would.
func (w *keysWorld) addKeys(n int) {
	for range n {
		w.em.AddKey(w.project)
	}
}

// serverKeys is what GitLab holds for g/p, in id order.
func (w *keysWorld) serverKeys() []ClientKey {
	var out []ClientKey
	for _, k := range w.em.Keys(w.project) {
		out = append(out, ClientKey{ID: k.ID, Active: k.Active, PublicKey: k.PublicKey, SentryDSN: k.SentryDSN})
	}
	return out
}

// count is how many key list (GET) or create (POST) requests GitLab got.
func (w *keysWorld) count(method string) int {
	return w.em.CountRequests(method, "/error_tracking/client_keys")
}

// faults counts GitLab's logged key creates by the fault injected ("" for
// none).
func (w *keysWorld) faults() map[string]int {
	n := map[string]int{}
	for _, r := range w.em.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/error_tracking/client_keys") {
			n[r.Fault]++
		}
	}
	return n
}

// onKeyCreates has f's faults drawn for key creates only; first, when
// positive, limits them to the first that many.
func onKeyCreates(f emulator.Faults, first int32) emulator.Faults {
	var n atomic.Int32
	f.Match = func(method, path string) bool {
		return method == http.MethodPost && strings.HasSuffix(path, "/error_tracking/client_keys") &&
			(first <= 0 || n.Add(1) <= first)
	}
	return f
}

func ids(keys []ClientKey) []int64 {
	out := make([]int64, 0, len(keys))
	for _, k := range keys {
		out = append(out, k.ID)
	}
	return out
}

func TestListClientKeysFollowsPages(t *testing.T) {
	t.Parallel()
	w := newKeysWorld(t, hooks{})
	c := w.c
	w.addKeys(250)

	keys, err := c.ListClientKeys(t.Context(), "g/p")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(keys, w.serverKeys()) || !slices.IsSorted(ids(keys)) || len(keys) != 250 {
		t.Fatalf("got %d keys %v…, want the server's 250 in id order", len(keys), ids(keys)[:min(3, len(keys))])
	}
	if got := w.count(http.MethodGet); got != 3 {
		t.Fatalf("%d list requests, want 3", got)
	}
	for _, req := range w.em.Requests() {
		if v, _ := url.ParseQuery(req.RawQuery); req.Method == http.MethodGet && v.Get("per_page") != "100" {
			t.Fatalf("list request without per_page=100: %q", req.RawQuery)
		}
	}
	if keys[0].PublicKey == "" || keys[0].SentryDSN == "" || !keys[0].Active {
		t.Fatalf("key fields not decoded: %+v", keys[0])
	}

	// Later callers get the cache, as a copy.
	keys[0].ID = -1
	again, err := c.ListClientKeys(t.Context(), "g/p")
	if err != nil || again[0].ID == -1 || w.count(http.MethodGet) != 3 {
		t.Fatalf("second list: err %v, first id %d, %d requests", err, again[0].ID, w.count(http.MethodGet))
	}
}

func TestConcurrentListsShareOneFetch(t *testing.T) {
	t.Parallel()
	const callers = 50
	// GitLab answers only once every caller waits for the listing, so that
	// all 50 are readers of the same project at the same time.
	allWaiting := make(chan struct{})
	w := newKeysWorld(t, hooks{beforeList: func(*http.Request) {
		waitFor(t, allWaiting, "the callers did not all wait for the one listing in flight")
	}})
	c := w.c
	w.addKeys(150)
	c.keyFetches.joined = func(_ string, waiters int) {
		if waiters == callers {
			close(allWaiting)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			keys, err := c.ListClientKeys(t.Context(), "g/p")
			if err == nil && len(keys) != 150 {
				err = fmt.Errorf("got %d keys, want 150", len(keys))
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// One fetch: its two pages of 100.
	if got := w.count(http.MethodGet); got != 2 {
		t.Fatalf("%d list requests for %d concurrent callers, want 2", got, callers)
	}
}

func TestClientKeyFindsOneKeyInTheSharedList(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newKeysWorld(t, hooks{})
	c := w.c
	w.addKeys(250)

	server := w.serverKeys()
	for _, want := range server {
		got, err := c.ClientKey(ctx, "g/p", want.ID)
		if err != nil || got == nil || *got != want {
			t.Fatalf("ClientKey(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if got, err := c.ClientKey(ctx, "g/p", server[len(server)-1].ID+1); got != nil || err != nil {
		t.Fatalf("a key the project does not have: got %+v, %v; want nil, nil", got, err)
	}
	if got := w.count(http.MethodGet); got != 3 {
		t.Fatalf("%d list requests for %d lookups, want the 3 pages once", got, len(server)+1)
	}

	// The answer is the caller's own copy.
	k, _ := c.ClientKey(ctx, "g/p", server[0].ID)
	k.PublicKey = "changed"
	if again, _ := c.ClientKey(ctx, "g/p", server[0].ID); again.PublicKey != server[0].PublicKey {
		t.Fatalf("changing a returned key changed the cache: %q", again.PublicKey)
	}

	// A key deleted through the Client is gone without another listing.
	if err := c.DeleteClientKey(ctx, "g/p", server[0].ID); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ClientKey(ctx, "g/p", server[0].ID); got != nil || err != nil || w.count(http.MethodGet) != 3 {
		t.Fatalf("deleted key: got %+v, %v after %d list requests; want nil, nil after 3", got, err, w.count(http.MethodGet))
	}
}

func TestListsOfDifferentProjectsRunInParallel(t *testing.T) {
	t.Parallel()
	both := newBarrier(2)
	w := newKeysWorld(t, hooks{beforeList: func(*http.Request) {
		both.arrive(t, "the second project's list did not start while the first one's was in flight")
	}})
	var wg sync.WaitGroup
	for _, p := range []string{"a/one", "b/two"} {
		w.addProject(p)
		wg.Go(func() {
			if _, err := w.c.ListClientKeys(t.Context(), p); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestWaiterThatGivesUpDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var once sync.Once
	inList := make(chan struct{})
	w := newKeysWorld(t, hooks{beforeList: func(*http.Request) {
		once.Do(func() { close(inList) })
		<-release
	}})
	c := w.c
	w.addKeys(3)

	ctxA, cancelA := context.WithCancel(t.Context())
	errA := make(chan error, 1)
	go func() {
		_, err := c.ListClientKeys(ctxA, "g/p")
		errA <- err
	}()
	<-inList
	errB := make(chan error, 1)
	go func() {
		keys, err := c.ListClientKeys(t.Context(), "g/p")
		if err == nil && len(keys) != 3 {
			err = errors.New("incomplete list")
		}
		errB <- err
	}()
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) || KindOf(err) != KindNotSent {
		close(release)
		t.Fatalf("canceled caller: got %v (%v), want an *Error of KindNotSent wrapping context.Canceled", err, KindOf(err))
	}
	close(release)
	if err := <-errB; err != nil {
		t.Fatalf("the other caller failed: %v", err)
	}
}

func TestCacheFollowsWrites(t *testing.T) {
	t.Parallel()
	w := newKeysWorld(t, hooks{})
	c := w.c
	w.addKeys(2)
	ctx := t.Context()

	if _, err := c.ListClientKeys(ctx, "g/p"); err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateClientKey(ctx, "g/p")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := c.ListClientKeys(ctx, "g/p")
	if !slices.Contains(ids(keys), k.ID) || len(keys) != 3 {
		t.Fatalf("created key %d missing from cached list %v", k.ID, ids(keys))
	}

	first := keys[0].ID
	if err := c.DeleteClientKey(ctx, "g/p", first); err != nil {
		t.Fatal(err)
	}
	keys, _ = c.ListClientKeys(ctx, "g/p")
	if slices.Contains(ids(keys), first) || len(keys) != 2 {
		t.Fatalf("deleted key %d still in cached list %v", first, ids(keys))
	}

	// Deleted outside Terraform: the 404 also drops it from the cache.
	gone := keys[0].ID
	w.em.RemoveKey(gone)
	if err := c.DeleteClientKey(ctx, "g/p", gone); KindOf(err) != KindKeyNotFound {
		t.Fatalf("delete of a missing key: got %v, want KindKeyNotFound", err)
	}
	keys, _ = c.ListClientKeys(ctx, "g/p")
	if slices.Contains(ids(keys), gone) {
		t.Fatalf("missing key %d still in cached list %v", gone, ids(keys))
	}
	if got := w.count(http.MethodGet); got != 1 {
		t.Fatalf("%d list requests, want 1: writes must update the cache in place", got)
	}

	// A settings write that leaves tracking off invalidates the list.
	if _, err := c.PutSettings(ctx, "g/p", false, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListClientKeys(ctx, "g/p"); err != nil || w.count(http.MethodGet) != 2 {
		t.Fatalf("after a settings write: err %v, %d list requests, want 2", err, w.count(http.MethodGet))
	}
}

func TestSettingsWriteListsAutoCreatedKey(t *testing.T) {
	t.Parallel()
	w := newKeysWorld(t, hooks{})
	c := w.c
	ctx := t.Context()

	s, err := c.PutSettings(ctx, "g/p", true, true)
	if err != nil {
		t.Fatal(err)
	}
	auto := w.serverKeys()
	// One listing before the write (nothing was cached), one after it.
	if len(auto) != 1 || w.count(http.MethodGet) != 2 {
		t.Fatalf("want GitLab's auto-created key listed before and after the write, got keys %v and %d lists", ids(auto), w.count(http.MethodGet))
	}
	if s.CreatedKeyID != auto[0].ID {
		t.Fatalf("the write reports created key %d, want %d", s.CreatedKeyID, auto[0].ID)
	}
	keys, err := c.ListClientKeys(ctx, "g/p")
	if err != nil || !slices.Equal(keys, auto) || w.count(http.MethodGet) != 2 {
		t.Fatalf("cached list %v (err %v, %d lists), want %v from the listing after the write", ids(keys), err, w.count(http.MethodGet), ids(auto))
	}

	// With an active key GitLab creates none: the cached list stands and
	// the write reports no key.
	s, err = c.PutSettings(ctx, "g/p", true, true)
	if err != nil {
		t.Fatal(err)
	}
	if s.CreatedKeyID != 0 || w.count(http.MethodGet) != 2 || len(w.serverKeys()) != 1 {
		t.Fatalf("second write: created key %d, %d lists, keys %v; want no key and no listing", s.CreatedKeyID, w.count(http.MethodGet), ids(w.serverKeys()))
	}

	// A create whose request GitLab never ran must not take the
	// auto-created key for its own.
	w.em.SetFaults(onKeyCreates(emulator.Faults{RateDrop: 1}, 1))
	k, err := c.CreateClientKey(ctx, "g/p")
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == auto[0].ID {
		t.Fatalf("the auto-created key %d was adopted", k.ID)
	}
	if got := w.faults(); got["drop"] != 1 || got[""] != 1 {
		t.Fatalf("key creates by fault %v, want one dropped and one answered", got)
	}
	if got := ids(w.serverKeys()); !slices.Equal(got, []int64{auto[0].ID, k.ID}) {
		t.Fatalf("server keys %v, want the auto-created key and the new one", got)
	}
}

// addPending counts a lost POST as creating does (rule 3).
func (ps *projectKeys) addPending() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.pending++
}

// A settings write that runs while a create whose answer was lost waits to
// look for its key: the key the write creates is not that create's.
func TestSettingsWriteDuringPendingAdoption(t *testing.T) {
	t.Parallel()
	w := newKeysWorld(t, hooks{})
	c := w.c
	ctx := t.Context()
	ps := c.keysOf("g/p")
	if _, err := c.ListClientKeys(ctx, "g/p"); err != nil {
		t.Fatal(err)
	}

	// The POST was lost before GitLab ran it; before its adoption runs,
	// the settings write creates a key.
	floor := ps.currentFloor()
	ps.addPending()
	if _, err := c.PutSettings(ctx, "g/p", true, true); err != nil {
		t.Fatal(err)
	}
	postErr := &Error{Message: "EOF", Attempts: 1}
	k, err := c.adopt(ctx, request{op: "create"}, "g/p", ps, floor, postErr)
	if err != nil || k != nil {
		t.Fatalf("adopt = %v, %v; want no key: the only new key is the settings write's", k, err)
	}

	// With the write's key accounted for, a lost POST that did create one
	// still finds it.
	floor = ps.currentFloor()
	ps.addPending()
	w.addKeys(1)
	lost := w.serverKeys()[1]
	if _, err := c.PutSettings(ctx, "g/p", true, true); err != nil {
		t.Fatal(err)
	}
	k, err = c.adopt(ctx, request{op: "create"}, "g/p", ps, floor, postErr)
	if err != nil || k == nil || k.ID != lost.ID {
		t.Fatalf("adopt = %v, %v; want key %d", k, err, lost.ID)
	}
}

func TestCreateAfterAmbiguousFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		first                emulator.Faults // what GitLab does with the first POST
		fault                string          // its name in GitLab's log
		wantPOSTs, wantLists int             // the lists include the baseline
	}{
		{"answer lost after create: adopted", emulator.Faults{RateLostResponse: 1}, "lost_response", 1, 2},
		{"500 after create: adopted, not sent again", emulator.Faults{Rate500AfterRun: 1}, "500_after_run", 1, 2},
		{"connection dropped before create: sent again", emulator.Faults{RateDrop: 1}, "drop", 2, 2},
		{"500 without create: sent again after a look", emulator.Faults{Rate500: 1}, "500", 2, 2},
		{"502 page from a proxy without create: sent again after a look", emulator.Faults{Rate502HTML: 1}, "502_html", 2, 2},
		{"429: retried at once", emulator.Faults{Rate429: 1}, "429", 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newKeysWorld(t, hooks{})
			w.addKeys(3)
			before := ids(w.serverKeys())
			w.em.SetFaults(onKeyCreates(tt.first, 1))
			k, err := w.c.CreateClientKey(t.Context(), "g/p")
			if err != nil {
				t.Fatal(err)
			}
			after := ids(w.serverKeys())
			if len(after) != 4 || slices.Contains(before, k.ID) || !slices.Contains(after, k.ID) {
				t.Fatalf("server keys %v, returned %d; want exactly one new key, returned", after, k.ID)
			}
			if k.PublicKey == "" || k.SentryDSN == "" || *k != w.serverKeys()[3] {
				t.Fatalf("returned key %+v, want GitLab's %+v", k, w.serverKeys()[3])
			}
			if got := w.faults(); got[tt.fault] != 1 {
				t.Errorf("key creates by fault %v, want one %s", got, tt.fault)
			}
			if got := w.count(http.MethodPost); got != tt.wantPOSTs {
				t.Errorf("%d POSTs, want %d", got, tt.wantPOSTs)
			}
			if got := w.count(http.MethodGet); got != tt.wantLists {
				t.Errorf("%d lists, want %d", got, tt.wantLists)
			}
		})
	}
}

func TestCreateInterruptedAfterGitLabCreatedTheKey(t *testing.T) {
	t.Parallel()
	ctx, interrupt := context.WithCancel(t.Context())
	// Ctrl-C arrives after GitLab created the key, before its answer.
	w := newKeysWorld(t, hooks{afterCreate: func(r *http.Request) {
		interrupt()
		<-r.Context().Done()
	}})
	w.addKeys(2)

	k, err := w.c.CreateClientKey(ctx, "g/p")
	if err != nil {
		t.Fatalf("want the created key found after the interrupt, got %v", err)
	}
	after := w.serverKeys()
	if len(after) != 3 || after[2] != *k || k.SentryDSN == "" {
		t.Fatalf("server keys %v, returned %+v; want the new key returned", ids(after), k)
	}
	if got := w.count(http.MethodPost); got != 1 {
		t.Fatalf("%d POSTs after an interrupt, want 1", got)
	}
}

func TestCreateInterruptedBeforeGitLabRanIt(t *testing.T) {
	t.Parallel()
	ctx, interrupt := context.WithCancel(t.Context())
	w := newKeysWorld(t, hooks{beforePOST: func(*http.Request) { interrupt() }})
	w.em.SetFaults(onKeyCreates(emulator.Faults{Rate500: 1}, 0))

	_, err := w.c.CreateClientKey(ctx, "g/p")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want the interrupt reported, got %v", err)
	}
	if n := len(w.serverKeys()); n != 0 || w.count(http.MethodPost) > 1 {
		t.Fatalf("%d keys after %d POSTs; want none, and no POST after the interrupt", n, w.count(http.MethodPost))
	}
}

func TestCreateGivesUp(t *testing.T) {
	t.Parallel()
	w := newKeysWorld(t, hooks{}, func(cfg *Config) { cfg.Retries = 2 })
	w.em.SetFaults(onKeyCreates(emulator.Faults{Rate500: 1}, 0))
	_, err := w.c.CreateClientKey(t.Context(), "g/p")
	var e *Error
	if !asError(err, &e) || e.Attempts != 3 || e.StatusCode != 500 || w.count(http.MethodPost) != 3 {
		t.Fatalf("want a 500 after 3 POSTs, got %v (%d POSTs)", err, w.count(http.MethodPost))
	}
	want := `create a client key in project "g/p" (POST projects/g%2Fp/error_tracking/client_keys): ` +
		"gave up after 3 attempts; last answer: 500 Internal Server Error"
	if err.Error() != want {
		t.Fatalf("Error() = %q\nwant %q", err.Error(), want)
	}
	if n := len(w.serverKeys()); n != 0 {
		t.Fatalf("server has %d keys, want none", n)
	}

	// A definite refusal is not looked into.
	srv403, n403 := sequence(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			writeRaw(w, 200, "[]")
			return
		}
		writeRaw(w, 403, `{"message":"403 Forbidden"}`)
	})
	_, err = newTestClient(t, srv403.URL).CreateClientKey(t.Context(), "g/p")
	if !asError(err, &e) || e.Kind != KindForbidden || e.Attempts != 1 {
		t.Fatalf("want KindForbidden after one attempt, got %v", err)
	}
	if n403.Load() != 2 { // the baseline list and the POST
		t.Fatalf("%d requests, want 2", n403.Load())
	}

	// GitLab refuses a key create to a token with only the read_api scope,
	// which may list the keys: that refusal is not looked into either.
	const readAPI = "glpat-read-api-only"
	reader := newKeysWorld(t, hooks{}, func(cfg *Config) { cfg.Token = readAPI })
	reader.em.AddToken(reader.user, readAPI, "read_api")
	_, err = reader.c.CreateClientKey(t.Context(), "g/p")
	if !asError(err, &e) || e.Kind != KindInsufficientScope || e.Attempts != 1 {
		t.Fatalf("want KindInsufficientScope after one attempt, got %v", err)
	}
	if lists, posts := reader.count(http.MethodGet), reader.count(http.MethodPost); lists != 1 || posts != 1 || len(reader.serverKeys()) != 0 {
		t.Fatalf("%d lists and %d POSTs, %d keys; want the baseline list, one POST and no key", lists, posts, len(reader.serverKeys()))
	}
}

func TestParallelCreatesWithLostAnswers(t *testing.T) {
	t.Parallel()
	w := newKeysWorld(t, hooks{})
	c := w.c
	w.addKeys(5)
	before := ids(w.serverKeys())
	// 40% of the answers are lost after GitLab created the key, and 10% of
	// the requests are dropped before it ran them; the seed fixes the
	// draws, so the creates meet as many of each on every run.
	w.em.SetFaults(onKeyCreates(emulator.Faults{Seed: 1, RateLostResponse: 0.4, RateDrop: 0.1}, 0))
	ctx := t.Context()

	const creates = 20
	var wg sync.WaitGroup
	created := make(chan int64, creates)
	for range creates {
		wg.Go(func() {
			k, err := c.CreateClientKey(ctx, "g/p")
			if err != nil {
				t.Error(err)
				return
			}
			created <- k.ID
		})
	}
	// Readers and deletes of old keys at the same time.
	for i := range 2 {
		wg.Go(func() {
			if err := c.DeleteClientKey(ctx, "g/p", before[i]); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := c.ListClientKeys(ctx, "g/p"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(created)

	var got []int64
	for id := range created {
		got = append(got, id)
	}
	slices.Sort(got)
	if len(slices.Compact(slices.Clone(got))) != creates {
		t.Fatalf("creates returned %v, want %d distinct keys", got, creates)
	}
	// The seed's draws: 8 answers lost (each key adopted, not created
	// again) and 4 requests dropped (each sent again).
	if got := w.faults(); got["lost_response"] != 8 || got["drop"] != 4 || w.count(http.MethodPost) != creates+4 {
		t.Fatalf("key creates by fault %v, %d in all; want 8 answers lost and 4 dropped, %d in all", got, w.count(http.MethodPost), creates+4)
	}
	server := ids(w.serverKeys())
	want := append(slices.Clone(before[2:]), got...)
	slices.Sort(want)
	if !slices.Equal(server, want) {
		t.Fatalf("server keys %v\nwant old keys %v plus created %v", server, before[2:], got)
	}
	// The cache agrees with the server.
	keys, err := c.ListClientKeys(ctx, "g/p")
	if err != nil || !slices.Equal(ids(keys), server) {
		t.Fatalf("cached list %v (err %v), server %v", ids(keys), err, server)
	}
}

func TestCreatesInOneProjectRunInParallel(t *testing.T) {
	t.Parallel()
	const n = 5
	all := newBarrier(n)
	w := newKeysWorld(t, hooks{beforePOST: func(*http.Request) { all.arrive(t, "POSTs of one project did not run in parallel") }})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := w.c.CreateClientKey(t.Context(), "g/p"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := len(w.serverKeys()); got != n {
		t.Fatalf("server has %d keys, want %d", got, n)
	}
	if got := w.count(http.MethodGet); got != 1 {
		t.Fatalf("%d list requests, want one shared baseline", got)
	}
}

func TestDeleteClientKeyAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		step     func(http.ResponseWriter, *http.Request)
		wantKind Kind
		wantErr  bool
	}{
		{"200 with the key", status(200, `{"id":7,"active":true,"public_key":"glet_x","sentry_dsn":"https://x"}`), 0, false},
		{"204 without body", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }, 0, false},
		{"404 key gone", status(404, `{"message":"404 Not found"}`), KindKeyNotFound, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := sequence(t, tt.step)
			err := newTestClient(t, srv.URL).DeleteClientKey(t.Context(), "g/p", 7)
			if (err != nil) != tt.wantErr || KindOf(err) != tt.wantKind || n.Load() != 1 {
				t.Fatalf("got %v after %d requests, want error %v of kind %d", err, n.Load(), tt.wantErr, tt.wantKind)
			}
		})
	}
}

// A key printed in any form, as a log line or a failure message might,
// shows its ID and not its public key or DSN.
func TestClientKeyPrintsNoSecret(t *testing.T) {
	k := ClientKey{ID: 7, Active: true, PublicKey: "glet_0123456789abcdef", SentryDSN: "https://glet_0123456789abcdef@gitlab.example.com/api/v4/error_tracking/collector/1"}
	for _, printed := range []string{fmt.Sprint(k), fmt.Sprintf("%v", &k), fmt.Sprintf("%+v", []ClientKey{k}), fmt.Sprintf("%+v", k)} {
		if strings.Contains(printed, "0123456789abcdef") || !strings.Contains(printed, "ID:7") {
			t.Errorf("printed as %s, want ID:7 and no public key", printed)
		}
	}
}
