package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// settingsEntity is the settings answer as GitLab sends it. client-go's
// ErrorTrackingSettings has neither the nulls of the three Sentry fields nor
// status/message, and GitLab reports a rejected write as HTTP 200 with
// {"status":"error","message":...} (internal/emulator/gitlab-api.md,
// "Failure inside a successful status"), which would decode as empty
// settings.
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

// SharedSettings is GetSettings at most once per project for the Client's
// life: concurrent callers share the request, and later callers get its
// answer, a failure included. It serves readers that need no fresher
// answer than the run's first, such as the list blocks of a query, which
// may name a project several times.
func (c *Client) SharedSettings(ctx context.Context, project string) (*Settings, error) {
	s, err := c.settings.do(ctx, project, func(ctx context.Context) (*Settings, error) {
		return c.GetSettings(ctx, project)
	})
	if err != nil {
		return nil, err
	}
	cp := *s
	return &cp, nil
}

// PutSettings creates or replaces the settings. GitLab answers "404 Not
// Found" when the integrated feature flag is off or the version predates
// the endpoint (15.10): KindFeatureUnavailable.
func (c *Client) PutSettings(ctx context.Context, project string, active, integrated bool) (*Settings, error) {
	r := settingsRequest(http.MethodPut, fmt.Sprintf("create the error tracking settings of project %q", project), project)
	opt := &gl.CreateErrorTrackingSettingsOptions{Active: gl.Ptr(active), Integrated: gl.Ptr(integrated)}
	return c.writeSettings(ctx, r, project, opt, active && integrated)
}

// PatchSettings updates existing settings; PATCH never creates them.
func (c *Client) PatchSettings(ctx context.Context, project string, active bool, integrated *bool) (*Settings, error) {
	r := settingsRequest(http.MethodPatch, fmt.Sprintf("update the error tracking settings of project %q", project), project)
	opt := &gl.UpdateErrorTrackingSettingsOptions{Active: gl.Ptr(active), Integrated: integrated}
	// An omitted integrated keeps the stored mode, which may be true
	// whatever the answers say (the flag masks it).
	return c.writeSettings(ctx, r, project, opt, active && (integrated == nil || *integrated))
}

// writeSettings sends a settings write under the key cache's rule for
// writes that may create a key: saving settings that are active and
// integrated makes GitLab create a key when the project has no active one
// (internal/emulator/gitlab-api.md, "Side effect"). That key is reported in
// the answer's CreatedKeyID, or in the error's when the write failed but
// may have run.
func (c *Client) writeSettings(ctx context.Context, r request, project string, opt any, mayCreateKey bool) (*Settings, error) {
	var (
		s   *Settings
		err error
	)
	created := c.writingSettings(ctx, project, mayCreateKey, func() bool {
		s, err = c.settingsCall(ctx, r, opt)
		return err == nil || mayHaveRun(err)
	})
	if e := (*Error)(nil); errors.As(err, &e) {
		e.CreatedKeyID = created
	} else if s != nil {
		s.CreatedKeyID = created
	}
	return s, err
}

func (c *Client) settingsCall(ctx context.Context, r request, opt any) (*Settings, error) {
	var body settingsEntity
	_, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (*gl.Response, error) {
		req, err := c.rest.NewRequest(r.method, r.path, opt, o)
		if err != nil {
			return nil, err
		}
		return c.rest.Do(req, &body)
	})
	switch {
	case err != nil:
		return nil, err
	case body.Status == "error":
		return nil, c.statusError(r, st, flatten(body.Message))
	case body.Active == nil || body.Integrated == nil:
		return nil, c.unexpected(r, st, "no active or integrated field", nil)
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
		op:       op,
		method:   method,
		endpoint: endpointSettings,
		path:     projectPath(project) + "/error_tracking/settings",
	}
}
