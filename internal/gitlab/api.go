// Package gitlab is the provider's only door to the GitLab REST API. It wraps
// gitlab.com/gitlab-org/api/client-go/v2 with the behavior the provider needs:
// one error type whose Kind says what a failure means, safe retries,
// detection of GitLab's 200-with-error answer, and a per-run cache of each
// project's client-key list.
//
// The files, one concern each:
//
//   - api.go: the API the provider uses and its domain types.
//   - errors.go: Error and its Kind, the one place that reads GitLab's answers
//     and Go's transport errors for their meaning.
//   - config.go: Config, the base URL, the token and the TLS settings.
//   - client.go: the Client and how client-go is set up.
//   - call.go: the request/response core every API call goes through.
//   - transport.go: what each attempt does on the wire, and its logging.
//   - retry.go: which failures are retried, and how long to wait.
//   - timeout.go: request_timeout, how long one attempt waits for GitLab.
//   - lookups.go, settings.go, keys.go: the API calls of the resources and
//     data sources (the token's user, projects, settings, client keys).
//   - groups.go: a group's projects for the list resources, each page read
//     once per run.
//   - keycache.go: the per-project client-key cache, its locks and the
//     listing that fills it.
//   - lost.go: the look for the key of a create whose answer was lost or
//     cut off by an interrupt.
//   - shared.go: one call shared by concurrent callers, or remembered for
//     the run.
//
// How GitLab's API behaves is written down, with GitLab's source files, in
// internal/emulator/gitlab-api.md; the comments here cite its sections.
package gitlab

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Settings is a project's error-tracking settings as GitLab reports them.
// The three Sentry fields are nil when GitLab answers null.
type Settings struct {
	Active            bool
	Integrated        bool
	ProjectName       *string
	SentryExternalURL *string
	APIURL            *string

	// CreatedKeyID is, in the answer of a write, the client key GitLab
	// created on the way (see PutSettings), or 0.
	CreatedKeyID int64
}

// ClientKey is one error-tracking client key (a Sentry DSN).
type ClientKey struct {
	ID        int64
	Active    bool
	PublicKey string
	SentryDSN string
}

// String shows k with its public key and DSN masked, so that a log line, a
// diagnostic or a test's failure message that prints a key holds neither.
func (k ClientKey) String() string {
	return fmt.Sprintf("{ID:%d Active:%t PublicKey:%s SentryDSN:%s}", k.ID, k.Active, maskSecret(k.PublicKey), maskSecret(k.SentryDSN))
}

// maskSecret is *** for a secret that is set, and "" for one that is not.
func maskSecret(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// Project is the part of a GitLab project the provider needs.
type Project struct {
	ID                int64
	PathWithNamespace string
	// AccessLevel is the token's user's highest membership of the project
	// as GET /projects/:id tells it (permissions: the project's own and
	// its groups'; 30 Developer, 40 Maintainer), 0 when GitLab tells none:
	// access through a group the project is shared with, or an
	// administrator (internal/emulator/gitlab-api.md, "Other endpoints").
	AccessLevel int
}

// MaintainerAccess is the access level that error tracking needs, reads
// included (internal/emulator/gitlab-api.md, "Order of checks").
const MaintainerAccess = 40

// API is what the provider uses. *Client implements it. Every error it
// returns is an *Error.
type API interface {
	// Instance is the root of the GitLab API the client talks to. Numeric
	// IDs name projects on that instance only.
	Instance() string
	// CurrentUser performs GET /user; used for the early auth check.
	CurrentUser(ctx context.Context) error
	// Project performs GET /projects/:id, at most once per project per Client.
	Project(ctx context.Context, project string) (*Project, error)

	GetSettings(ctx context.Context, project string) (*Settings, error)
	// SharedSettings is GetSettings once per project for the Client's
	// life, its answer shared by every caller.
	SharedSettings(ctx context.Context, project string) (*Settings, error)
	// PutSettings creates or replaces the settings (GitLab 15.10+). Like
	// PatchSettings, it reports a key GitLab created on the way in the
	// answer's CreatedKeyID, or, when the write failed but may have run, in
	// the error's.
	PutSettings(ctx context.Context, project string, active, integrated bool) (*Settings, error)
	// PatchSettings updates existing settings; integrated nil leaves it unchanged.
	PatchSettings(ctx context.Context, project string, active bool, integrated *bool) (*Settings, error)

	// ListClientKeys returns every key of the project ordered by id, served from
	// the per-run cache (one fetch of all pages per project, shared by concurrent callers).
	ListClientKeys(ctx context.Context, project string) ([]ClientKey, error)
	// ClientKey finds one key in that same shared list; nil when the project
	// has no key with that id (GitLab has no endpoint for one key).
	ClientKey(ctx context.Context, project string, keyID int64) (*ClientKey, error)
	// CreateClientKey creates one key, safely when the answer is lost
	// (docs/guides/reliability.md, "Creating client keys").
	CreateClientKey(ctx context.Context, project string) (*ClientKey, error)
	// DeleteClientKey deletes a key; a key already gone is KindKeyNotFound.
	DeleteClientKey(ctx context.Context, project string, keyID int64) error

	// Group performs GET /groups/:id, at most once per group per Client.
	Group(ctx context.Context, group string) (*Group, error)
	// GroupProjects lists a group's projects, each page read once for the
	// Client's life (groups.go).
	GroupProjects(ctx context.Context, group string, q GroupProjectsQuery) iter.Seq2[GroupProject, error]
}

var _ API = (*Client)(nil)

// MayHaveChanged reports whether GitLab may have carried out a write that
// failed with err all the same (the request was sent and no answer said it
// was refused), so that the caller records what it may have changed.
func MayHaveChanged(err error) bool { return mayHaveRun(err) }

// CreatedKeyID is the client key GitLab was found to have created on the
// way of a settings write that failed with err, or 0.
func CreatedKeyID(err error) int64 {
	var e *Error
	if errors.As(err, &e) {
		return e.CreatedKeyID
	}
	return 0
}
