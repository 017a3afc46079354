package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// maxPerPage is GitLab's largest page (API document, "Pagination").
const maxPerPage = 100

// projectKeys is what the Client knows about the client keys of one project.
//
// The cache serves every reader of the project from one listing per run
// (design, "Performance model"); this Client's writes update it in place.
//
// known and claimed make key creation safe (design, "Reliability model").
// When a POST fails in a way that GitLab may still have run it, the key it
// created, if any, is in the next listing and is the lowest key newer than
// the POST that nobody accounts for: not known from a listing, a create
// answer or a delete, and not claimed by another create of this Client.
// That comparison is exact only if no listing that decides what is known
// overlaps a POST whose answer is still out, hence the lock.
type projectKeys struct {
	// writes is held for reading by each POST and DELETE together with the
	// processing of its answer, so creates run in parallel, and for writing
	// by listings that mark keys known, by adoption and by settings writes
	// (which may create a key of their own).
	writes sync.RWMutex

	mu      sync.Mutex
	cached  []ClientKey // in id order; meaningful when valid
	valid   bool
	gen     uint64 // counts changes, so a listing never overwrites newer state
	known   map[int64]bool
	claimed map[int64]bool
	// floor is the highest id known or claimed. GitLab draws ids from one
	// sequence, so a key a POST creates is newer than any id seen before the
	// POST was sent.
	floor int64
	// pending counts POSTs that GitLab may have run and whose key has not
	// been looked for yet. While it is non-zero, a new key in a listing may
	// be theirs, so listings do not mark new keys known.
	pending int
}

func (c *Client) keysOf(project string) *projectKeys {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, ok := c.keys[project]
	if !ok {
		ps = &projectKeys{known: make(map[int64]bool), claimed: make(map[int64]bool)}
		c.keys[project] = ps
	}
	return ps
}

// ListClientKeys returns every key of the project in id order. The first
// caller lists them (all pages); concurrent callers wait for that listing;
// later callers get the cache.
func (c *Client) ListClientKeys(ctx context.Context, project string) ([]ClientKey, error) {
	var keys []ClientKey
	err := c.readKeys(ctx, project, func(shared []ClientKey) { keys = slices.Clone(shared) })
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// ClientKey returns the project's key with the given id, or nil when the
// project has no such key. It reads the list ListClientKeys shares but
// copies only that key: a refresh reads every key of a project once, and
// copying the whole list each time would make it quadratic in the keys.
func (c *Client) ClientKey(ctx context.Context, project string, keyID int64) (*ClientKey, error) {
	var key *ClientKey
	err := c.readKeys(ctx, project, func(keys []ClientKey) {
		if i, found := slices.BinarySearchFunc(keys, keyID, byID); found {
			k := keys[i]
			key = &k
		}
	})
	return key, err
}

// readKeys calls read with the project's key list in id order, from the
// cache or from the listing that the first caller starts and concurrent
// callers share. The list is shared: read must neither keep nor change it.
func (c *Client) readKeys(ctx context.Context, project string, read func([]ClientKey)) error {
	ps := c.keysOf(project)
	if ps.read(read) {
		return nil
	}
	keys, err := c.keyFetches.do(ctx, project, func(ctx context.Context) ([]ClientKey, error) {
		return c.fetchKeys(ctx, project, ps)
	})
	if err != nil {
		return c.asError(c.listRequest(project), err)
	}
	read(keys)
	return nil
}

func (c *Client) fetchKeys(ctx context.Context, project string, ps *projectKeys) ([]ClientKey, error) {
	ps.writes.Lock()
	defer ps.writes.Unlock()
	// A settings write may have refreshed the list while this waited.
	if keys, ok := ps.snapshot(); ok {
		return keys, nil
	}
	gen := ps.generation()
	keys, err := c.listAll(ctx, project)
	if err != nil {
		return nil, err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.pending == 0 {
		ps.markKnownLocked(keys)
	}
	if ps.gen == gen {
		ps.cached, ps.valid = slices.Clone(keys), true
	}
	return keys, nil
}

// CreateClientKey creates one key and makes sure that, whatever happens to
// the answer, the project ends up with exactly one new key for this call.
func (c *Client) CreateClientKey(ctx context.Context, project string) (*ClientKey, error) {
	ps := c.keysOf(project)
	r := request{
		op:     fmt.Sprintf("create a client key in project %q", project),
		method: http.MethodPost,
		path:   keysPath(project),
		post:   true,
	}
	sent := 0
	for {
		// The listing is the baseline of known keys; cached, it costs
		// nothing.
		if err := c.readKeys(ctx, project, func([]ClientKey) {}); err != nil {
			return nil, err
		}
		key, floor, err := c.postKey(ctx, r, project, ps)
		if err == nil {
			return key, nil
		}
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		sent += e.Attempts
		e.Attempts = sent
		if !mayHaveRun(e) {
			return nil, e
		}
		key, aerr := c.adoptAfter(ctx, r, project, ps, floor, e)
		switch {
		case aerr != nil:
			return nil, aerr
		case key != nil:
			return key, nil
		case sent > c.retries || ctx.Err() != nil:
			return nil, e
		}
		tflog.Debug(c.logContext(ctx), "GitLab did not create the client key; sending the request again",
			map[string]any{"project": project, "attempts": sent})
	}
}

// postKey sends the POST under the read lock and claims the key it returns.
// It also returns the adoption floor for this POST.
func (c *Client) postKey(ctx context.Context, r request, project string, ps *projectKeys) (*ClientKey, int64, error) {
	ps.writes.RLock()
	defer ps.writes.RUnlock()
	floor := ps.currentFloor()

	var k *gitlab.ErrorTrackingClientKey
	_, st, err := c.do(ctx, r, func(o ...gitlab.RequestOptionFunc) (resp *gitlab.Response, err error) {
		k, resp, err = c.gl.ErrorTracking.CreateClientKey(project, o...)
		return resp, err
	})
	if err == nil && (k == nil || k.ID == 0) {
		err = c.unexpected(r, st, "no key id")
	}
	if err != nil {
		if mayHaveRun(err) {
			// Registered before the read lock is released, so that no
			// listing can mark this POST's key known before adopt looks.
			ps.addPending()
		}
		return nil, floor, err
	}
	key := fromAPI(k)
	ps.claim(key)
	return &key, floor, nil
}

// interruptedLookTimeout bounds the one listing made after an interrupt
// (Ctrl-C) cut off a POST that may have reached GitLab.
const interruptedLookTimeout = 15 * time.Second

// adoptAfter is adopt, also when the caller's context has ended: a POST cut
// off by an interrupt may have created a key, and finding it puts the key in
// state instead of leaving it on GitLab with no owner. That look runs on a
// short context of its own.
func (c *Client) adoptAfter(ctx context.Context, r request, project string, ps *projectKeys, floor int64, postErr *Error) (*ClientKey, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), interruptedLookTimeout)
		defer cancel()
	}
	return c.adopt(ctx, r, project, ps, floor, postErr)
}

