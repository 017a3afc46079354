package gitlab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"sync"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// Client implements API on top of client-go. One Client serves one provider
// process, that is one Terraform run: its caches live as long as it does.
type Client struct {
	gl      *gitlab.Client
	token   string
	retries int

	mu       sync.Mutex
	projects map[string]*Project     // by every name a project was resolved under
	keys     map[string]*projectKeys // by the project string callers use

	projectCalls shared[*Project]
	keyFetches   shared[[]ClientKey]
}

// New builds a Client from cfg. It performs no request. ctx carries the
// logger used for go-retryablehttp's own log lines.
func New(ctx context.Context, cfg Config) (*Client, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	base, err := NormalizeBaseURL(base)
	if err != nil {
		return nil, err
	}
	hc, err := httpClient(cfg)
	if err != nil {
		return nil, err
	}

	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = DefaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = DefaultRetryWaitMax
	}
	waitMax = max(waitMax, waitMin)

	c := &Client{
		token:    cfg.Token,
		retries:  max(cfg.Retries, 0),
		projects: make(map[string]*Project),
		keys:     make(map[string]*projectKeys),
	}

	opts := []gitlab.ClientOptionFunc{
		gitlab.WithBaseURL(base),
		gitlab.WithHTTPClient(hc),
		gitlab.WithInterceptor(c.observe),
		gitlab.WithCustomRetry(retryIdempotent),
		gitlab.WithCustomBackoff(backoff),
		gitlab.WithCustomRetryMax(c.retries),
		gitlab.WithCustomRetryWaitMinMax(waitMin, waitMax),
		// The last answer must reach the caller: its status and body make
		// the error message.
		gitlab.WithErrorHandler(retryablehttp.PassthroughErrorHandler),
		gitlab.WithCustomLeveledLogger(retryLogger{ctx: c.logContext(context.WithoutCancel(ctx))}),
		// client-go would size a client-side limiter from the RateLimit-Limit
		// header of the first answer it sees, for the Client's whole life.
		// GitLab says when to come back with each 429 and the backoff honors
		// that, so the server's word is the only throttle.
		gitlab.WithCustomLimiter(noLimit{}),
		// NormalizeBaseURL has validated the URL; client-go must not log to
		// slog's default logger (that is the log package's output).
		gitlab.WithURLWarningLogger(slog.New(slog.DiscardHandler)),
	}
	if cfg.UserAgent != "" {
		opts = append(opts, gitlab.WithUserAgent(cfg.UserAgent))
	}
	if len(cfg.Headers) > 0 {
		opts = append(opts, gitlab.WithRequestOptions(gitlab.WithHeaders(maps.Clone(cfg.Headers))))
	}

	var auth gitlab.AuthSource = gitlab.AccessTokenAuthSource{Token: cfg.Token}
	if cfg.Token == "" {
		// An empty PRIVATE-TOKEN header would be sent otherwise.
		auth = gitlab.Unauthenticated{}
	}
	gl, err := gitlab.NewAuthSourceClient(auth, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the GitLab client: %w", err)
	}
	c.gl = gl
	return c, nil
}

// CurrentUser performs GET /user, which answers 401 for a bad token.
func (c *Client) CurrentUser(ctx context.Context) error {
	r := request{op: "check the token (read the current user)", method: http.MethodGet, path: "user"}
	var u *gitlab.User
	_, st, err := c.do(ctx, r, func(o ...gitlab.RequestOptionFunc) (resp *gitlab.Response, err error) {
		u, resp, err = c.gl.Users.CurrentUser(o...)
		return resp, err
	})
	if err != nil {
		return err
	}
	if u == nil || u.ID == 0 {
		return c.unexpected(r, st, "no user id")
	}
	return nil
}

// Project performs GET /projects/:id once per project for the Client's life;
// concurrent callers share the request.
func (c *Client) Project(ctx context.Context, project string) (*Project, error) {
	c.mu.Lock()
	p, ok := c.projects[project]
	c.mu.Unlock()
	if ok {
		cp := *p
		return &cp, nil
	}

	r := request{
		op:     fmt.Sprintf("read project %q", project),
		method: http.MethodGet,
		path:   projectPath(project),
	}
	p, err := c.projectCalls.do(ctx, project, func(ctx context.Context) (*Project, error) {
		var gp *gitlab.Project
		_, st, err := c.do(ctx, r, func(o ...gitlab.RequestOptionFunc) (resp *gitlab.Response, err error) {
			gp, resp, err = c.gl.Projects.GetProject(project, nil, o...)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		if gp == nil || gp.ID == 0 {
			return nil, c.unexpected(r, st, "no project id")
		}
		p := &Project{ID: gp.ID, PathWithNamespace: gp.PathWithNamespace}
		c.mu.Lock()
		// The other names of the project resolve to the same answer, so a
		// later lookup by ID or by path costs no request.
		c.projects[project] = p
		c.projects[strconv.FormatInt(p.ID, 10)] = p
		if p.PathWithNamespace != "" {
			c.projects[p.PathWithNamespace] = p
		}
		c.mu.Unlock()
		return p, nil
	})
	if err != nil {
		return nil, c.asError(r, err)
	}
	cp := *p
	return &cp, nil
}

// do runs one API call through client-go with the bookkeeping every call
// needs: the call state the transport and the retry policy fill, the POST
// retry policy, and the conversion of failures into *Error.
func (c *Client) do(
	ctx context.Context,
	r request,
	send func(...gitlab.RequestOptionFunc) (*gitlab.Response, error),
) (*gitlab.Response, *callState, error) {
	st := &callState{}
	ctx = withCall(ctx, st)
	opts := []gitlab.RequestOptionFunc{gitlab.WithContext(ctx)}
	if r.post {
		opts = append(opts, gitlab.WithRequestRetry(retryPOST))
	}
	resp, err := send(opts...)
	if err != nil {
		return resp, st, c.newError(ctx, r, st, err)
	}
	return resp, st, nil
}

// asError makes sure a failure that did not come from a request (a caller
// that stopped waiting for a shared one) is an *Error too.
func (c *Client) asError(r request, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Op: r.op, Method: r.method, Path: r.path, Message: c.scrub(err.Error()), Err: err}
}

func projectPath(project string) string {
	// The same escaping client-go applies to ProjectID{project}.
	return "projects/" + gitlab.PathEscape(project)
}

// noLimit is a client-go RateLimiter that never waits (see New).
type noLimit struct{}

func (noLimit) Wait(ctx context.Context) error { return ctx.Err() }
