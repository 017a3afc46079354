package gitlab

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"sync"
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

// fate decides what the fake does with one POST client_keys.
type fate int

const (
	answer          fate = iota // create the key and answer 201
	loseAfterCreate             // create the key, then drop the connection
	dropBefore                  // drop the connection without creating
	fail500AfterCreate
	fail500Before
	throttle // 429 Retry-After: 0, nothing created
)

// fakeGitLab is a small in-memory GitLab covering the error tracking
// endpoints as internal/emulator/gitlab-api.md describes them: global key
// ids, offset pagination with X-Next-Page, the key auto-created by a
// settings write.
type fakeGitLab struct {
	t  *testing.T
	mu sync.Mutex

	nextID   int64
	keys     map[string][]ClientKey // by project as it appears in the path
	settings map[string]*Settings
	counts   map[string]int // "GET keys", "POST keys", ...
	posts    int

	// postFate, when set, decides the fate of the n-th POST (from 1).
	postFate func(n int) fate
	// beforePOST, when set, runs before a POST is handled, outside the lock.
	beforePOST func()
	// afterCreate, when set, runs once a POST has created its key and
	// before the answer is written, outside the lock.
	afterCreate func(r *http.Request)
	// beforeList, when set, runs before a key list page is served.
	beforeList  func(project string)
	listQueries []string
}

// newFake serves a fakeGitLab and returns it with a client of it (see
// newTestClient).
func newFake(t *testing.T, mod ...func(*Config)) (*fakeGitLab, *Client) {
	f := &fakeGitLab{
		t:        t,
		nextID:   100,
		keys:     make(map[string][]ClientKey),
		settings: make(map[string]*Settings),
		counts:   make(map[string]int),
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, newTestClient(t, srv.URL, mod...)
}

var fakeRoute = regexp.MustCompile(`^/api/v4/projects/([^/]+)/error_tracking/(settings|client_keys)(?:/(\d+))?$`)

func (f *fakeGitLab) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Private-Token") != testToken {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "401 Unauthorized"})
		return
	}
	m := fakeRoute.FindStringSubmatch(r.URL.EscapedPath())
	if m == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "404 Not Found"})
		return
	}
	project, resource, keyID := m[1], m[2], m[3]
	switch {
	case resource == "client_keys" && r.Method == http.MethodGet && keyID == "":
		f.list(w, r, project)
	case resource == "client_keys" && r.Method == http.MethodPost && keyID == "":
		f.create(w, r, project)
	case resource == "client_keys" && r.Method == http.MethodDelete && keyID != "":
		id, _ := strconv.ParseInt(keyID, 10, 64)
		f.delete(w, project, id)
	case resource == "settings" && r.Method == http.MethodPut:
		f.put(w, r, project)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "404 Not Found"})
	}
}

func (f *fakeGitLab) count(what string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[what]
}

// serverKeys returns the keys of project "g/p" as GitLab holds them.
func (f *fakeGitLab) serverKeys() []ClientKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.keys[escaped])
}

// addKeys creates n keys in project "g/p" directly, as if made outside
// Terraform.
func (f *fakeGitLab) addKeys(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.newKeyLocked(escaped)
	}
}

func (f *fakeGitLab) newKeyLocked(project string) ClientKey {
	f.nextID++
	k := ClientKey{
		ID:        f.nextID,
		Active:    true,
		PublicKey: fmt.Sprintf("glet_%032x", f.nextID),
		SentryDSN: fmt.Sprintf("https://glet_%032x@example.com/errortracking/api/v1/projects/1", f.nextID),
	}
	f.keys[project] = append(f.keys[project], k)
	return k
}

func (f *fakeGitLab) list(w http.ResponseWriter, r *http.Request, project string) {
	if f.beforeList != nil {
		f.beforeList(project)
	}
	f.mu.Lock()
	f.counts["GET keys"]++
	f.listQueries = append(f.listQueries, r.URL.RawQuery)
	keys := slices.Clone(f.keys[project])
	f.mu.Unlock()

	perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if perPage <= 0 {
		perPage = 20
	}
	perPage = min(perPage, 100)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	from := min((page-1)*perPage, len(keys))
	to := min(from+perPage, len(keys))
	next := ""
	if to < len(keys) {
		next = strconv.Itoa(page + 1)
	}
	w.Header().Set("X-Page", strconv.Itoa(page))
	w.Header().Set("X-Per-Page", strconv.Itoa(perPage))
	w.Header().Set("X-Next-Page", next)
	writeJSON(w, http.StatusOK, keyEntities(keys[from:to]))
}

func (f *fakeGitLab) create(w http.ResponseWriter, r *http.Request, project string) {
	if f.beforePOST != nil {
		f.beforePOST()
	}
	f.mu.Lock()
	f.counts["POST keys"]++
	f.posts++
	what := answer
	if f.postFate != nil {
		what = f.postFate(f.posts)
	}
	var k ClientKey
	switch what {
	case answer, loseAfterCreate, fail500AfterCreate:
		k = f.newKeyLocked(project)
	}
	f.mu.Unlock()
	if f.afterCreate != nil && what != dropBefore && what != fail500Before && what != throttle {
		f.afterCreate(r)
	}

	switch what {
	case answer:
		writeJSON(w, http.StatusCreated, keyEntities([]ClientKey{k})[0])
	case loseAfterCreate, dropBefore:
		dropConnection(w)
	case fail500AfterCreate, fail500Before:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "500 Internal Server Error"})
	case throttle:
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("Retry later\n"))
	}
}

func (f *fakeGitLab) delete(w http.ResponseWriter, project string, id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts["DELETE keys"]++
	i := slices.IndexFunc(f.keys[project], func(k ClientKey) bool { return k.ID == id })
	if i < 0 {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "404 Not found"})
		return
	}
	k := f.keys[project][i]
	f.keys[project] = slices.Delete(f.keys[project], i, i+1)
	writeJSON(w, http.StatusOK, keyEntities([]ClientKey{k})[0])
}

// put implements PUT settings with its side effect: an active, integrated
// setting creates a key when the project has no active one.
func (f *fakeGitLab) put(w http.ResponseWriter, r *http.Request, project string) {
	var in struct{ Active, Integrated bool }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "active is missing"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts["PUT settings"]++
	f.settings[project] = &Settings{Active: in.Active, Integrated: in.Integrated}
	if in.Active && in.Integrated && !slices.ContainsFunc(f.keys[project], func(k ClientKey) bool { return k.Active }) {
		f.newKeyLocked(project)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"active": in.Active, "integrated": in.Integrated,
		"project_name": nil, "sentry_external_url": nil, "api_url": nil,
	})
}

func keyEntities(keys []ClientKey) []map[string]any {
	out := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]any{
			"id": k.ID, "active": k.Active, "public_key": k.PublicKey, "sentry_dsn": k.SentryDSN,
		})
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// dropConnection closes the connection without an answer, as a proxy or a
// network failure does after GitLab has run the request.
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
