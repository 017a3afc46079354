package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"syscall"
)

// Limits of GitLab text copied into an Error: one readable line, not a page.
const (
	maxBodyMessage = 200 // non-JSON bodies: HTML error pages, "Retry later"
	maxJSONMessage = 500 // GitLab's own message
)

// request describes one API call for the bookkeeping around it.
type request struct {
	op     string // what is attempted, in words, for error text
	method string
	path   string // below the API root, escaped as it is sent
	// post marks a call GitLab may have run even when no answer arrived:
	// it is retried only when GitLab certainly did not run it.
	post bool
	// notFound is what a bare "404 Not Found" means for this endpoint; the
	// API document lists which endpoints answer it and why.
	notFound Kind
}

// newError turns a failed call into an *Error, from what the transport saw
// on the last attempt. client-go drops the body of a 404 (it returns the
// shared ErrNotFound), so GitLab's message comes from the call state.
func (c *Client) newError(ctx context.Context, r request, st *callState, err error) *Error {
	e := &Error{Op: r.op, Method: r.method, Path: r.path, Attempts: st.attempts, Err: err}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			e.Err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		e.Message = ctxErr.Error()
		e.interruptedInFlight = st.attempts > 0 && st.status == 0
		return e
	}
	if st.status == 0 {
		e.Message = c.scrub(err.Error())
		return e
	}
	e.StatusCode = st.status
	e.Message = c.scrub(gitlabMessage(st.body))
	if st.status >= 200 && st.status < 300 {
		if msg, ok := statusErrorMessage(st.body); ok {
			return c.statusError(r, st, msg)
		}
		// The answer arrived but could not be decoded: a proxy page, or a
		// body that is not the entity this endpoint returns.
		e.Message = fmt.Sprintf("unexpected answer (%v): %s", err, e.Message)
		return e
	}
	// client-go's error repeats the status and message, and for a 404 is a
	// shared sentinel without them; the fields above say it all.
	e.Err = nil
	e.Kind = kindFor(r, st.status, e.Message)
	return e
}

// statusError reports GitLab's "HTTP 200 with status error" answer (see the
// API document, "Failure inside a successful status") as an *Error.
func (c *Client) statusError(r request, st *callState, message string) *Error {
	return &Error{
		Kind:       KindStatusError,
		Op:         r.op,
		Method:     r.method,
		Path:       r.path,
		StatusCode: st.status,
		Message:    c.scrub(oneLine(message, maxJSONMessage)),
		Attempts:   st.attempts,
	}
}

// unexpected reports a 2xx answer that lacks what the endpoint promises.
func (c *Client) unexpected(r request, st *callState, what string) *Error {
	if msg, ok := statusErrorMessage(st.body); ok {
		return c.statusError(r, st, msg)
	}
	return &Error{
		Op:         r.op,
		Method:     r.method,
		Path:       r.path,
		StatusCode: st.status,
		Message:    c.scrub(fmt.Sprintf("unexpected answer (%s): %s", what, gitlabMessage(st.body))),
		Attempts:   st.attempts,
	}
}

// statusErrorMessage finds GitLab's {"status":"error","message":...} in a
// successful answer.
func statusErrorMessage(body []byte) (string, bool) {
	var b struct {
		Status  string `json:"status"`
		Message any    `json:"message"`
	}
	if json.Unmarshal(body, &b) != nil || b.Status != "error" {
		return "", false
	}
	return flatten(b.Message), true
}

func kindFor(r request, status int, msg string) Kind {
	switch status {
	case http.StatusUnauthorized:
		return KindUnauthorized
	case http.StatusForbidden:
		return KindForbidden
	case http.StatusBadRequest:
		return KindBadRequest
	case http.StatusTooManyRequests:
		return KindRateLimited
	case http.StatusNotFound:
		switch {
		case msg == "404 Project Not Found":
			return KindProjectNotFound
		case msg == "404 Error Tracking Setting Not Found":
			return KindSettingsNotFound
		case strings.EqualFold(msg, "404 Not Found"):
			return r.notFound
		}
	}
	return KindOther
}

// mayHaveRun reports whether GitLab may have carried out the call that
// failed with err: no answer (reset, EOF, timeout), a 5xx, or a success
// status with a body we could not read. A 4xx, GitLab's 200-with-error and a
// refused connection mean it did not.
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
	case e.Kind == KindStatusError:
		return false
	case e.StatusCode == 0:
		return !errors.Is(e.Err, syscall.ECONNREFUSED)
	default:
		return e.StatusCode < 400 || e.StatusCode >= 500
	}
}

// gitlabMessage extracts GitLab's text from an error body. GitLab uses
// {"message": "..."} (sometimes an object of field errors),
// {"error": "..."} for validation and unknown routes, and the OAuth form
// {"error": "insufficient_scope", "error_description": "...", "scope": "api"}.
// Anything else (HTML from a proxy, "Retry later") is returned collapsed and
// trimmed.
func gitlabMessage(body []byte) string {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return oneLine(string(body), maxBodyMessage)
	}
	if msg, ok := m["message"]; ok {
		return oneLine(flatten(msg), maxJSONMessage)
	}
	if e, ok := m["error"].(string); ok {
		if d, ok := m["error_description"].(string); ok && d != "" {
			e += ": " + d
		}
		if s, ok := m["scope"].(string); ok && s != "" {
			e += " (required scope: " + s + ")"
		}
		return oneLine(e, maxJSONMessage)
	}
	return oneLine(string(body), maxBodyMessage)
}

// flatten renders GitLab's message, which is a string or, for model
// validation, an object of field names to lists of messages.
func flatten(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			parts = append(parts, flatten(x))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		parts := make([]string, 0, len(v))
		for k, x := range v {
			parts = append(parts, k+" "+flatten(x))
		}
		sort.Strings(parts)
		return strings.Join(parts, "; ")
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// oneLine collapses all whitespace (newlines of an HTML page included) and
// cuts s to at most limit runes.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

// scrub removes the token from text that leaves the package, in case a
// proxy or a transport error echoes it.
func (c *Client) scrub(s string) string {
	if c.token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.token, "***")
}

func errorString(e *Error) string {
	var b strings.Builder
	call := strings.TrimSpace(e.Method + " " + e.Path)
	switch {
	case e.Op != "" && call != "":
		fmt.Fprintf(&b, "%s (%s): ", e.Op, call)
	case e.Op != "":
		b.WriteString(e.Op + ": ")
	case call != "":
		b.WriteString(call + ": ")
	}

	interrupted := e.StatusCode == 0 &&
		(errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded))
	switch {
	case interrupted && e.Attempts > 0:
		fmt.Fprintf(&b, "interrupted after %d attempt(s): ", e.Attempts)
	case interrupted:
		b.WriteString("interrupted: ")
	case e.Attempts > 1 && e.StatusCode != 0:
		fmt.Fprintf(&b, "gave up after %d attempts; last answer: ", e.Attempts)
	case e.Attempts > 1:
		fmt.Fprintf(&b, "gave up after %d attempts; last error: ", e.Attempts)
	}

	switch {
	case e.Kind == KindStatusError:
		fmt.Fprintf(&b, `GitLab answered %d %s with "status":"error": %s`,
			e.StatusCode, http.StatusText(e.StatusCode), e.Message)
	case e.StatusCode != 0:
		fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
		if e.Message != "" {
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
