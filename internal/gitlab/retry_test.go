package gitlab

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// sequence answers the n-th request (from 1) with steps[n-1], and the last
// step for any further request.
func sequence(t *testing.T, steps ...func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		writeRaw(w, code, body)
	}
}

func drop(w http.ResponseWriter, _ *http.Request) { dropConnection(w) }

const settingsJSON = `{"active":true,"integrated":false,"project_name":null,"sentry_external_url":null,"api_url":null}`

func TestIdempotentRequestsRetry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []func(http.ResponseWriter, *http.Request)
	}{
		{"429 with Retry-After 0", []func(http.ResponseWriter, *http.Request){
			status(429, "Retry later\n", "Retry-After", "0"),
			status(200, settingsJSON),
		}},
		{"429 with RateLimit-Reset in the past", []func(http.ResponseWriter, *http.Request){
			status(429, "Retry later\n", "RateLimit-Reset", strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)),
			status(200, settingsJSON),
		}},
		{"5xx", []func(http.ResponseWriter, *http.Request){
			status(500, `{"message":"500 Internal Server Error"}`),
			status(502, "<html>Bad Gateway</html>"),
			status(503, "<html>Service Unavailable</html>"),
			status(504, "<html>Gateway Timeout</html>"),
			status(200, settingsJSON),
		}},
		{"dropped connection", []func(http.ResponseWriter, *http.Request){
			drop, drop, status(200, settingsJSON),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := sequence(t, tt.steps...)
			c := newTestClient(t, srv.URL)
			for _, call := range []func() error{
				func() error { _, err := c.GetSettings(t.Context(), "1"); return err },
				func() error { _, err := c.PatchSettings(t.Context(), "1", true, nil); return err },
			} {
				n.Store(0)
				if err := call(); err != nil {
					t.Fatalf("want success after retries, got %v", err)
				}
				if got := int(n.Load()); got < len(tt.steps) {
					t.Fatalf("server saw %d requests, want at least %d", got, len(tt.steps))
				}
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	page := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
		strings.Repeat("<!-- padding -->\r\n", 30) + "</body>\r\n</html>\r\n"
	srv, n := sequence(t, status(502, page))
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retries = 3 })

	_, err := c.ListClientKeys(t.Context(), "g/p")
	var e *Error
	if !asError(err, &e) {
		t.Fatalf("want *Error, got %v", err)
	}
	if e.Attempts != 4 || n.Load() != 4 || e.StatusCode != 502 {
		t.Fatalf("Attempts = %d, requests = %d, status = %d; want 4, 4, 502", e.Attempts, n.Load(), e.StatusCode)
	}
	want := `list the client keys of project "g/p" (GET projects/g%2Fp/error_tracking/client_keys): ` +
		"gave up after 4 attempts; last answer: 502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> <body>"
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Error() = %q\nwant prefix %q", err.Error(), want)
	}
	if len([]rune(e.Message)) > maxBodyMessage+1 || !strings.HasSuffix(e.Message, "…") {
		t.Fatalf("Message not trimmed: %q", e.Message)
	}

	// Rate limited until the end.
	srv429, _ := sequence(t, status(429, "Retry later\n", "Retry-After", "0"))
	_, err = newTestClient(t, srv429.URL, func(cfg *Config) { cfg.Retries = 2 }).GetSettings(t.Context(), "1")
	if KindOf(err) != KindRateLimited || !strings.Contains(err.Error(), "gave up after 3 attempts; last answer: 429 Too Many Requests: Retry later") {
		t.Fatalf("want KindRateLimited after 3 attempts, got %v", err)
	}

	// Connection dropped until the end.
	srvDrop, _ := sequence(t, drop)
	_, err = newTestClient(t, srvDrop.URL, func(cfg *Config) { cfg.Retries = 2 }).GetSettings(t.Context(), "1")
	if !asError(err, &e) || e.StatusCode != 0 || e.Kind != KindNoAnswer || !strings.Contains(err.Error(), "gave up after") ||
		!strings.Contains(err.Error(), "last error:") || !strings.Contains(err.Error(), "EOF") {
		t.Fatalf("want a transport error after retries, got %v", err)
	}
}

