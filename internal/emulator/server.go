// Package emulator is an in-memory GitLab that serves the error-tracking part of
// the REST API exactly as gitlab-api.md (in this directory) describes it: the order of
// checks, status codes and bodies, pagination headers, the 200-with-error answer,
// the automatically created client key, the feature flag, roles and token scopes;
// and, for listing a group's projects, GET /groups/:id and GET /groups/:id/projects.
//
// Projects and groups are private. A project path names its group:
// AddProject("acme/team/app") creates the groups "acme" and "acme/team" when
// they do not exist. Roles given on a group apply to its subgroups and projects.
//
// It also injects faults (429, 5xx, dropped connections, lost responses) and keeps
// a log of the requests it received, so tests can assert on what a client did.
// Silent (silent.go) is a GitLab that accepts connections and never answers.
// A Server is an http.Handler: run it with httptest or with the gitlab-emulator
// command.
//
// Besides the Go methods, unauthenticated JSON routes under /-/emulator/
// change the world from outside the process (demos, scripts):
//
//	POST   /-/emulator/users                           {"username","admin","token","scopes"} → {"id"}
//	POST   /-/emulator/projects                        {"path","integrated_flag"} → {"id"}
//	DELETE /-/emulator/projects/{project}
//	PUT    /-/emulator/projects/{project}/members/{user_id}  {"role":"maintainer"}
//	PUT    /-/emulator/projects/{project}/archived     {"archived":true}
//	PUT    /-/emulator/projects/{project}/group        {"group":"acme/other"} → {"id","path_with_namespace"}
//	POST   /-/emulator/groups                          {"path":"acme/team"} → {"id"}
//	PUT    /-/emulator/groups/{group}/members/{user_id}      {"role":"owner"}
//	PUT    /-/emulator/projects/{project}/feature_flag {"integrated":true}
//	GET|PUT|DELETE /-/emulator/projects/{project}/settings   Settings as JSON; PUT merges the fields given
//	GET|POST       /-/emulator/projects/{project}/keys
//	PATCH|DELETE   /-/emulator/keys/{key_id}           PATCH: {"active":false}
//	GET|DELETE     /-/emulator/requests                GET: {"count","requests"}
//	PUT    /-/emulator/faults                          {"rate_429","retry_after","rate_500",...,"latency":"20ms","run_first","method","path_suffix"}
//
// {project} and {group} are an id or a full path, URL-encoded or not.
package emulator

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Role is a project membership level, ordered like GitLab's access levels.
type Role int

// Membership levels. RoleNone means "not a member".
const (
	RoleNone Role = iota
	RoleGuest
	RoleReporter
	RoleDeveloper
	RoleMaintainer
	RoleOwner
)

var roleNames = [...]string{"none", "guest", "reporter", "developer", "maintainer", "owner"}

// String returns the lower-case name of the role.
func (r Role) String() string {
	if r < RoleNone || int(r) >= len(roleNames) {
		return "unknown"
	}
	return roleNames[r]
}

// ParseRole is the inverse of Role.String.
func ParseRole(name string) (Role, bool) {
	for i, n := range roleNames {
		if strings.EqualFold(n, name) {
			return Role(i), true
		}
	}
	return RoleNone, false
}

// DefaultDSNHost is the host:port used in sentry_dsn when Options.DSNHost is empty.
const DefaultDSNHost = "observe.gitlab.example:443"

// Options configure a new Server.
type Options struct {
	// DefaultIntegratedFlag is the value of the per-project
	// integrated_error_tracking feature flag for new projects.
	DefaultIntegratedFlag bool
	// DSNHost is the host:port used in sentry_dsn, DefaultDSNHost when empty.
	DSNHost string
	// Clock gives the creation time of projects and groups; time.Now when nil.
	Clock func() time.Time
}

const (
	apiPrefix   = "/api/v4"
	adminPrefix = "/-/emulator/"
)

