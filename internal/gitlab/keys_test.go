package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
)

const escaped = "g%2Fp" // how "g/p" appears in the fake's paths

func ids(keys []ClientKey) []int64 {
	out := make([]int64, 0, len(keys))
	for _, k := range keys {
		out = append(out, k.ID)
	}
	return out
}

func TestListClientKeysFollowsPages(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(250)

	keys, err := c.ListClientKeys(t.Context(), "g/p")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(keys), ids(f.serverKeys())) || !slices.IsSorted(ids(keys)) || len(keys) != 250 {
		t.Fatalf("got %d keys %v…, want the server's 250 in id order", len(keys), ids(keys)[:min(3, len(keys))])
	}
	if got := f.count("GET keys"); got != 3 {
		t.Fatalf("%d list requests, want 3", got)
	}
	for _, q := range f.listQueries {
		v, _ := url.ParseQuery(q)
		if v.Get("per_page") != "100" {
			t.Fatalf("list request without per_page=100: %q", q)
		}
	}
	if keys[0].PublicKey == "" || keys[0].SentryDSN == "" || !keys[0].Active {
		t.Fatalf("key fields not decoded: %+v", keys[0])
	}

	// Later callers get the cache, as a copy.
	keys[0].ID = -1
	again, err := c.ListClientKeys(t.Context(), "g/p")
	if err != nil || again[0].ID == -1 || f.count("GET keys") != 3 {
		t.Fatalf("second list: err %v, first id %d, %d requests", err, again[0].ID, f.count("GET keys"))
	}
}

func TestConcurrentListsShareOneFetch(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(150)

	const callers = 50
	// GitLab answers only once every caller waits for the listing, so that
	// all 50 are readers of the same project at the same time.
	allWaiting := make(chan struct{})
	c.keyFetches.joined = func(_ string, waiters int) {
		if waiters == callers {
			close(allWaiting)
		}
	}
	f.beforeList = func(string) { waitFor(t, allWaiting, "the callers did not all wait for the one listing in flight") }

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
	if got := f.count("GET keys"); got != 2 {
		t.Fatalf("%d list requests for %d concurrent callers, want 2", got, callers)
	}
}