func TestContextCancelStopsRetrying(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	// GitLab asks for a long wait; the caller gives up meanwhile.
	srv, n := sequence(t, func(w http.ResponseWriter, r *http.Request) {
		cancel()
		w.Header().Set("Retry-After", "30")
		writeRaw(w, 503, "<html>busy</html>")
	})
	c := newTestClient(t, srv.URL)
	start := time.Now()
	_, err := c.GetSettings(ctx, "1")
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("took %v to stop", elapsed)
	}
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Fatalf("want context.Canceled after one request, got %v after %d", err, n.Load())
	}
	var e *Error
	if !asError(err, &e) || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("want an *Error saying it was interrupted, got %v", err)
	}

	// Already canceled: nothing is sent.
	_, err = c.GetSettings(ctx, "1")
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Fatalf("want context.Canceled without a request, got %v", err)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	now := time.Now()
	header := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		ok     bool
	}{
		{"seconds", header("Retry-After", "7"), 7 * time.Second, true},
		{"zero", header("Retry-After", "0"), 0, true},
		{"date", header("Retry-After", now.Add(90*time.Second).UTC().Format(http.TimeFormat)), 89 * time.Second, true},
		{"reset", header("RateLimit-Reset", strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)), 29 * time.Second, true},
		{"retry-after wins", header("Retry-After", "2", "RateLimit-Reset", strconv.FormatInt(now.Add(time.Hour).Unix(), 10)), 2 * time.Second, true},
		{"garbage", header("Retry-After", "soon"), 0, false},
		{"none", header(), 0, false},
	}
	for _, tt := range tests {
		got, ok := serverDelay(tt.header, now)
		if ok != tt.ok || got < tt.want || got > tt.want+time.Second {
			t.Errorf("%s: serverDelay = %v, %v; want about %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}

	for _, w := range []waits{{}, {serverMax: 5 * time.Millisecond}} {
		for attempt := range 12 {
			d := w.backoff(100*time.Millisecond, 10*time.Second, attempt, nil)
			step := min(100*time.Millisecond<<attempt, 10*time.Second)
			if d < step/2 || d > step {
				t.Errorf("%+v, attempt %d: backoff %v outside [%v, %v]", w, attempt, d, step/2, step)
			}
		}
	}

	// GitLab's word is honoured as sent, unless a cap is configured.
	throttled := &http.Response{StatusCode: http.StatusTooManyRequests, Header: header("Retry-After", "7")}
	if d := (waits{}).backoff(time.Millisecond, 4*time.Millisecond, 0, throttled); d < 7*time.Second || d > 7*time.Second+time.Millisecond {
		t.Errorf("Retry-After 7: backoff %v, want 7s plus at most 1ms of jitter", d)
	}
	capped := waits{serverMax: 5 * time.Millisecond}
	if d := capped.backoff(time.Millisecond, 4*time.Millisecond, 0, throttled); d < 5*time.Millisecond || d > 6*time.Millisecond {
		t.Errorf("Retry-After 7 capped at 5ms: backoff %v, want 5ms plus at most 1ms of jitter", d)
	}
}

// A client waits as long as GitLab's Retry-After says, unless
// Config.ServerWaitMax caps it.
func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name          string
		serverWaitMax time.Duration
		atLeast       time.Duration
		below         time.Duration
	}{
		{"as sent", 0, time.Second, time.Minute},
		{"capped", 10 * time.Millisecond, 10 * time.Millisecond, time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := sequence(t, status(429, "Retry later\n", "Retry-After", "1"), status(200, settingsJSON))
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.ServerWaitMax = tt.serverWaitMax })
			start := time.Now()
			if _, err := c.GetSettings(t.Context(), "1"); err != nil {
				t.Fatal(err)
			}
			if elapsed := time.Since(start); n.Load() != 2 || elapsed < tt.atLeast || elapsed >= tt.below {
				t.Fatalf("%d requests in %v; want 2 in at least %v and less than %v", n.Load(), elapsed, tt.atLeast, tt.below)
			}
		})
	}
}

