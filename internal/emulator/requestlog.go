package emulator

import (
	"net/url"
	"slices"
	"strings"
)

// Request is one logged /api/v4 request.
type Request struct {
	Method   string `json:"method"`
	Path     string `json:"path"` // escaped, as sent: "/api/v4/projects/g%2Fp"
	RawQuery string `json:"raw_query"`
	// Status is the answer's status code, 0 when the connection was closed
	// without one (a drop or a lost response).
	Status int `json:"status"`
	// Fault names the injected fault, "" for none: "429", "500",
	// "502_html", "drop" (not run), "lost_response" (run, answer lost) or
	// "500_after_run" (run, answered 500).
	Fault string `json:"fault,omitempty"`
}

// logRequest runs before the answer is written, so a client that has its
// answer always finds the request in the log.
func (s *Server) logRequest(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// Requests returns the log in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// ResetRequests empties the log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// CountRequests counts logged requests with the given method ("" for any)
// whose unescaped path ends with pathSuffix.
func (s *Server) CountRequests(method, pathSuffix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, req := range s.requests {
		if method != "" && req.Method != method {
			continue
		}
		path, err := url.PathUnescape(req.Path)
		if err != nil {
			path = req.Path
		}
		if strings.HasSuffix(path, pathSuffix) {
			n++
		}
	}
	return n
}

// ClientCertSeen reports whether any request so far came with a TLS client
// certificate.
func (s *Server) ClientCertSeen() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clientCertSeen
}
