package gitlab

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Kind says what a failure means, so that callers react to it and word it
// without reading GitLab's answer. This file is the only place that reads
// answers and transport errors for their meaning: adding a kind is a change
// to this file alone (its constant, its name, and the rule in classify or
// transportKind that recognises it).
type Kind int

const (
	KindOther               Kind = iota // none of the below: an unexpected answer, a request that could not be sent
	KindUnauthorized                    // 401: token missing, expired or revoked
	KindForbidden                       // 403: the user's role does not allow it
	KindInsufficientScope               // 403 insufficient_scope: the token lacks the api scope
	KindProjectNotFound                 // 404 Project Not Found (missing or not visible)
	KindSettingsNotFound                // 404 Error Tracking Setting Not Found
	KindFeatureUnavailable              // PUT settings answered 404 Not Found: integrated feature flag off or GitLab < 15.10
	KindKeyNotFound                     // DELETE of a client key answered 404 Not found
	KindStatusError                     // HTTP 200 with {"status":"error","message":...}
	KindSentryNotConfigured             // that answer, because Sentry mode lacks its API URL and token
	KindBadRequest                      // 400 parameter validation
	KindRateLimited                     // 429 after retries ran out
	KindServerError                     // 5xx from GitLab after retries ran out
	KindProxyError                      // 5xx with an HTML page: a proxy or load balancer in front of GitLab
	KindTLSUntrusted                    // GitLab's certificate failed verification
	KindTLSRejected                     // the server ended the TLS handshake: it wants a client certificate it trusts
	KindTLSFailed                       // another TLS failure
	KindPlainHTTP                       // an https:// request to a server that speaks plain HTTP
	KindHostNotFound                    // the DNS answered that the host does not exist
	KindUnreachable                     // no connection could be made: refused, no route, connect or DNS timeout
	KindNoAnswer                        // connected, but no answer came: reset, closed, timed out
	KindNotGitLabAPI                    // the answer is not GitLab's API: 404 for /user, an HTML page
	KindInvalidRequest                  // the request could not be sent as it is (a header value HTTP does not allow)
	KindGroupNotFound                   // 404 Group Not Found (missing or not visible)
	KindTimeout                         // connected, but no answer (or no more of its body) within request_timeout
	KindNotTLS                          // an https:// request to a server whose first bytes are not TLS, nor HTTP
	KindNotSent                         // interrupted (the context ended) before the request was sent
	KindInterrupted                     // interrupted after the request was sent: GitLab may have run it
)