// adopt looks for the key a POST that failed ambiguously may have created.
// It holds the write lock, so every other POST in flight has finished and
// claimed its key. It returns nil and no error when GitLab did not create
// the key.
func (c *Client) adopt(ctx context.Context, r request, project string, ps *projectKeys, floor int64, postErr *Error) (*ClientKey, error) {
	ps.writes.Lock()
	defer ps.writes.Unlock()
	keys, err := c.listAll(ctx, project)

	ps.mu.Lock()
	defer ps.mu.Unlock()
	last := ps.pending == 1
	ps.pending--
	if err != nil {
		return nil, &Error{
			Op: r.op, Method: r.method, Path: r.path,
			StatusCode: postErr.StatusCode, Attempts: postErr.Attempts, Err: err,
			Message: fmt.Sprintf("GitLab may have created the key (%s) but listing the keys to find it failed: %s",
				postErr.Message, c.scrub(err.Error())),
		}
	}
	ps.replaceLocked(keys)

	var found *ClientKey
	for _, k := range keys {
		if k.ID > floor && !ps.known[k.ID] && !ps.claimed[k.ID] {
			found = &k
			break
		}
	}
	if found != nil {
		ps.claimLocked(*found)
		tflog.Warn(c.logContext(ctx), "Adopted a client key that GitLab created although its answer was lost",
			map[string]any{"project": project, "key_id": found.ID, "error": postErr.Error()})
	}
	if last {
		// No other lost POST waits for its key: whatever else is new was
		// created outside this Client.
		ps.markKnownLocked(keys)
	}
	return found, nil
}

// DeleteClientKey deletes a key. GitLab answers 200 with the key, or 204 on
// old versions; a key already gone is KindKeyNotFound.
func (c *Client) DeleteClientKey(ctx context.Context, project string, keyID int64) error {
	ps := c.keysOf(project)
	r := request{
		op:       fmt.Sprintf("delete client key %d of project %q", keyID, project),
		method:   http.MethodDelete,
		path:     keysPath(project) + "/" + strconv.FormatInt(keyID, 10),
		notFound: KindKeyNotFound,
	}
	ps.writes.RLock()
	defer ps.writes.RUnlock()
	_, _, err := c.do(ctx, r, func(o ...gitlab.RequestOptionFunc) (*gitlab.Response, error) {
		return c.gl.ErrorTracking.DeleteClientKey(project, keyID, o...)
	})
	switch {
	case err == nil:
		ps.forget(keyID, true)
	case KindOf(err) == KindKeyNotFound:
		ps.forget(keyID, false)
	}
	return err
}

