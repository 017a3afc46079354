package gitlab

// The per-project client-key cache: what the Client knows about the keys of
// each project, and the locks that keep that knowledge exact.
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
// Only this file takes these locks.

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
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
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.pending == 0 {
		ps.markKnownLocked(keys)
	}
	// No change to the cache can have come in between: each is made under
	// writes, which this holds.
	ps.cached, ps.valid = slices.Clone(keys), true
	return keys, nil
}

// creating runs post, one POST of a key, under rule 1; counts it pending
// when GitLab may have run it (rule 3); and claims the key it returns. It
// returns the POST's floor, for adopt.
func (ps *projectKeys) creating(post func() (*ClientKey, error)) (*ClientKey, int64, error) {
	ps.writes.RLock()
	defer ps.writes.RUnlock()
	floor := ps.currentFloor()
	key, err := post()
	if err != nil {
		if mayHaveRun(err) {
			ps.addPending()
		}
		return nil, floor, err
	}
	ps.claim(*key)
	return key, floor, nil
}

// deleting runs del, one DELETE of key id, under rule 1 and records its
// outcome.
func (ps *projectKeys) deleting(id int64, del func() error) error {
	ps.writes.RLock()
	defer ps.writes.RUnlock()
	err := del()
	switch {
	case err == nil:
		ps.forget(id, true)
	case KindOf(err) == KindKeyNotFound:
		ps.forget(id, false)
	}
	return err
}

// adopt looks for the key a pending POST may have created. It holds the
// write lock (rule 2), so every other POST in flight has finished and
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
		e := c.errorFor(r, nil)
		e.StatusCode, e.Attempts, e.Err = postErr.StatusCode, postErr.Attempts, err
		e.Message = fmt.Sprintf("GitLab may have created the key (%s) but listing the keys to find it failed: %s",
			postErr.Message, c.scrub(err.Error()))
		return nil, e
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

// writingSettings runs write, a settings write, under rule 2. write reports
// whether GitLab may have created a key on the way; if so, the keys are
// listed afterwards, still under the lock, so that key is marked known and
// never taken for the key of a lost POST.
func (c *Client) writingSettings(ctx context.Context, project string, write func() (mayCreateKey bool)) {
	ps := c.keysOf(project)
	ps.writes.Lock()
	defer ps.writes.Unlock()

	// Creates whose answer was lost wait for this lock to look for their
	// keys. Remember which keys exist now, so that one this write creates
	// is told apart from theirs.
	var before map[int64]bool
	if ps.pendingCount() > 0 {
		if keys, err := c.listAll(ctx, project); err == nil {
			before = make(map[int64]bool, len(keys))
			for _, k := range keys {
				before[k.ID] = true
			}
		}
	}

	if write() {
		keys, err := c.listAll(ctx, project)
		if err == nil {
			ps.afterSettingsWrite(keys, before)
			return
		}
		tflog.Debug(c.logContext(ctx), "Listing client keys after a settings write failed",
			map[string]any{"project": project, "error": err.Error()})
	}
	ps.invalidate()
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

func (ps *projectKeys) pendingCount() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.pending
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
}

// afterSettingsWrite stores the listing made after a settings write and
// marks the keys it may have created known. With lost POSTs pending, only
// keys absent from the listing before the write are its own; without the
// earlier listing nothing can be told apart, so nothing new is marked.
func (ps *projectKeys) afterSettingsWrite(keys []ClientKey, before map[int64]bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.replaceLocked(keys)
	switch {
	case ps.pending == 0:
		ps.markKnownLocked(keys)
	case before != nil:
		for _, k := range keys {
			if !before[k.ID] {
				ps.markKnownLocked([]ClientKey{k})
			}
		}
	}
}

func (ps *projectKeys) invalidate() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.valid = false
}
