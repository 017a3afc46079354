package gitlab

// The per-project client-key cache: what the Client knows about the keys of
// each project, the locks that keep that knowledge exact, and the listing
// that fills it.
//
// It serves every reader of a project from one listing per run
// (docs/guides/performance.md, "One key list per project and run"); this
// Client's own writes update the cached list in place.
//
// It also makes key creation safe when an answer is lost
// (docs/guides/reliability.md, "Creating client keys"). The invariant:
//
//	A key that a POST of this Client created, but whose answer was lost,
//	is never marked known before that POST's adoption has looked for it.
//
// GitLab draws key ids from one sequence, so such a key is newer than every
// id seen before its POST was sent (the POST's floor); by the invariant it
// is then the lowest key above the floor that is neither known nor claimed
// by another create of this Client, and adoption finds it in a listing.
// Three rules keep the invariant:
//
//  1. Each POST and DELETE holds writes for reading, together with the
//     processing of its answer, so creates run in parallel.
//  2. Each listing that marks keys known, each adoption and each settings
//     write (which may make GitLab create a key of its own) holds writes
//     for writing, so no such listing overlaps a POST in flight.
//  3. A POST that GitLab may have run without answering is counted pending
//     before it releases its read lock; while anything is pending, a listing
//     marks no new key known.
//
// Only this file and adopt (lost.go) take these locks.

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// projectKeys is what the Client knows about the client keys of one project.
type projectKeys struct {
	writes sync.RWMutex // see rules 1 and 2 above

	mu      sync.Mutex
	cached  []ClientKey // in id order; meaningful when valid
	valid   bool
	known   map[int64]bool
	claimed map[int64]bool
	floor   int64 // the highest id known or claimed
	pending int   // POSTs that may have run and whose key was not looked for yet (rule 3)

	// writesSent counts the writes that went out (POST, DELETE, settings);
	// listedAt is its value when a listing under writes last filled the
	// cache. While they are equal that listing has seen every write, and
	// the looks of lost POSTs share it (adopt, in lost.go).
	writesSent, listedAt uint64
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

// fetchKeys fills the cache with a listing (rule 2).
func (c *Client) fetchKeys(ctx context.Context, project string, ps *projectKeys) ([]ClientKey, error) {
	ps.writes.Lock()
	defer ps.writes.Unlock()
	// A settings write may have refreshed the list while this waited.
	if keys, ok := ps.snapshot(); ok {
		return keys, nil
	}
	keys, err := c.listAll(ctx, project)
	if err != nil {
		return nil, err
	}
	ps.store(keys)
	return keys, nil
}

// store keeps a listing made under writes as the cache: no change to the
// cache can have come in between, each being made under writes too. Its
// keys are known unless a lost POST's key may be among them (rule 3).
func (ps *projectKeys) store(keys []ClientKey) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.pending == 0 {
		ps.markKnownLocked(keys)
	}
	ps.replaceLocked(keys)
}

