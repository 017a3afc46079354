package gitlab

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// maxConnectAttempts bounds the attempts of a request whose connection
// cannot be made, and the attempts that request_timeout ends, whatever
// Config.Retries says: retries are for a GitLab that answers 429 or 5xx, and
// a provider that cannot reach base_url, or that GitLab leaves without an
// answer, should say so soon (docs/guides/reliability.md, "Retries").
const maxConnectAttempts = 3

// retryIdempotent is the retry policy of GET, PUT, PATCH and DELETE:
// repeating them cannot duplicate anything, so every failure that may be
// temporary is retried (internal/emulator/gitlab-api.md, "Rate limiting
// and server errors"; docs/guides/reliability.md, "Retries").
func retryIdempotent(ctx context.Context, resp *http.Response, err error) (bool, error) {
	return decide(ctx, func() bool {
		if err != nil {
			return retryTransport(ctx, err, true)
		}
		return resp.StatusCode == http.StatusTooManyRequests ||
			(resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented)
	})
}

// retryPOST is the retry policy of POST client_keys. A 5xx or a lost
// connection does not mean the key was not created, so only the failures
// that prove GitLab did not run the request are retried here: 429 (a
// throttled request is not executed) and a connection that could not be
// made. CreateClientKey deals with the ambiguous failures by looking at the
// key list (docs/guides/reliability.md, "Creating client keys").
func retryPOST(ctx context.Context, resp *http.Response, err error) (bool, error) {
	return decide(ctx, func() bool {
		if err != nil {
			return retryTransport(ctx, err, false)
		}
		return resp.StatusCode == http.StatusTooManyRequests
	})
}

// retryTransport decides on a failure without an answer. A deterministic
// one (TLS, plain HTTP, an unknown host, a header HTTP cannot carry) comes
// back on every attempt; a connection that cannot be made is tried
// maxConnectAttempts times; a connection lost before the answer is retried
// when the request is idempotent.
func retryTransport(ctx context.Context, err error, idempotent bool) bool {
	switch k := transportKind(err); {
	case k.deterministic():
		return false
	case k == KindUnreachable:
		// Without the call's record the attempts cannot be counted, so
		// the cap cannot be kept: no retry.
		st := callFrom(ctx)
		return st != nil && st.attempts < maxConnectAttempts
	case k == KindTimeout:
		// A GitLab that does not answer in request_timeout is not
		// waited for 11 times either; a POST goes to CreateClientKey's
		// look at the keys.
		st := callFrom(ctx)
		return idempotent && st != nil && st.timeouts < maxConnectAttempts
	default:
		return idempotent
	}
}

// decide stops at once on a canceled context, before any verdict.
func decide(ctx context.Context, verdict func() bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return verdict(), nil
}

// waits is the client's backoff between attempts.
type waits struct {
	// serverMax, when positive, caps the wait GitLab asks for
	// (Config.ServerWaitMax); zero honours it as sent.
	serverMax time.Duration
}

// backoff is exponential with jitter, unless GitLab said when to come back:
// Retry-After (seconds or an HTTP date) or RateLimit-Reset (Unix time), which
// GitLab sends with a 429. The jitter spreads parallel callers that were
// throttled together.
func (w waits) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	jitter := time.Duration(rand.Int64N(int64(minWait) + 1))
	if resp != nil {
		if d, ok := serverDelay(resp.Header, time.Now()); ok {
			if w.serverMax > 0 {
				d = min(d, w.serverMax)
			}
			return d + jitter
		}
	}
	d := maxWait
	if attempt < 32 {
		if exp := minWait << attempt; exp > 0 && exp < maxWait {
			d = exp
		}
	}
	// Equal jitter: at least half the exponential step, at most all of it.
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func serverDelay(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second, true
		}
		if at, err := http.ParseTime(v); err == nil {
			return max(at.Sub(now), 0), true
		}
	}
	if v := h.Get("RateLimit-Reset"); v != "" {
		if unix, err := strconv.ParseInt(v, 10, 64); err == nil && unix > 0 {
			return max(time.Unix(unix, 0).Sub(now), 0), true
		}
	}
	return 0, false
}