// listAll fetches every page with per_page=100, following X-Next-Page until
// it is empty: above 10,000 records GitLab omits the totals (API document,
// "Pagination").
func (c *Client) listAll(ctx context.Context, project string) ([]ClientKey, error) {
	r := c.listRequest(project)
	opt := &gitlab.ListClientKeysOptions{ListOptions: gitlab.ListOptions{PerPage: maxPerPage}}
	var keys []ClientKey
	for page := int64(1); ; {
		var batch []*gitlab.ErrorTrackingClientKey
		resp, st, err := c.do(ctx, r, func(o ...gitlab.RequestOptionFunc) (resp *gitlab.Response, err error) {
			batch, resp, err = c.gl.ErrorTracking.ListClientKeys(project, opt, o...)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		for _, k := range batch {
			if k != nil {
				keys = append(keys, fromAPI(k))
			}
		}
		if resp.NextPage == 0 {
			break
		}
		if resp.NextPage <= page {
			return nil, c.unexpected(r, st, fmt.Sprintf("X-Next-Page %d after page %d", resp.NextPage, page))
		}
		page = resp.NextPage
		opt.Page = page
	}
	// GitLab orders by id; a key deleted between two pages can shift
	// another one onto both.
	slices.SortStableFunc(keys, func(a, b ClientKey) int { return cmpID(a.ID, b.ID) })
	return slices.CompactFunc(keys, func(a, b ClientKey) bool { return a.ID == b.ID }), nil
}

func (c *Client) listRequest(project string) request {
	return request{
		op:     fmt.Sprintf("list the client keys of project %q", project),
		method: http.MethodGet,
		path:   keysPath(project),
	}
}

func keysPath(project string) string {
	return projectPath(project) + "/error_tracking/client_keys"
}

func fromAPI(k *gitlab.ErrorTrackingClientKey) ClientKey {
	return ClientKey{ID: k.ID, Active: k.Active, PublicKey: k.PublicKey, SentryDSN: k.SentryDsn}
}

func byID(k ClientKey, id int64) int { return cmpID(k.ID, id) }

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// read calls fn with the cached list, under the lock that writes take to
// change it in place, and reports whether there was one.
func (ps *projectKeys) read(fn func([]ClientKey)) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if !ps.valid {
		return false
	}
	fn(ps.cached)
	return true
}

func (ps *projectKeys) snapshot() ([]ClientKey, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if !ps.valid {
		return nil, false
	}
	return slices.Clone(ps.cached), true
}

func (ps *projectKeys) generation() uint64 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.gen
}

func (ps *projectKeys) currentFloor() int64 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.floor
}

func (ps *projectKeys) addPending() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.pending++
}

func (ps *projectKeys) claim(k ClientKey) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.claimLocked(k)
}

// claimLocked records a key this Client created and adds it to the cached
// list in place, so a run that creates many keys lists them once.
func (ps *projectKeys) claimLocked(k ClientKey) {
	ps.known[k.ID], ps.claimed[k.ID] = true, true
	ps.floor = max(ps.floor, k.ID)
	ps.gen++
	if !ps.valid {
		return
	}
	i, found := slices.BinarySearchFunc(ps.cached, k.ID, byID)
	if found {
		ps.cached[i] = k
	} else {
		ps.cached = slices.Insert(ps.cached, i, k)
	}
}

// forget records a deleted key and removes it from the cached list. Only a
// key that existed raises the floor: the id of a 404 may be anything, such
// as a mistyped import ID.
func (ps *projectKeys) forget(id int64, existed bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.known[id] = true
	if existed {
		ps.floor = max(ps.floor, id)
	}
	ps.gen++
	if ps.valid {
		ps.cached = slices.DeleteFunc(ps.cached, func(k ClientKey) bool { return k.ID == id })
	}
}

func (ps *projectKeys) markKnownLocked(keys []ClientKey) {
	for _, k := range keys {
		ps.known[k.ID] = true
		ps.floor = max(ps.floor, k.ID)
	}
}

// replaceLocked stores a listing made under the write lock as the cache.
func (ps *projectKeys) replaceLocked(keys []ClientKey) {
	ps.cached, ps.valid = slices.Clone(keys), true
	ps.gen++
}

func (ps *projectKeys) invalidate() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.valid = false
	ps.gen++
}