func TestClientKeyFindsOneKeyInTheSharedList(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(250)
	ctx := t.Context()

	server := f.serverKeys()
	for _, want := range server {
		got, err := c.ClientKey(ctx, "g/p", want.ID)
		if err != nil || got == nil || *got != want {
			t.Fatalf("ClientKey(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if got, err := c.ClientKey(ctx, "g/p", server[len(server)-1].ID+1); got != nil || err != nil {
		t.Fatalf("a key the project does not have: got %+v, %v; want nil, nil", got, err)
	}
	if got := f.count("GET keys"); got != 3 {
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
	if got, err := c.ClientKey(ctx, "g/p", server[0].ID); got != nil || err != nil || f.count("GET keys") != 3 {
		t.Fatalf("deleted key: got %+v, %v after %d list requests; want nil, nil after 3", got, err, f.count("GET keys"))
	}
}

func TestListsOfDifferentProjectsRunInParallel(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	both := newBarrier(2)
	f.beforeList = func(string) {
		both.arrive(t, "the second project's list did not start while the first one's was in flight")
	}
	var wg sync.WaitGroup
	for _, p := range []string{"a/one", "b/two"} {
		wg.Go(func() {
			if _, err := c.ListClientKeys(t.Context(), p); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestWaiterThatGivesUpDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(3)
	release := make(chan struct{})
	var once sync.Once
	inList := make(chan struct{})
	f.beforeList = func(string) {
		once.Do(func() { close(inList) })
		<-release
	}

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
	if err := <-errA; !errors.Is(err, context.Canceled) || KindOf(err) != KindOther {
		t.Fatalf("canceled caller: got %v, want an *Error wrapping context.Canceled", err)
	}
	close(release)
	if err := <-errB; err != nil {
		t.Fatalf("the other caller failed: %v", err)
	}
}

func TestCacheFollowsWrites(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(2)
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
	f.mu.Lock()
	f.keys[escaped] = slices.DeleteFunc(f.keys[escaped], func(k ClientKey) bool { return k.ID == gone })
	f.mu.Unlock()
	if err := c.DeleteClientKey(ctx, "g/p", gone); KindOf(err) != KindKeyNotFound {
		t.Fatalf("delete of a missing key: got %v, want KindKeyNotFound", err)
	}
	keys, _ = c.ListClientKeys(ctx, "g/p")
	if slices.Contains(ids(keys), gone) {
		t.Fatalf("missing key %d still in cached list %v", gone, ids(keys))
	}
	if got := f.count("GET keys"); got != 1 {
		t.Fatalf("%d list requests, want 1: writes must update the cache in place", got)
	}

	// A settings write that leaves tracking off invalidates the list.
	if _, err := c.PutSettings(ctx, "g/p", false, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListClientKeys(ctx, "g/p"); err != nil || f.count("GET keys") != 2 {
		t.Fatalf("after a settings write: err %v, %d list requests, want 2", err, f.count("GET keys"))
	}
}

func TestSettingsWriteListsAutoCreatedKey(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	ctx := t.Context()

	s, err := c.PutSettings(ctx, "g/p", true, true)
	if err != nil {
		t.Fatal(err)
	}
	auto := f.serverKeys()
	// One listing before the write (nothing was cached), one after it.
	if len(auto) != 1 || f.count("GET keys") != 2 {
		t.Fatalf("want GitLab's auto-created key listed before and after the write, got keys %v and %d lists", ids(auto), f.count("GET keys"))
	}
	if s.CreatedKeyID != auto[0].ID {
		t.Fatalf("the write reports created key %d, want %d", s.CreatedKeyID, auto[0].ID)
	}
	keys, err := c.ListClientKeys(ctx, "g/p")
	if err != nil || !slices.Equal(ids(keys), ids(auto)) || f.count("GET keys") != 2 {
		t.Fatalf("cached list %v (err %v, %d lists), want %v from the listing after the write", ids(keys), err, f.count("GET keys"), ids(auto))
	}

	// With an active key GitLab creates none: the cached list stands and
	// the write reports no key.
	s, err = c.PutSettings(ctx, "g/p", true, true)
	if err != nil {
		t.Fatal(err)
	}
	if s.CreatedKeyID != 0 || f.count("GET keys") != 2 || len(f.serverKeys()) != 1 {
		t.Fatalf("second write: created key %d, %d lists, keys %v; want no key and no listing", s.CreatedKeyID, f.count("GET keys"), ids(f.serverKeys()))
	}

	// A create whose request GitLab never ran must not take the
	// auto-created key for its own.
	f.postFate = func(n int) fate {
		if n == 1 {
			return dropBefore
		}
		return answer
	}
	k, err := c.CreateClientKey(ctx, "g/p")
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == auto[0].ID {
		t.Fatalf("the auto-created key %d was adopted", k.ID)
	}
	if got := ids(f.serverKeys()); !slices.Equal(got, []int64{auto[0].ID, k.ID}) {
		t.Fatalf("server keys %v, want the auto-created key and the new one", got)
	}
}

// A settings write that runs while a create whose answer was lost waits to
// look for its key: the key the write creates is not that create's.
func TestSettingsWriteDuringPendingAdoption(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
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
	f.addKeys(1)
	lost := f.serverKeys()[1]
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
		first                fate
		wantPOSTs, wantLists int // the lists include the baseline
	}{
		{"answer lost after create: adopted", loseAfterCreate, 1, 2},
		{"500 after create: adopted, not sent again", fail500AfterCreate, 1, 2},
		{"connection dropped before create: sent again", dropBefore, 2, 2},
		{"500 without create: sent again after a look", fail500Before, 2, 2},
		{"429: retried at once", throttle, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFake(t)
			f.addKeys(3)
			before := ids(f.serverKeys())
			f.postFate = func(n int) fate {
				if n == 1 {
					return tt.first
				}
				return answer
			}
			k, err := c.CreateClientKey(t.Context(), "g/p")
			if err != nil {
				t.Fatal(err)
			}
			after := ids(f.serverKeys())
			if len(after) != 4 || slices.Contains(before, k.ID) || !slices.Contains(after, k.ID) {
				t.Fatalf("server keys %v, returned %d; want exactly one new key, returned", after, k.ID)
			}
			if k.PublicKey == "" || k.SentryDSN == "" {
				t.Fatalf("returned key lacks fields: %+v", k)
			}
			if got := f.count("POST keys"); got != tt.wantPOSTs {
				t.Errorf("%d POSTs, want %d", got, tt.wantPOSTs)
			}
			if got := f.count("GET keys"); got != tt.wantLists {
				t.Errorf("%d lists, want %d", got, tt.wantLists)
			}
		})
	}
}

func TestCreateInterruptedAfterGitLabCreatedTheKey(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(2)
	ctx, interrupt := context.WithCancel(t.Context())
	// Ctrl-C arrives after GitLab created the key, before its answer.
	f.afterCreate = func(r *http.Request) {
		interrupt()
		<-r.Context().Done()
	}

	k, err := c.CreateClientKey(ctx, "g/p")
	if err != nil {
		t.Fatalf("want the created key found after the interrupt, got %v", err)
	}
	after := f.serverKeys()
	if len(after) != 3 || after[2].ID != k.ID || k.SentryDSN == "" {
		t.Fatalf("server keys %v, returned %+v; want the new key returned", ids(after), k)
	}
	if got := f.count("POST keys"); got != 1 {
		t.Fatalf("%d POSTs after an interrupt, want 1", got)
	}
}

func TestCreateInterruptedBeforeGitLabRanIt(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	ctx, interrupt := context.WithCancel(t.Context())
	f.beforePOST = interrupt
	f.postFate = func(int) fate { return fail500Before }

	_, err := c.CreateClientKey(ctx, "g/p")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want the interrupt reported, got %v", err)
	}
	if n := len(f.serverKeys()); n != 0 || f.count("POST keys") > 1 {
		t.Fatalf("%d keys after %d POSTs; want none, and no POST after the interrupt", n, f.count("POST keys"))
	}
}

func TestCreateGivesUp(t *testing.T) {
	t.Parallel()
	f, c := newFake(t, func(cfg *Config) { cfg.Retries = 2 })
	f.postFate = func(int) fate { return fail500Before }
	_, err := c.CreateClientKey(t.Context(), "g/p")
	var e *Error
	if !asError(err, &e) || e.Attempts != 3 || e.StatusCode != 500 || f.count("POST keys") != 3 {
		t.Fatalf("want a 500 after 3 POSTs, got %v (%d POSTs)", err, f.count("POST keys"))
	}
	want := `create a client key in project "g/p" (POST projects/g%2Fp/error_tracking/client_keys): ` +
		"gave up after 3 attempts; last answer: 500 Internal Server Error"
	if err.Error() != want {
		t.Fatalf("Error() = %q\nwant %q", err.Error(), want)
	}
	if n := len(f.serverKeys()); n != 0 {
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
}

func TestParallelCreatesWithLostAnswers(t *testing.T) {
	t.Parallel()
	f, c := newFake(t)
	f.addKeys(5)
	before := ids(f.serverKeys())
	// 40% of the answers are lost after GitLab created the key, and 10% of
	// the requests are dropped before it ran them.
	f.postFate = func(n int) fate {
		switch n % 10 {
		case 1, 3, 6, 8:
			return loseAfterCreate
		case 5:
			return dropBefore
		}
		return answer
	}
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
	server := ids(f.serverKeys())
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
	f, c := newFake(t)
	const n = 5
	all := newBarrier(n)
	f.beforePOST = func() { all.arrive(t, "POSTs of one project did not run in parallel") }
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := c.CreateClientKey(t.Context(), "g/p"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := len(f.serverKeys()); got != n {
		t.Fatalf("server has %d keys, want %d", got, n)
	}
	if got := f.count("GET keys"); got != 1 {
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
