package gitlab

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// settingsEntity is the settings answer as GitLab sends it. client-go's
// ErrorTrackingSettings has neither the nulls of the three Sentry fields nor
// status/message, and GitLab reports a rejected write as HTTP 200 with
// {"status":"error","message":...} (API document, "Failure inside a
// successful status"), which would decode as empty settings.
type settingsEntity struct {
	Active            *bool   `json:"active"`
	Integrated        *bool   `json:"integrated"`
	ProjectName       *string `json:"project_name"`
	SentryExternalURL *string `json:"sentry_external_url"`
	APIURL            *string `json:"api_url"`

	Status  string `json:"status"`
	Message any    `json:"message"`
}

// GetSettings reads the settings; a project without any is
// KindSettingsNotFound.
func (c *Client) GetSettings(ctx context.Context, project string) (*Settings, error) {
	r := settingsRequest(http.MethodGet, fmt.Sprintf("read the error tracking settings of project %q", project), project)
	return c.settingsCall(ctx, r, nil)
}

// PutSettings creates or replaces the settings. GitLab answers "404 Not
// Found" when the integrated feature flag is off or the version predates
// the endpoint (15.10): KindFeatureUnavailable.
func (c *Client) PutSettings(ctx context.Context, project string, active, integrated bool) (*Settings, error) {
	r := settingsRequest(http.MethodPut, fmt.Sprintf("create the error tracking settings of project %q", project), project)
	r.notFound = KindFeatureUnavailable
	opt := &gitlab.CreateErrorTrackingSettingsOptions{Active: gitlab.Ptr(active), Integrated: gitlab.Ptr(integrated)}
	return c.writeSettings(ctx, r, project, opt)
}

// PatchSettings updates existing settings; PATCH never creates them.
func (c *Client) PatchSettings(ctx context.Context, project string, active bool, integrated *bool) (*Settings, error) {
	r := settingsRequest(http.MethodPatch, fmt.Sprintf("update the error tracking settings of project %q", project), project)
	opt := &gitlab.UpdateErrorTrackingSettingsOptions{Active: gitlab.Ptr(active), Integrated: integrated}
	return c.writeSettings(ctx, r, project, opt)
}

// writeSettings holds the project's key write lock: saving settings that are
// active and integrated makes GitLab create a key when the project has no
// active one (API document, "Side effect"). Listing the keys afterwards,
// with no POST in flight, makes that key known, so it is never taken for
// the key of a create whose answer was lost.
func (c *Client) writeSettings(ctx context.Context, r request, project string, opt any) (*Settings, error) {
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

	s, err := c.settingsCall(ctx, r, opt)
	if (err == nil && s.Active && s.Integrated) || (err != nil && mayHaveRun(err)) {
		keys, lerr := c.listAll(ctx, project)
		if lerr == nil {
			ps.afterSettingsWrite(keys, before)
			return s, err
		}
		tflog.Debug(c.logContext(ctx), "Listing client keys after a settings write failed",
			map[string]any{"project": project, "error": lerr.Error()})
	}
	ps.invalidate()
	return s, err
}

func (c *Client) settingsCall(ctx context.Context, r request, opt any) (*Settings, error) {
	var body settingsEntity
	_, st, err := c.do(ctx, r, func(o ...gitlab.RequestOptionFunc) (*gitlab.Response, error) {
		req, err := c.gl.NewRequest(r.method, r.path, opt, o)
		if err != nil {
			return nil, err
		}
		return c.gl.Do(req, &body)
	})
	switch {
	case err != nil:
		return nil, err
	case body.Status == "error":
		return nil, c.statusError(r, st, flatten(body.Message))
	case body.Active == nil || body.Integrated == nil:
		return nil, c.unexpected(r, st, "no active or integrated field")
	}
	return &Settings{
		Active:            *body.Active,
		Integrated:        *body.Integrated,
		ProjectName:       body.ProjectName,
		SentryExternalURL: body.SentryExternalURL,
		APIURL:            body.APIURL,
	}, nil
}

func settingsRequest(method, op, project string) request {
	return request{
		op:     op,
		method: method,
		path:   projectPath(project) + "/error_tracking/settings",
	}
}

func (ps *projectKeys) pendingCount() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.pending
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