func TestRetryPolicies(t *testing.T) {
	t.Parallel()
	refused := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{
		Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED),
	}}
	reset := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{
		Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET),
	}}
	eof := &url.Error{Op: "Post", URL: "https://x", Err: io.EOF}
	unknownCA := &url.Error{Op: "Get", URL: "https://x", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}
	dial := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	noSuchHost := dial(&net.DNSError{Err: "no such host", Name: "gitlab.invalid", IsNotFound: true})
	dnsTimeout := dial(&net.DNSError{Err: "i/o timeout", Name: "gitlab.example.com", IsTimeout: true})
	unreachable := dial(os.NewSyscallError("connect", syscall.EHOSTUNREACH))
	plainHTTP := &url.Error{Op: "Get", URL: "https://x", Err: http.ErrSchemeMismatch}
	notTLS := &url.Error{Op: "Get", URL: "https://x", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}}
	noClientCert := &url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "remote error", Err: errors.New("tls: certificate required")}}
	versions := &url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "remote error", Err: errors.New("tls: protocol version not supported")}}
	tlsOther := &url.Error{Op: "Get", URL: "https://x", Err: errors.New("tls: server selected unsupported protocol version 301")}
	badHeader := &url.Error{Op: "Get", URL: "https://x", Err: &headerError{name: "Private-Token"}}
	answer := func(code int) *http.Response { return &http.Response{StatusCode: code} }

	tests := []struct {
		name       string
		resp       *http.Response
		err        error
		idempotent bool
		post       bool
	}{
		{"200", answer(200), nil, false, false},
		{"404", answer(404), nil, false, false},
		{"429", answer(429), nil, true, true},
		{"500", answer(500), nil, true, false},
		{"501", answer(501), nil, false, false},
		{"502", answer(502), nil, true, false},
		{"503", answer(503), nil, true, false},
		{"connection refused", nil, refused, true, true},
		{"connection reset", nil, reset, true, false},
		{"closed without answer", nil, eof, true, false},
		{"unknown CA", nil, unknownCA, false, false},
		{"client certificate refused", nil, noClientCert, false, false},
		{"no common TLS version", nil, versions, false, false},
		{"other TLS failure", nil, tlsOther, false, false},
		{"server does not speak TLS", nil, notTLS, false, false},
		{"plain HTTP server", nil, plainHTTP, false, false},
		{"host does not exist", nil, noSuchHost, false, false},
		{"DNS timeout", nil, dnsTimeout, true, true},
		{"no route to host", nil, unreachable, true, true},
		{"invalid header value", nil, badHeader, false, false},
	}
	first := withCall(t.Context(), &callState{attempts: 1})
	for _, tt := range tests {
		if got, _ := retryIdempotent(first, tt.resp, tt.err); got != tt.idempotent {
			t.Errorf("%s: idempotent policy retries = %v, want %v", tt.name, got, tt.idempotent)
		}
		if got, _ := retryPOST(first, tt.resp, tt.err); got != tt.post {
			t.Errorf("%s: POST policy retries = %v, want %v", tt.name, got, tt.post)
		}
	}

	// A connection that cannot be made is tried 3 times, however many
	// retries are allowed; a lost one as often as they allow.
	third := withCall(t.Context(), &callState{attempts: 3})
	for _, err := range []error{refused, unreachable, dnsTimeout} {
		if retry, _ := retryIdempotent(third, nil, err); retry {
			t.Errorf("%v: retried after the third attempt", err)
		}
		if retry, _ := retryPOST(third, nil, err); retry {
			t.Errorf("%v: POST retried after the third attempt", err)
		}
	}
	if retry, _ := retryIdempotent(third, nil, reset); !retry {
		t.Errorf("connection reset: not retried after the third attempt")
	}
	// Without the call's record the attempts cannot be counted: a
	// connection that cannot be made is not retried, rather than retried
	// beyond the cap.
	for _, err := range []error{refused, unreachable, dnsTimeout} {
		if retry, _ := retryIdempotent(t.Context(), nil, err); retry {
			t.Errorf("%v: retried without a record of the call's attempts", err)
		}
		if retry, _ := retryPOST(t.Context(), nil, err); retry {
			t.Errorf("%v: POST retried without a record of the call's attempts", err)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if retry, err := retryIdempotent(ctx, answer(503), nil); retry || !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: retry %v, err %v; want no retry and the context error", retry, err)
	}
}

// Failures that come back on every attempt are sent once; a connection that
// cannot be made is tried 3 times, with retries = 10. The acceptance tests
// count the same at the server.
func TestConnectionFailuresAttempts(t *testing.T) {
	t.Parallel()

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	err := newTestClient(t, closedURL).CurrentUser(t.Context())
	var e *Error
	if !asError(err, &e) || e.Kind != KindUnreachable || e.Attempts != maxConnectAttempts ||
		!strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), strings.TrimPrefix(closedURL, "http://")) {
		t.Errorf("closed port: want 3 attempts naming the address, got %v (%v)", err, KindOf(err))
	}

	plain, _ := sequence(t, status(200, `{"id":1}`))
	err = newTestClient(t, strings.Replace(plain.URL, "http://", "https://", 1)).CurrentUser(t.Context())
	if KindOf(err) != KindPlainHTTP || !asError(err, &e) || e.Attempts != 1 {
		t.Errorf("https:// to a plain HTTP server: want one attempt, got %v (%v)", err, KindOf(err))
	}

	ssh, err := emulator.NewGreeting("SSH-2.0-OpenSSH_9.6\r\n")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ssh.Close)
	err = newTestClient(t, "https://"+ssh.Addr()).CurrentUser(t.Context())
	if KindOf(err) != KindNotTLS || !asError(err, &e) || e.Attempts != 1 || ssh.Accepted() != 1 {
		t.Errorf("https:// to a server that does not speak TLS: want one attempt, got %v (%v), %d connections", err, KindOf(err), ssh.Accepted())
	}

	srv, n := sequence(t, status(200, `{"id":1}`))
	err = newTestClient(t, srv.URL, func(c *Config) { c.Headers = map[string]string{"X-Proxy-Auth": "a\nb"} }).CurrentUser(t.Context())
	if KindOf(err) != KindInvalidRequest || !asError(err, &e) || e.Attempts != 1 || n.Load() != 0 ||
		!strings.Contains(err.Error(), `header "X-Proxy-Auth"`) || strings.Contains(err.Error(), "a\nb") {
		t.Errorf("invalid header value: want one attempt that sends nothing and names the header, got %v (%v), %d requests", err, KindOf(err), n.Load())
	}
}
