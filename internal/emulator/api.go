package emulator

import (
	"net/http"
	"net/url"
	"strings"
)

type endpoint int

const (
	epUser endpoint = iota + 1
	epProject
	epSettingsGet
	epSettingsPatch
	epSettingsPut
	epKeysList
	epKeysCreate
	epKeyDelete
	epGroup
	epGroupProjects
)

// route is a matched API route with its still-unresolved path parameters.
type route struct {
	ep     endpoint
	id     string // decoded :id of a project or a group, a number or a full path
	keyRef string // decoded :key_id
}

// routes are the API routes the emulator serves, below /api/v4, written as
// GitLab's Grape endpoints declare them: a segment ":name" is a path
// parameter.
var routes = []struct {
	method, path string
	ep           endpoint
}{
	{http.MethodGet, "user", epUser},
	{http.MethodGet, "projects/:id", epProject},
	{http.MethodGet, "projects/:id/error_tracking/settings", epSettingsGet},
	{http.MethodPatch, "projects/:id/error_tracking/settings", epSettingsPatch},
	{http.MethodPut, "projects/:id/error_tracking/settings", epSettingsPut},
	{http.MethodGet, "projects/:id/error_tracking/client_keys", epKeysList},
	{http.MethodPost, "projects/:id/error_tracking/client_keys", epKeysCreate},
	{http.MethodDelete, "projects/:id/error_tracking/client_keys/:key_id", epKeyDelete},
	{http.MethodGet, "groups/:id", epGroup},
	{http.MethodGet, "groups/:id/projects", epGroupProjects},
}

// matchRoute works on the escaped path because GitLab accepts a project path
// only URL-encoded into one segment: "group%2Fproject" is a project, while a
// raw "group/project" makes the route unknown.
func matchRoute(method, escapedPath string) (route, bool) {
	rest, ok := strings.CutPrefix(normalizePath(escapedPath), apiPrefix+"/")
	if !ok {
		return route{}, false
	}
	seg := strings.Split(rest, "/")
	decoded := make([]string, len(seg))
	for i, s := range seg {
		d, err := url.PathUnescape(s)
		if err != nil || d == "" {
			return route{}, false
		}
		decoded[i] = d
	}
	for _, r := range routes {
		want := strings.Split(r.path, "/")
		if r.method != method || !matchSegments(seg, want) {
			continue
		}
		rt := route{ep: r.ep}
		for i, w := range want {
			switch w {
			case ":key_id":
				rt.keyRef = decoded[i]
			case ":id":
				rt.id = decoded[i]
			}
		}
		return rt, true
	}
	// GitLab's catch-all route answers a known path with another method the
	// same way as an unknown path.
	return route{}, false
}

// matchSegments matches the escaped segments to a route's; a parameter
// matches any segment.
func matchSegments(seg, want []string) bool {
	if len(seg) != len(want) {
		return false
	}
	for i, w := range want {
		if !strings.HasPrefix(w, ":") && seg[i] != w {
			return false
		}
	}
	return true
}

// normalizePath is Grape's Router.normalize_path: repeated slashes are
// squeezed and trailing ones removed, so "settings/" is "settings".
func normalizePath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if p != "/" {
		p = strings.TrimRight(p, "/")
	}
	return p
}