// Server is the emulated GitLab instance. It is safe for concurrent use.
type Server struct {
	opts  Options
	admin http.Handler

	mu             sync.Mutex
	users          map[int64]*user
	tokens         map[string]*token
	projects       registry[*project]
	groups         registry[*group]
	keys           map[int64]*clientKey
	lastUserID     int64
	lastKeyID      int64 // one sequence for all projects, as in GitLab
	requests       []Request
	clientCertSeen bool
	faults         Faults
	rng            *rand.Rand
}

// New returns an empty world: no users, no projects, no faults.
func New(opts Options) *Server {
	if opts.DSNHost == "" {
		opts.DSNHost = DefaultDSNHost
	}
	s := &Server{
		opts:     opts,
		users:    map[int64]*user{},
		tokens:   map[string]*token{},
		projects: newRegistry[*project](),
		groups:   newRegistry[*group](),
		keys:     map[int64]*clientKey{},
	}
	s.rng = newRand(0)
	s.admin = s.adminHandler()
	return s
}

func (s *Server) now() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock().UTC()
	}
	return time.Now().UTC()
}

// ServeHTTP serves the GitLab API under /api/v4 and the emulator's own
// administration routes under /-/emulator/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		s.mu.Lock()
		s.clientCertSeen = true
		s.mu.Unlock()
	}
	path := r.URL.EscapedPath()
	switch {
	case strings.HasPrefix(path, adminPrefix):
		s.admin.ServeHTTP(w, r)
	case path == apiPrefix || strings.HasPrefix(path, apiPrefix+"/"):
		s.serveAPI(w, r)
	default:
		writeResponse(w, unknownRoute())
	}
}

// serveAPI applies the configured faults, runs the request and logs it.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	entry := Request{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery}
	plan := s.planFault(r.Method, r.URL.Path)
	entry.Fault = plan.kind.String()
	if plan.runFirst && plan.kind == faultNone {
		resp := s.handleAPI(r)
		entry.Status = resp.status
		s.logRequest(entry) // logged as it runs
		if wait(r.Context(), plan.latency) {
			writeResponse(w, resp)
		}
		return
	}
	if !wait(r.Context(), plan.latency) {
		s.logRequest(entry) // the client went away during the latency
		return
	}
	switch plan.kind {
	case faultDrop:
		s.logRequest(entry)
		dropConnection(w)
	case faultLostResponse:
		s.handleAPI(r) // committed; only the answer is lost
		s.logRequest(entry)
		dropConnection(w)
	case faultServerErrorAfterRun:
		s.handleAPI(r) // committed; the answer is an error
		resp := internalServerError()
		entry.Status = resp.status
		s.logRequest(entry)
		writeResponse(w, resp)
	default:
		resp, ok := plan.response(time.Now())
		if !ok {
			resp = s.handleAPI(r)
		}
		entry.Status = resp.status
		s.logRequest(entry)
		writeResponse(w, resp)
	}
}

// response is what an endpoint answers. Endpoints build it while holding the
// lock; it is written to the connection after the lock is released.
type response struct {
	status int
	header http.Header
	body   any    // JSON-encoded unless raw is set; nil means no body
	raw    []byte // a non-JSON body, its Content-Type in header
}

type messageBody struct {
	Message string `json:"message"`
}

type errorBody struct {
	Error string `json:"error"`
}

func jsonResponse(status int, body any) response {
	return response{status: status, body: body}
}

func messageResponse(status int, msg string) response {
	return jsonResponse(status, messageBody{Message: msg})
}

// internalServerError is what GitLab answers for an unexpected exception.
func internalServerError() response {
	return messageResponse(http.StatusInternalServerError, "500 Internal Server Error")
}

// unknownRoute is GitLab's catch-all route answer, which uses "error", not "message".
func unknownRoute() response {
	return jsonResponse(http.StatusNotFound, errorBody{Error: "404 Not Found"})
}

func writeResponse(w http.ResponseWriter, resp response) {
	for k, vs := range resp.header {
		w.Header()[k] = vs
	}
	if resp.raw != nil {
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.raw)
		return
	}
	if resp.body == nil {
		w.WriteHeader(resp.status)
		return
	}
	data, err := json.Marshal(resp.body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(data)
}
