// Package gitlab is the provider's only door to the GitLab REST API. It wraps
// gitlab.com/gitlab-org/api/client-go/v2 with the behavior the provider needs:
// one error type, safe retries, detection of GitLab's 200-with-error answer,
// and a per-run cache of each project's client-key list.
package gitlab

import (
	"context"
	"errors"
	"time"
)

// DefaultBaseURL is the API root used when none is configured.
const DefaultBaseURL = "https://gitlab.com/api/v4/"

// Config is what the provider block resolves to.
type Config struct {
	Token      string
	BaseURL    string // as configured; normalised by New
	CACertFile string
	Insecure   bool
	ClientCert string // path to a PEM certificate
	ClientKey  string // path to a PEM key
	Headers    map[string]string
	Retries    int    // maximum retries of one idempotent request
	UserAgent  string // e.g. "terraform-provider-gitlab/1.2.3"

	// Bounds of the exponential backoff between retries; zero means
	// DefaultRetryWaitMin and DefaultRetryWaitMax. Tests make them short.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
}

// Settings is a project's error-tracking settings as GitLab reports them.
// The three Sentry fields are nil when GitLab answers null.
type Settings struct {
	Active            bool
	Integrated        bool
	ProjectName       *string
	SentryExternalURL *string
	APIURL            *string
}

// ClientKey is one error-tracking client key (a Sentry DSN).
type ClientKey struct {
	ID        int64
	Active    bool
	PublicKey string
	SentryDSN string
}

// Project is the part of a GitLab project the provider needs.
type Project struct {
	ID                int64
	PathWithNamespace string
}

// Kind classifies an Error so that callers can react without string matching.
type Kind int

const (
	KindOther              Kind = iota // anything not listed below (transport error, 5xx, unexpected body)
	KindUnauthorized                   // 401: token missing, expired or revoked
	KindForbidden                      // 403: needs the Maintainer role, or a token with the api scope
	KindProjectNotFound                // 404 Project Not Found (missing or not visible)
	KindSettingsNotFound               // 404 Error Tracking Setting Not Found
	KindFeatureUnavailable             // PUT answered 404 Not Found: integrated feature flag off or GitLab < 15.10
	KindKeyNotFound                    // 404 Not found on a client key
	KindStatusError                    // HTTP 200 with {"status":"error","message":...}
	KindBadRequest                     // 400 parameter validation
	KindRateLimited                    // 429 after retries ran out
)

// Error is the one error type this package returns for GitLab failures.
type Error struct {
	Kind       Kind
	Op         string // what was attempted, e.g. `create a client key in project "g/p"`
	Method     string // HTTP method
	Path       string // request path below the API root, e.g. "projects/g%2Fp/error_tracking/settings"
	StatusCode int    // 0 when no response arrived
	Message    string // GitLab's message (or the body, trimmed), never the token
	Attempts   int    // how many times the request was sent
	Err        error  // underlying error, if any

	// interruptedInFlight marks a call whose context ended while a request
	// was out, with no answer yet: GitLab may have run it.
	interruptedInFlight bool
}

func (e *Error) Error() string { return errorString(e) }
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, or KindOther when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// API is what the provider uses. *Client implements it.
type API interface {
	// CurrentUser performs GET /user; used for the early auth check.
	CurrentUser(ctx context.Context) error
	// Project performs GET /projects/:id, at most once per project per Client.
	Project(ctx context.Context, project string) (*Project, error)

	GetSettings(ctx context.Context, project string) (*Settings, error)
	// PutSettings creates or replaces the settings (GitLab 15.10+).
	PutSettings(ctx context.Context, project string, active, integrated bool) (*Settings, error)
	// PatchSettings updates existing settings; integrated nil leaves it unchanged.
	PatchSettings(ctx context.Context, project string, active bool, integrated *bool) (*Settings, error)

	// ListClientKeys returns every key of the project ordered by id, served from
	// the per-run cache (one fetch of all pages per project, shared by concurrent callers).
	ListClientKeys(ctx context.Context, project string) ([]ClientKey, error)
	// ClientKey finds one key in that same shared list; nil when the project
	// has no key with that id (GitLab has no endpoint for one key).
	ClientKey(ctx context.Context, project string, keyID int64) (*ClientKey, error)
	// CreateClientKey creates one key, safely under ambiguous failures (see the design).
	CreateClientKey(ctx context.Context, project string) (*ClientKey, error)
	// DeleteClientKey deletes a key; a key already gone is KindKeyNotFound.
	DeleteClientKey(ctx context.Context, project string, keyID int64) error
}

var _ API = (*Client)(nil)
