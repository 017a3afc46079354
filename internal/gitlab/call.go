package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// Limits of GitLab text copied into an Error: one readable line, not a page.
const (
	maxBodyMessage = 200 // non-JSON bodies: HTML error pages, "Retry later"
	maxJSONMessage = 500 // GitLab's own message
)

// endpoint names the API endpoints whose failures classify tells apart;
// other requests leave it zero.
type endpoint int

const (
	endpointUser     endpoint = iota + 1 // GET /user
	endpointSettings                     // /projects/:id/error_tracking/settings
	endpointKey                          // /projects/:id/error_tracking/client_keys/:key_id
)

// request describes one API call for the bookkeeping around it.
type request struct {
	op       string // what is attempted, in words, for error text
	method   string
	endpoint endpoint
	path     string // below the API root, escaped as it is sent
	// post marks a call GitLab may have run even when no answer arrived:
	// it is retried only when GitLab certainly did not run it.
	post bool
}

// callState is the bookkeeping of one API call across its attempts. The
// transport fills it for every attempt, on the goroutine that makes the
// call, one attempt after the other.
type callState struct {
	attempts int
	timeouts int    // attempts that request_timeout ended
	status   int    // status of the last attempt; 0 when no answer arrived
	body     []byte // the last answer's body, up to maxCapturedBody
}

type callKey struct{}

func withCall(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, callKey{}, st)
}

func callFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callKey{}).(*callState)
	return st
}

// do runs one API call through client-go with the bookkeeping every call
// needs: the call state the transport and the retry policy fill, the POST
// retry policy, and the conversion of failures into *Error.
func (c *Client) do(
	ctx context.Context,
	r request,
	send func(...gl.RequestOptionFunc) (*gl.Response, error),
) (*gl.Response, *callState, error) {
	st := &callState{}
	ctx = withCall(ctx, st)
	opts := []gl.RequestOptionFunc{gl.WithContext(ctx)}
	if r.post {
		opts = append(opts, gl.WithRequestRetry(retryPOST))
	}
	resp, err := send(opts...)
	if err != nil {
		return resp, st, c.newError(ctx, r, st, err)
	}
	return resp, st, nil
}

// newError turns a failed call into an *Error, from what the transport saw
// on the last attempt. client-go drops the body of a 404 (it returns the
// shared ErrNotFound), so GitLab's message comes from the call state.
func (c *Client) newError(ctx context.Context, r request, st *callState, err error) *Error {
	e := c.errorFor(r, st)
	e.Err = err
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			e.Err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		e.Message = ctxErr.Error()
		e.interruptedInFlight = st.attempts > 0 && st.status == 0
		e.Kind = KindInterrupted
		if st.attempts == 0 {
			e.Kind = KindNotSent
		}
		return e
	}
	if st.status == 0 {
		if st.attempts > 0 {
			e.Kind = transportKind(err)
		}
		e.Message = c.scrub(transportMessage(err))
		return e
	}
	if st.status >= 200 && st.status < 300 {
		// The answer arrived but could not be decoded: a proxy page, or a
		// body that is not the entity this endpoint returns.
		return c.unexpected(r, st, err.Error(), err)
	}
	e.StatusCode = st.status
	e.Message = c.scrub(gitlabMessage(st.body))
	// client-go's error repeats the status and message, and for a 404 is a
	// shared sentinel without them; the fields above say it all.
	e.Err = nil
	e.Kind = classify(r, st.status, st.body)
	return e
}

// errorFor is the part of an *Error that says which request failed and
// how often it was sent.
func (c *Client) errorFor(r request, st *callState) *Error {
	e := &Error{Op: r.op, Method: r.method, Path: r.path, URL: c.base + r.path}
	if st != nil {
		e.Attempts = st.attempts
	}
	return e
}

// statusError reports GitLab's "HTTP 200 with status error" answer
// (internal/emulator/gitlab-api.md, "Failure inside a successful status")
// as an *Error.
func (c *Client) statusError(r request, st *callState, message string) *Error {
	e := c.errorFor(r, st)
	e.StatusCode = st.status
	e.Message = c.scrub(oneLine(message, maxJSONMessage))
	e.Kind = classifyStatusError(message)
	return e
}

// unexpected reports a 2xx answer that lacks what the endpoint promises,
// saying what is wrong with it; cause is the decoding error, if any.
func (c *Client) unexpected(r request, st *callState, what string, cause error) *Error {
	if msg, ok := statusErrorMessage(st.body); ok {
		return c.statusError(r, st, msg)
	}
	e := c.errorFor(r, st)
	e.Err = cause
	e.StatusCode = st.status
	e.Message = c.scrub(fmt.Sprintf("unexpected answer (%s): %s", what, gitlabMessage(st.body)))
	e.Kind = classifyUnexpected(r, st.body)
	return e
}

// nextPage is the page after page of a paginated answer (X-Next-Page), 0
// after the last one; a next page that does not come after page is an
// unexpected answer, which following it would loop on.
func (c *Client) nextPage(r request, st *callState, resp *gl.Response, page int64) (int64, error) {
	if resp.NextPage != 0 && resp.NextPage <= page {
		return 0, c.unexpected(r, st, fmt.Sprintf("X-Next-Page %d after page %d", resp.NextPage, page), nil)
	}
	return resp.NextPage, nil
}

// asError makes sure a failure that did not come from a request (a caller
// that stopped waiting for a shared one) is an *Error too.
func (c *Client) asError(r request, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	e = c.errorFor(r, nil)
	e.Message, e.Err = c.scrub(err.Error()), err
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// This caller sent nothing: it stopped waiting for another's request.
		e.Kind = KindNotSent
	}
	return e
}

// transportMessage is the transport's error without the method and URL
// that net/http puts in front of it: the Error says those once.
func transportMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
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
