package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// maxPerPage is GitLab's largest page (internal/emulator/gitlab-api.md,
// "Pagination").
const maxPerPage = 100

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

// CreateClientKey creates one key and makes sure that, whatever happens to
// the answer, the project ends up with exactly one new key for this call
// (docs/guides/reliability.md, "Creating client keys").
func (c *Client) CreateClientKey(ctx context.Context, project string) (*ClientKey, error) {
	ps := c.keysOf(project)
	r := request{
		op:     fmt.Sprintf("create a client key in project %q", project),
		method: http.MethodPost,
		path:   keysPath(project),
		post:   true,
	}
	sent, timeouts := 0, 0
	for {
		// The listing is the baseline of known keys; cached, it costs
		// nothing.
		if err := c.readKeys(ctx, project, func([]ClientKey) {}); err != nil {
			return nil, err
		}
		key, floor, err := ps.creating(func() (*ClientKey, error) { return c.postKey(ctx, r, project) })
		if err == nil {
			return key, nil
		}
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		sent += e.Attempts
		e.Attempts = sent
		if e.Kind == KindTimeout {
			timeouts++
		}
		if !mayHaveRun(e) {
			return nil, e
		}
		key, aerr := c.adoptAfter(ctx, r, project, ps, floor, e)
		switch {
		case aerr != nil:
			return nil, aerr
		case key != nil:
			return key, nil
		case sent > c.retries || timeouts >= maxConnectAttempts || ctx.Err() != nil:
			return nil, e
		}
		tflog.Debug(c.logContext(ctx), "GitLab did not create the client key; sending the request again",
			map[string]any{"project": project, "attempts": sent})
	}
}

// postKey sends one POST of a key.
func (c *Client) postKey(ctx context.Context, r request, project string) (*ClientKey, error) {
	var k *gl.ErrorTrackingClientKey
	_, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (resp *gl.Response, err error) {
		k, resp, err = c.rest.ErrorTracking.CreateClientKey(project, o...)
		return resp, err
	})
	if err == nil && (k == nil || k.ID == 0) {
		err = c.unexpected(r, st, "no key id", nil)
	}
	if err != nil {
		return nil, err
	}
	key := fromAPI(k)
	return &key, nil
}

// DeleteClientKey deletes a key. GitLab answers 200 with the key, or 204 on
// old versions; a key already gone is KindKeyNotFound.
func (c *Client) DeleteClientKey(ctx context.Context, project string, keyID int64) error {
	r := request{
		op:       fmt.Sprintf("delete client key %d of project %q", keyID, project),
		method:   http.MethodDelete,
		endpoint: endpointKey,
		path:     keysPath(project) + "/" + strconv.FormatInt(keyID, 10),
	}
	return c.keysOf(project).deleting(keyID, func() error {
		_, _, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (*gl.Response, error) {
			return c.rest.ErrorTracking.DeleteClientKey(project, keyID, o...)
		})
		return err
	})
}

func keysPath(project string) string {
	return projectPath(project) + "/error_tracking/client_keys"
}

func fromAPI(k *gl.ErrorTrackingClientKey) ClientKey {
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
