package gitlab

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// Client implements API on top of client-go. One Client serves one provider
// process, that is one Terraform run: its caches live as long as it does.
type Client struct {
	rest    *gl.Client
	base    string // the API root, ending in "/api/v4/"
	token   string
	retries int
	// requestTimeout bounds each attempt (Config.RequestTimeout).
	requestTimeout time.Duration

	mu   sync.Mutex
	keys map[string]*projectKeys // by the project string callers use
	// closingBy is the deadline of the looks after an interrupt, set by
	// the first of them (lost.go).
	closingBy time.Time

	projects   lookups[Project]
	keyFetches shared[[]ClientKey]
	settings   memo[*Settings] // SharedSettings
	groups     groups
}

// Instance is the root of the GitLab API the client talks to, ending in
// "/api/v4/".
func (c *Client) Instance() string { return c.base }

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
	if cfg.Token, err = CleanToken(cfg.Token); err != nil {
		return nil, fmt.Errorf("the token %w", err)
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
		base:           base,
		token:          cfg.Token,
		retries:        max(cfg.Retries, 0),
		requestTimeout: cfg.RequestTimeout,
		keys:           make(map[string]*projectKeys),
	}
	if c.requestTimeout <= 0 {
		c.requestTimeout = DefaultRequestTimeout
	}

	opts := []gl.ClientOptionFunc{
		gl.WithBaseURL(base),
		gl.WithHTTPClient(hc),
		gl.WithInterceptor(c.observe),
		gl.WithCustomRetry(retryIdempotent),
		gl.WithCustomBackoff(waits{serverMax: cfg.ServerWaitMax}.backoff),
		gl.WithCustomRetryMax(c.retries),
		gl.WithCustomRetryWaitMinMax(waitMin, waitMax),
		// The last answer must reach the caller: its status and body make
		// the error message.
		gl.WithErrorHandler(retryablehttp.PassthroughErrorHandler),
		gl.WithCustomLeveledLogger(retryLogger{ctx: c.logContext(context.WithoutCancel(ctx))}),
		// client-go would size a client-side limiter from the RateLimit-Limit
		// header of the first answer it sees, for the Client's whole life.
		// GitLab says when to come back with each 429 and the backoff honors
		// that, so the server's word is the only throttle.
		gl.WithCustomLimiter(noLimit{}),
		// NormalizeBaseURL has validated the URL; client-go must not log to
		// slog's default logger (that is the log package's output).
		gl.WithURLWarningLogger(slog.New(slog.DiscardHandler)),
	}
	if cfg.UserAgent != "" {
		opts = append(opts, gl.WithUserAgent(cfg.UserAgent))
	}
	if len(cfg.Headers) > 0 {
		opts = append(opts, gl.WithRequestOptions(gl.WithHeaders(maps.Clone(cfg.Headers))))
	}

	var auth gl.AuthSource = gl.AccessTokenAuthSource{Token: cfg.Token}
	if cfg.Token == "" {
		// An empty PRIVATE-TOKEN header would be sent otherwise.
		auth = gl.Unauthenticated{}
	}
	rest, err := gl.NewAuthSourceClient(auth, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the GitLab client: %w", err)
	}
	c.rest = rest
	return c, nil
}

// noLimit is a client-go RateLimiter that never waits (see New).
type noLimit struct{}

func (noLimit) Wait(ctx context.Context) error { return ctx.Err() }