// handleAPI runs one API request through GitLab's order of checks
// (gitlab-api.md, "Order of checks") and the endpoint body.
func (s *Server) handleAPI(r *http.Request) response {
	rt, ok := matchRoute(r.Method, r.URL.EscapedPath())
	if !ok {
		return unknownRoute()
	}
	// The body is read before locking so a slow client cannot stall the world.
	ps, parseErr := readParams(r)

	s.mu.Lock()
	defer s.mu.Unlock()

	u, tok, sent := s.authenticateLocked(r)
	// The Groups API authenticates only non-GET requests: a GET without a
	// token is anonymous. A token that is sent must be valid everywhere.
	groups := rt.ep == epGroup || rt.ep == epGroupProjects
	if u == nil && (sent || !groups) {
		return messageResponse(http.StatusUnauthorized, "401 Unauthorized")
	}
	if tok != nil {
		if resp, denied := checkScope(tok, r.Method, rt.ep); denied {
			return resp
		}
	}
	base := baseURL(r)
	switch {
	case rt.ep == epUser:
		return jsonResponse(http.StatusOK, newUserEntity(u, base))
	case groups:
		return s.serveGroupsLocked(rt, ps, r, u)
	}

	id, found := s.projects.findFollowing(rt.id)
	p := s.projects.byID[id]
	if !found || !s.projectVisibleLocked(p, u) {
		// Not visible is indistinguishable from missing, so private projects do not leak.
		return messageResponse(http.StatusNotFound, "404 Project Not Found")
	}
	if rt.ep == epProject {
		return jsonResponse(http.StatusOK, s.projectWithAccessEntityLocked(p, u, base))
	}
	if !s.canAdminOperationsLocked(p, u) {
		return messageResponse(http.StatusForbidden, "403 Forbidden")
	}
	if parseErr != nil {
		return jsonResponse(http.StatusBadRequest, errorBody{Error: parseErr.Error()})
	}

	v := validator{params: ps}
	switch rt.ep {
	case epSettingsGet:
		return s.getSettingsLocked(p)
	case epSettingsPatch, epSettingsPut:
		// The same parameters, but only PUT requires integrated.
		active := v.boolean("active", true, false)
		integrated := v.boolean("integrated", rt.ep == epSettingsPut, true)
		if resp, bad := v.failed(); bad {
			return resp
		}
		if rt.ep == epSettingsPut {
			return s.putSettingsLocked(p, *active, integrated)
		}
		return s.patchSettingsLocked(p, *active, integrated)
	case epKeysList:
		pr, zero := kaminariPageRequest(ps)
		if zero {
			return internalServerError()
		}
		return s.listKeysLocked(p, pr, r, rt.id)
	case epKeysCreate:
		return s.createKeyLocked(p)
	case epKeyDelete:
		return s.deleteKeyLocked(p, rt.keyRef)
	}
	return unknownRoute()
}

// authenticateLocked accepts the ways GitLab takes a personal access token:
// the PRIVATE-TOKEN header, an OAuth-style bearer token, or a query
// parameter. sent reports whether any token came at all.
func (s *Server) authenticateLocked(r *http.Request) (u *user, tok *token, sent bool) {
	secret := r.Header.Get("Private-Token")
	if secret == "" {
		if auth := r.Header.Get("Authorization"); len(auth) > len("Bearer ") && strings.EqualFold(auth[:len("Bearer ")], "Bearer ") {
			secret = strings.TrimSpace(auth[len("Bearer "):])
		}
	}
	if secret == "" {
		q := r.URL.Query()
		secret = q.Get("private_token")
		if secret == "" {
			secret = q.Get("access_token")
		}
	}
	if secret == "" {
		return nil, nil, false
	}
	tok, ok := s.tokens[secret]
	if !ok {
		return nil, nil, true
	}
	u, ok = s.users[tok.userID]
	if !ok {
		return nil, nil, true
	}
	return u, tok, true
}

// checkScope mirrors GitLab's token scope check, which runs right after
// authentication and before the project is looked up: "api" allows
// everything, "read_api" only reads, "read_user" only GET /user.
func checkScope(tok *token, method string, ep endpoint) (response, bool) {
	read := method == http.MethodGet || method == http.MethodHead
	switch {
	case tok.hasScope("api"),
		read && tok.hasScope("read_api"),
		read && ep == epUser && tok.hasScope("read_user"):
		return response{}, false
	}
	required := "api"
	if read {
		required = "api read_api"
		if ep == epUser {
			required += " read_user"
		}
	}
	return jsonResponse(http.StatusForbidden, insufficientScope{
		Error:            "insufficient_scope",
		ErrorDescription: "The request requires higher privileges than provided by the access token.",
		Scope:            required,
	}), true
}

type insufficientScope struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	Scope            string `json:"scope"`
}

// baseURL is the scheme and host the client used, for web_url and Link headers.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

type userEntity struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	State    string `json:"state"`
	WebURL   string `json:"web_url"`
	// GitLab shows is_admin only to users who can read all resources.
	IsAdmin *bool `json:"is_admin,omitempty"`
}

func newUserEntity(u *user, base string) userEntity {
	e := userEntity{ID: u.id, Username: u.username, Name: u.username, State: "active", WebURL: base + "/" + u.username}
	if u.admin {
		yes := true
		e.IsAdmin = &yes
	}
	return e
}