var kindNames = [...]string{
	KindOther:               "other",
	KindUnauthorized:        "unauthorized",
	KindForbidden:           "forbidden",
	KindInsufficientScope:   "insufficient scope",
	KindProjectNotFound:     "project not found",
	KindSettingsNotFound:    "settings not found",
	KindFeatureUnavailable:  "feature unavailable",
	KindKeyNotFound:         "key not found",
	KindStatusError:         "status error",
	KindSentryNotConfigured: "Sentry not configured",
	KindBadRequest:          "bad request",
	KindRateLimited:         "rate limited",
	KindServerError:         "server error",
	KindProxyError:          "proxy error",
	KindTLSUntrusted:        "TLS certificate untrusted",
	KindTLSRejected:         "TLS rejected by the server",
	KindTLSFailed:           "TLS failed",
	KindPlainHTTP:           "plain HTTP server",
	KindHostNotFound:        "host not found",
	KindUnreachable:         "unreachable",
	KindNoAnswer:            "no answer",
	KindNotGitLabAPI:        "not the GitLab API",
	KindInvalidRequest:      "invalid request",
	KindGroupNotFound:       "group not found",
	KindTimeout:             "timed out",
	KindNotTLS:              "not a TLS server",
	KindNotSent:             "interrupted before sending",
	KindInterrupted:         "interrupted",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// deterministic reports whether a transport failure of this kind comes
// back on every attempt, so that retrying it only delays the error.
func (k Kind) deterministic() bool {
	switch k {
	case KindTLSUntrusted, KindTLSRejected, KindTLSFailed, KindPlainHTTP, KindNotTLS, KindHostNotFound, KindInvalidRequest:
		return true
	}
	return false
}

// inSuccessfulStatus reports whether this kind is a failure GitLab reports
// inside an HTTP 200 answer (classifyStatusError).
func (k Kind) inSuccessfulStatus() bool {
	return k == KindStatusError || k == KindSentryNotConfigured
}

// classify says what a failure status (not 2xx) means. r tells a
// bare "404 Not Found" apart, which means something different on each
// endpoint (internal/emulator/gitlab-api.md, "Order of checks").
func classify(r request, status int, body []byte) Kind {
	switch {
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden && oauthError(body) == "insufficient_scope":
		return KindInsufficientScope
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusBadRequest:
		return KindBadRequest
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusNotFound && r.endpoint == endpointUser,
		isHTML(body) && (status == http.StatusNotFound || status == http.StatusMethodNotAllowed):
		// Every GitLab has /user, and its API answers JSON: base_url
		// points at a web page or another server.
		return KindNotGitLabAPI
	case status >= 500 && isHTML(body):
		return KindProxyError
	case status >= 500:
		return KindServerError
	case status != http.StatusNotFound:
		return KindOther
	}
	switch msg := gitlabMessage(body); {
	case msg == "404 Project Not Found":
		return KindProjectNotFound
	case msg == "404 Group Not Found":
		return KindGroupNotFound
	case msg == "404 Error Tracking Setting Not Found":
		return KindSettingsNotFound
	case !strings.EqualFold(msg, "404 Not Found"):
		return KindOther
	case r.endpoint == endpointSettings && r.method == http.MethodPut:
		return KindFeatureUnavailable
	case r.endpoint == endpointKey:
		return KindKeyNotFound
	}
	return KindOther
}

// classifyStatusError says what GitLab's "HTTP 200 with status error" answer
// means (internal/emulator/gitlab-api.md, "Failure inside a successful
// status"). Switching to Sentry mode fails this way when the project has no
// Sentry API URL and token, which only GitLab's UI can set.
func classifyStatusError(message string) Kind {
	lower := strings.ToLower(message)
	if strings.Contains(lower, "api url") || strings.Contains(lower, "token is a required") {
		return KindSentryNotConfigured
	}
	return KindStatusError
}

// classifyUnexpected says what a successful answer that lacks what the
// endpoint promises means: a web page, or any such answer to GET /user,
// which every GitLab has, comes from something that is not GitLab's API.
func classifyUnexpected(r request, body []byte) Kind {
	if r.endpoint == endpointUser || isHTML(body) {
		return KindNotGitLabAPI
	}
	return KindOther
}

// transportKind says what a failure without an HTTP answer means, for a
// request that was attempted (a header HTTP cannot carry stops it before it
// is sent). The messages matched are Go's, not GitLab's.
func transportKind(err error) Kind {
	var (
		timeout          *timeoutError
		header           *headerError
		verification     *tls.CertificateVerificationError
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		alert            tls.AlertError
		recordHeader     tls.RecordHeaderError
		dns              *net.DNSError
		op               *net.OpError
	)
	switch {
	case errors.As(err, &timeout):
		return KindTimeout
	case errors.As(err, &header):
		return KindInvalidRequest
	case errors.Is(err, http.ErrSchemeMismatch),
		errors.As(err, &recordHeader) && string(recordHeader.RecordHeader[:]) == "HTTP/":
		return KindPlainHTTP
	case errors.As(err, &verification), errors.As(err, &unknownAuthority),
		errors.As(err, &hostname), errors.As(err, &invalid):
		return KindTLSUntrusted
	case errors.As(err, &op) && op.Op == "remote error":
		// crypto/tls reports the peer's TLS alert this way, e.g.
		// "remote error: tls: certificate required".
		return alertKind(op.Err)
	case errors.As(err, &alert):
		return alertKind(alert)
	case errors.As(err, &recordHeader):
		// The first bytes were not a TLS record: not a TLS server.
		return KindNotTLS
	case strings.HasPrefix(transportMessage(err), "tls: "):
		return KindTLSFailed
	case errors.As(err, &dns) && dns.IsNotFound:
		return KindHostNotFound
	case errors.As(err, &op) && op.Op == "dial":
		return KindUnreachable
	}
	return KindNoAnswer
}

// alertKind says what a TLS alert from the server means. The alerts about
// certificates are how a server refuses a client without one it trusts;
// the others end the handshake for other reasons, such as no common
// protocol version.
func alertKind(alert error) Kind {
	if msg := alert.Error(); strings.Contains(msg, "certificate") || strings.Contains(msg, "access denied") {
		return KindTLSRejected
	}
	return KindTLSFailed
}

// oauthError is the "error" of GitLab's OAuth-style answer,
// {"error": "insufficient_scope", "error_description": "...", "scope": "api"}.
func oauthError(body []byte) string {
	var b struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &b)
	return b.Error
}