// listAll fetches every page with per_page=100, following X-Next-Page until
// it is empty: above 10,000 records GitLab omits the totals
// (internal/emulator/gitlab-api.md, "Pagination").
func (c *Client) listAll(ctx context.Context, project string) ([]ClientKey, error) {
	r := c.listRequest(project)
	opt := &gl.ListClientKeysOptions{ListOptions: gl.ListOptions{PerPage: maxPerPage}}
	var keys []ClientKey
	for page := int64(1); ; {
		var batch []*gl.ErrorTrackingClientKey
		resp, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (resp *gl.Response, err error) {
			batch, resp, err = c.rest.ErrorTracking.ListClientKeys(project, opt, o...)
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
		next, err := c.nextPage(r, st, resp, page)
		if err != nil {
			return nil, err
		}
		if next == 0 {
			break
		}
		page = next
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

// creating runs post, one POST of a key, under rule 1; counts it pending
// when GitLab may have run it (rule 3); and claims the key it returns. It
// returns the POST's floor, for adopt.
func (ps *projectKeys) creating(post func() (*ClientKey, error)) (*ClientKey, int64, error) {
	ps.writes.RLock()
	defer ps.writes.RUnlock()
	floor := ps.currentFloor()
	key, err := post()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if err == nil || wasSent(err) {
		ps.writesSent++
	}
	if err != nil {
		if mayHaveRun(err) {
			ps.pending++
		}
		return nil, floor, err
	}
	ps.claimLocked(*key)
	return key, floor, nil
}

// deleting runs del, one DELETE of key id, under rule 1 and records its
// outcome.
func (ps *projectKeys) deleting(id int64, del func() error) error {
	ps.writes.RLock()
	defer ps.writes.RUnlock()
	err := del()
	ps.wrote()
	switch {
	case err == nil:
		ps.forget(id, true)
	case KindOf(err) == KindKeyNotFound:
		ps.forget(id, false)
	}
	return err
}

// writingSettings runs write, a settings write that reports whether GitLab
// may have run it, under rule 2. One that may create a key (it leaves the
// settings active and integrated) knows the keys before it (the cache, else
// or with lost POSTs pending a listing) and, if none was active, lists them
// after it, still under the lock: the key GitLab created is marked known,
// never taken for the key of a lost POST, and returned.
func (c *Client) writingSettings(ctx context.Context, project string, mayCreateKey bool, write func() (ran bool)) (created int64) {
	ps := c.keysOf(project)
	ps.writes.Lock()
	defer ps.writes.Unlock()
	if !mayCreateKey {
		write()
		ps.invalidate()
		return 0
	}
	before, listed := ps.snapshot()
	if !listed || ps.pendingCount() > 0 {
		var err error
		if before, err = c.listAll(ctx, project); err != nil {
			c.logListFailed(ctx, project, "before", err)
			ps.invalidate()
		} else {
			ps.store(before)
		}
		listed = err == nil
	}
	ran := write()
	ps.wrote()
	if !ran {
		return 0
	}
	if listed && slices.ContainsFunc(before, func(k ClientKey) bool { return k.Active }) {
		// GitLab creates a key only for a project without an active one.
		return 0
	}
	keys, err := c.listAll(ctx, project)
	if err != nil {
		c.logListFailed(ctx, project, "after", err)
		ps.invalidate()
		return 0
	}
	return ps.afterSettingsWrite(keys, before, listed)
}

func (c *Client) logListFailed(ctx context.Context, project, when string, err error) {
	tflog.Debug(c.logContext(ctx), "Listing client keys "+when+" a settings write failed",
		map[string]any{"project": project, "error": err.Error()})
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

// snapshot is a copy of the cached list, if there is one.
func (ps *projectKeys) snapshot() (keys []ClientKey, ok bool) {
	ok = ps.read(func(cached []ClientKey) { keys = slices.Clone(cached) })
	return keys, ok
}

func (ps *projectKeys) currentFloor() int64 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.floor
}

// wrote counts a write that went out (writesSent).
func (ps *projectKeys) wrote() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.writesSent++
}

// currentListing is the cache when a listing under writes filled it after
// the last write went out. Call it holding writes.
func (ps *projectKeys) currentListing() (keys []ClientKey, current bool) {
	ps.read(func(cached []ClientKey) {
		if ps.listedAt == ps.writesSent {
			keys, current = slices.Clone(cached), true
		}
	})
	return keys, current
}

func (ps *projectKeys) pendingCount() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.pending
}

// claimLocked records a key this Client created and adds it to the cached
// list in place, so a run that creates many keys lists them once.
func (ps *projectKeys) claimLocked(k ClientKey) {
	ps.known[k.ID], ps.claimed[k.ID] = true, true
	ps.floor = max(ps.floor, k.ID)
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
	ps.listedAt = ps.writesSent
}

// afterSettingsWrite stores the listing made after a settings write, marks
// the key it may have created known and returns it: the key absent from
// the listing before the write (GitLab creates at most one; of keys also
// created outside meanwhile, the oldest). With lost POSTs pending, only
// such keys are the write's; without the earlier listing nothing can be
// told apart, so nothing new is marked and 0 returned.
func (ps *projectKeys) afterSettingsWrite(keys, before []ClientKey, listed bool) (created int64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.replaceLocked(keys)
	if ps.pending == 0 {
		ps.markKnownLocked(keys)
	}
	if !listed {
		return 0
	}
	for _, k := range keys {
		if _, found := slices.BinarySearchFunc(before, k.ID, byID); !found {
			ps.markKnownLocked([]ClientKey{k})
			created = cmp.Or(created, k.ID)
		}
	}
	return created
}

func (ps *projectKeys) invalidate() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.valid = false
}
