package gitlab

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/net/http/httpguts"
)

const (
	// maxCapturedBody bounds the part of an answer kept for error messages
	// and the 200-with-error check; error bodies are far smaller.
	maxCapturedBody = 64 << 10
	// maxBufferedBody bounds the part of an answer read within its attempt
	// (capture); GitLab's pages are far smaller.
	maxBufferedBody = 8 << 20
	// maxLoggedBody bounds bodies written to the trace log.
	maxLoggedBody = 2000
)

// loggedDSN matches a client key's DSN, and its public key (the DSN's
// secret part), in a logged answer body. A DSN lets anyone send errors to the
// project, so neither may be in the trace log.
var loggedDSN = regexp.MustCompile(`"(sentry_dsn|public_key)"\s*:\s*"[^"]*"`)

// logContext masks the token in every message and field logged with ctx,
// and DSNs and public keys in logged bodies. The token is only ever in the PRIVATE-TOKEN
// header, which is not logged; the masks are there for anything that echoes it.
func (c *Client) logContext(ctx context.Context) context.Context {
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, loggedDSN)
	if c.token == "" {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, c.token)
	return tflog.MaskMessageStrings(ctx, c.token)
}

// observe is a client-go interceptor: it sees each attempt of each call on
// the wire, logs it, and records the answer in the call state. client-go
// discards the body of a 404 before the caller sees it, so the body is
// captured here.
func (c *Client) observe(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		ctx := c.logContext(req.Context())
		st := callFrom(ctx)
		if st == nil {
			st = &callState{}
		}
		if err := req.Context().Err(); err != nil {
			// Interrupted before this attempt: nothing leaves, and it is
			// not counted, so that the call is known not to have run.
			return nil, err
		}
		st.attempts++
		st.status, st.body = 0, nil
		if err := checkHeaders(req.Header); err != nil {
			return nil, err
		}

		fields := map[string]any{
			"method":  req.Method,
			"url":     req.URL.Redacted(),
			"attempt": st.attempts,
		}
		tflog.Debug(ctx, "GitLab API request", fields)
		if req.Body != nil && req.Body != http.NoBody && tflog.IsTrace(ctx) {
			reqBody, err := io.ReadAll(req.Body)
			_ = req.Body.Close()
			if err != nil {
				return nil, err
			}
			// A RoundTripper must not change the caller's request.
			clone := *req
			clone.Body = io.NopCloser(bytes.NewReader(reqBody))
			req = &clone
			tflog.Trace(ctx, "GitLab API request body", with(fields, "body", trimmed(reqBody)))
		}

		start := time.Now()
		timer := c.startAttempt(req.Context())
		req = req.WithContext(timer.ctx)
		resp, err := next.RoundTrip(req)
		if err == nil {
			st.body, err = capture(resp, timer)
		}
		if err != nil {
			err = timer.failed(err)
			if _, ok := err.(*timeoutError); ok {
				st.timeouts++
			}
		}
		fields = with(fields, "duration_ms", time.Since(start).Milliseconds())
		if err != nil {
			tflog.Debug(ctx, "GitLab API request failed", with(fields, "error", err.Error()))
			return nil, err
		}
		st.status = resp.StatusCode
		tflog.Debug(ctx, "GitLab API response", with(fields, "status", resp.StatusCode))
		tflog.Trace(ctx, "GitLab API response body", with(fields, "body", trimmed(st.body)))
		return resp, nil
	})
}

// capture reads the answer's body within the attempt, so that a body that
// stalls or breaks off is a failed attempt, retried like a connection lost
// before the headers. It returns the head kept for error messages. A body
// larger than maxBufferedBody is read on from the connection, under the
// attempt's timer still.
func capture(resp *http.Response, timer *attemptTimer) ([]byte, error) {
	timer.progress() // the headers arrived; now the body is waited for
	body := &timedBody{ReadCloser: resp.Body, timer: timer}
	buf, err := io.ReadAll(io.LimitReader(body, maxBufferedBody))
	if err != nil {
		_ = body.Close()
		return nil, err
	}
	if len(buf) < maxBufferedBody {
		_ = body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(buf))
	} else {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(buf), body), body}
	}
	return buf[:min(len(buf), maxCapturedBody)], nil
}

func trimmed(b []byte) string {
	if len(b) > maxLoggedBody {
		return strings.ToValidUTF8(string(b[:maxLoggedBody]), "") + "…"
	}
	return string(b)
}

func with(fields map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(fields)+len(kv)/2)
	for k, v := range fields {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return out
}

// headerError is a header that HTTP cannot carry. net/http refuses such a
// request with an error of no particular type; checking first gives it one,
// so that it is never retried.
type headerError struct{ name string }

func (e *headerError) Error() string {
	// Never the value: it may be the token.
	return fmt.Sprintf("the value of header %q holds a line break or another character HTTP headers cannot carry", e.name)
}

func checkHeaders(h http.Header) error {
	for name, values := range h {
		for _, v := range values {
			if !httpguts.ValidHeaderFieldValue(v) {
				return &headerError{name: name}
			}
		}
	}
	return nil
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// retryLogger routes go-retryablehttp's own log lines to tflog. It has no
// request context, so it logs with the context given to New, with the same
// token masks. Values are logged as strings so the masks apply to them.
type retryLogger struct{ ctx context.Context }

func (l retryLogger) Error(msg string, kv ...any) { tflog.Warn(l.own(), l.msg(msg), l.fields(kv)) }
func (l retryLogger) Warn(msg string, kv ...any)  { tflog.Warn(l.own(), l.msg(msg), l.fields(kv)) }
func (l retryLogger) Info(msg string, kv ...any)  { tflog.Info(l.own(), l.msg(msg), l.fields(kv)) }
func (l retryLogger) Debug(msg string, kv ...any) { tflog.Debug(l.own(), l.msg(msg), l.fields(kv)) }

// own gives one log line its own copy of the logger's fields: masking
// rewrites them in place, and every request in flight logs through this one
// context. SetField copies them, so the shared ones are only ever read.
func (l retryLogger) own() context.Context {
	return tflog.SetField(l.ctx, "http_client", "go-retryablehttp")
}

func (retryLogger) msg(m string) string { return "GitLab HTTP client: " + m }

func (retryLogger) fields(kv []any) map[string]any {
	out := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
	}
	return out
}
