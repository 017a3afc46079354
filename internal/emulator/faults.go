package emulator

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Faults make the server misbehave the ways gitlab-api.md
// ("Rate limiting and server errors") says a real one does. For each request
// that Match selects, one random draw picks at most one fault; the rates are
// cumulative in the order of the fields (their sum should not exceed 1).
type Faults struct {
	// Seed makes the draws deterministic; 0 seeds from the clock.
	Seed int64
	// Rate429 answers 429 without running the request.
	Rate429 float64
	// RetryAfter is the Retry-After value in seconds. GitLab sends the
	// seconds left in the rate-limit window, at least 1: smaller values are
	// sent as 1.
	RetryAfter int
	// Rate500 answers 500 {"message":"500 Internal Server Error"} without
	// running the request.
	Rate500 float64
	// Rate502HTML answers 502 with a proxy's HTML page, without running the request.
	Rate502HTML float64
	// RateDrop closes the connection without an answer, without running the
	// request. Go's http.Transport retries a GET (or other replayable request)
	// once by itself when a reused connection closes before any answer, so
	// such a request can appear twice in the log.
	RateDrop float64
	// RateLostResponse runs the request (its changes are committed), then
	// closes the connection without an answer.
	RateLostResponse float64
	// Rate500AfterRun runs the request (its changes are committed), then
	// answers 500 {"message":"500 Internal Server Error"}: an exception
	// raised after the write, such as while presenting a created key.
	Rate500AfterRun float64
	// Latency is added before every selected request.
	Latency time.Duration
	// RunFirst puts the Latency of a selected write (POST, PUT, PATCH,
	// DELETE) after the write has run instead of before it: a GitLab slow
	// to answer, which finishes a request whose client has gone (Puma does
	// not stop a request when its connection closes). A read's Latency
	// still comes first, so that it reads GitLab as late as it answers.
	RunFirst bool
	// Match selects the requests faults apply to, by method and unescaped
	// path (for example strings.HasSuffix(path, "/client_keys")); nil
	// selects every /api/v4 request.
	Match func(method, path string) bool
}

// SetFaults replaces the fault configuration and reseeds the random source.
// The zero Faults turns faults off.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.rng = newRand(f.Seed)
}

func newRand(seed int64) *rand.Rand {
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
}

type faultKind int

const (
	faultNone faultKind = iota
	faultThrottle
	faultServerError
	faultBadGateway
	faultDrop
	faultLostResponse
	faultServerErrorAfterRun
)

// String is the name used in the request log.
func (k faultKind) String() string {
	return [...]string{"", "429", "500", "502_html", "drop", "lost_response", "500_after_run"}[k]
}

type faultPlan struct {
	kind       faultKind
	latency    time.Duration
	retryAfter int
	runFirst   bool
}

func (s *Server) planFault(method, path string) faultPlan {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	// Match is caller code: it runs without the lock so it may use the Server.
	if f.Match != nil && !f.Match(method, path) {
		return faultPlan{}
	}
	plan := faultPlan{latency: f.Latency, retryAfter: f.RetryAfter,
		runFirst: f.RunFirst && method != http.MethodGet && method != http.MethodHead}
	rates := []struct {
		rate float64
		kind faultKind
	}{
		{f.Rate429, faultThrottle},
		{f.Rate500, faultServerError},
		{f.Rate502HTML, faultBadGateway},
		{f.RateDrop, faultDrop},
		{f.RateLostResponse, faultLostResponse},
		{f.Rate500AfterRun, faultServerErrorAfterRun},
	}
	var sum float64
	for _, r := range rates {
		sum += r.rate
	}
	if sum <= 0 {
		return plan
	}
	s.mu.Lock()
	x := s.rng.Float64()
	s.mu.Unlock()
	for _, r := range rates {
		if x < r.rate {
			plan.kind = r.kind
			break
		}
		x -= r.rate
	}
	return plan
}

// response is the canned answer of a fault that does not run the request.
func (p faultPlan) response(now time.Time) (response, bool) {
	switch p.kind {
	case faultThrottle:
		return throttled(p.retryAfter, now), true
	case faultServerError:
		return internalServerError(), true
	case faultBadGateway:
		h := http.Header{"Content-Type": {"text/html"}}
		return response{status: http.StatusBadGateway, header: h, raw: []byte(badGatewayPage)}, true
	}
	return response{}, false
}

const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// throttled is Rack::Attack's answer as GitLab configures it: plain text and
// the RateLimit-* headers.
func throttled(retryAfter int, now time.Time) response {
	retryAfter = max(retryAfter, 1)
	reset := now.Add(time.Duration(retryAfter) * time.Second)
	// Written with GitLab's spelling; Go clients canonicalize on reading anyway.
	h := http.Header{
		"Content-Type":        {"text/plain"},
		"Retry-After":         {strconv.Itoa(retryAfter)},
		"RateLimit-Name":      {"throttle_authenticated_api"},
		"RateLimit-Limit":     {"2000"},
		"RateLimit-Observed":  {"2001"},
		"RateLimit-Remaining": {"0"},
		"RateLimit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
		"RateLimit-ResetTime": {reset.UTC().Format(http.TimeFormat)},
	}
	return response{status: http.StatusTooManyRequests, header: h, raw: []byte("Retry later\n")}
}

// wait reports false when the client went away first.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the connection without writing anything. Hijacking
// works for HTTP/1.1; on HTTP/2 aborting the handler resets the stream.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
