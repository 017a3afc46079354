package gitlab

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A POST of a key whose answer was lost, or cut off by an interrupt, may
// have created the key: adopt looks for it (docs/guides/reliability.md,
// "Creating client keys"; keycache.go has the locks and the invariant).

// closingLookTimeout bounds, for the whole Client, the looks made after an
// interrupt (Ctrl-C): Terraform waits for its calls in flight with no limit
// of its own and saves what they return, so the provider sets its own.
const closingLookTimeout = 15 * time.Second

// LostKeyError is a key create that GitLab may have carried out, whose key
// no look at the project's keys could find: if GitLab created it, it is in
// no state, and its ID is above After.
type LostKeyError struct {
	Project string
	After   int64  // the highest key ID this Client knew of before the POST
	ListURL string // the API URL that lists the project's keys
	Err     *Error // the create, and why the look failed
}

func (e *LostKeyError) Error() string { return e.Err.Error() }
func (e *LostKeyError) Unwrap() error { return e.Err }

// adoptAfter is adopt, also when the caller's context has ended: a POST cut
// off by an interrupt may have created a key, and finding it puts the key in
// state instead of leaving it on GitLab with no owner. The looks of all
// interrupted creates then run on contexts of their own that share one
// deadline, closingLookTimeout after the first of them.
func (c *Client) adoptAfter(ctx context.Context, r request, project string, ps *projectKeys, floor int64, postErr *Error) (*ClientKey, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(context.WithoutCancel(ctx), c.closingDeadline())
		defer cancel()
	}
	return c.adopt(ctx, r, project, ps, floor, postErr)
}

func (c *Client) closingDeadline() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closingBy.IsZero() {
		c.closingBy = time.Now().Add(closingLookTimeout)
	}
	return c.closingBy
}

// adopt looks for the key a pending POST may have created. It holds the
// write lock (rule 2), so every other POST in flight has finished and
// claimed its key. The lost POSTs of a project share one listing made after
// them all (currentListing): after an interrupt, a single listing resolves
// every one. It returns nil and no error when GitLab did not create the
// key, and a *LostKeyError when the keys could not be listed.
func (c *Client) adopt(ctx context.Context, r request, project string, ps *projectKeys, floor int64, postErr *Error) (*ClientKey, error) {
	ps.writes.Lock()
	defer ps.writes.Unlock()
	keys, current := ps.currentListing()
	var err error
	if !current {
		keys, err = c.listAll(ctx, project)
	}

	ps.mu.Lock()
	defer ps.mu.Unlock()
	last := ps.pending == 1
	ps.pending--
	if err != nil {
		e := c.errorFor(r, nil)
		e.StatusCode, e.Attempts, e.Err = postErr.StatusCode, postErr.Attempts, err
		e.interruptedInFlight = postErr.interruptedInFlight
		e.Message = fmt.Sprintf("GitLab may have created the key (%s) but listing the keys to find it failed: %s",
			postErr.Answer(), c.scrub(err.Error()))
		return nil, &LostKeyError{Project: project, After: floor, ListURL: c.base + keysPath(project), Err: e}
	}
	if !current {
		ps.replaceLocked(keys)
	}

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

// wasSent reports whether a failed call sent its request at least once.
func wasSent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Attempts > 0
}