// isHTML reports whether an answer is a web page rather than the API's
// JSON: a proxy's error page, a sign-in page, a web server's 404.
func isHTML(body []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
}

// Error is the one error type this package returns for GitLab failures.
type Error struct {
	Kind       Kind
	Op         string // what was attempted, e.g. `create a client key in project "g/p"`
	Method     string // HTTP method
	Path       string // request path below the API root, e.g. "projects/g%2Fp/error_tracking/settings"
	URL        string // the full URL of the request
	StatusCode int    // 0 when no response arrived
	Message    string // GitLab's message (or the body, trimmed, or the transport's error), never the token
	Attempts   int    // how many attempts were made (one whose header HTTP cannot carry is not sent)
	Err        error  // underlying error, if any

	// CreatedKeyID is, for a settings write that failed but may have run,
	// the client key GitLab was found to have created on the way, or 0.
	CreatedKeyID int64

	// interruptedInFlight marks a call whose context ended while a request
	// was out, with no answer yet: GitLab may have run it.
	interruptedInFlight bool
}

// Error says what was attempted, the request and what came of it, on one line.
func (e *Error) Error() string {
	call := strings.TrimSpace(e.Method + " " + e.Path)
	switch {
	case e.Op != "" && call != "":
		return fmt.Sprintf("%s (%s): %s", e.Op, call, e.Answer())
	case e.Op != "":
		return e.Op + ": " + e.Answer()
	case call != "":
		return call + ": " + e.Answer()
	}
	return e.Answer()
}

func (e *Error) Unwrap() error { return e.Err }

// Request is the request that failed, such as "GET https://host/api/v4/user",
// for a caller that says itself what was attempted.
func (e *Error) Request() string {
	target := e.URL
	if target == "" {
		target = e.Path
	}
	return strings.TrimSpace(e.Method + " " + target)
}

// Answer says what came of the request, without what was attempted: how
// many attempts were made, and GitLab's last answer or the last error.
func (e *Error) Answer() string {
	var b strings.Builder
	interrupted := e.StatusCode == 0 &&
		(errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded))
	switch {
	case interrupted && e.interruptedInFlight:
		return fmt.Sprintf("interrupted after the request was sent (attempt %d), before GitLab answered", e.Attempts)
	case interrupted && e.Attempts > 0:
		return fmt.Sprintf("interrupted while waiting to send the request again, after %d attempt(s)", e.Attempts)
	case interrupted:
		return "interrupted before the request was sent"
	case e.Attempts > 1 && e.StatusCode != 0:
		fmt.Fprintf(&b, "gave up after %d attempts; last answer: ", e.Attempts)
	case e.Attempts > 1:
		fmt.Fprintf(&b, "gave up after %d attempts; last error: ", e.Attempts)
	}

	switch {
	case e.Kind.inSuccessfulStatus():
		fmt.Fprintf(&b, `GitLab answered %d %s with "status":"error": %s`,
			e.StatusCode, http.StatusText(e.StatusCode), e.Message)
	case e.StatusCode != 0:
		status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
		b.WriteString(status)
		// GitLab's message is often the status line again.
		if e.Message != "" && !strings.EqualFold(e.Message, status) {
			b.WriteString(": " + e.Message)
		}
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("unknown error")
	}
	return b.String()
}

// KindOf returns the Kind of err, or KindOther when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// mayHaveRun reports whether GitLab may have carried out the call that
// failed with err: no answer (reset, EOF, timeout), a 5xx, or a success
// status with a body we could not read. A 4xx, GitLab's 200-with-error, a
// connection that could not be made and a TLS failure mean it did not.
func mayHaveRun(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Attempts == 0 {
		return false
	}
	if errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded) {
		// Interrupted while a request was out: it may have reached GitLab.
		// Interrupted while waiting to retry: the last attempt had an
		// answer, and it said the request did not run.
		return e.interruptedInFlight
	}
	switch {
	case e.Kind.inSuccessfulStatus():
		return false
	case e.StatusCode == 0:
		// Only a connection that was made and then lost may have
		// carried the request to GitLab.
		return e.Kind == KindNoAnswer || e.Kind == KindTimeout
	default:
		return e.StatusCode < 400 || e.StatusCode >= 500
	}
}
