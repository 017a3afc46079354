package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// adminHandler serves /-/emulator/: unauthenticated JSON routes that change
// the world the way GitLab's UI or an administrator would, for demos and for
// tests that drive a standalone emulator. They are not logged and never faulted.
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /-/emulator/users", s.adminAddUser)
	mux.HandleFunc("POST /-/emulator/projects", s.adminAddProject)
	mux.HandleFunc("POST /-/emulator/groups", s.adminAddGroup)
	mux.HandleFunc("PUT /-/emulator/groups/{group}/members/{user}", s.with("group", s.adminSetMember("group")))
	mux.HandleFunc("PUT /-/emulator/projects/{project}/archived", s.with("project", s.adminSetArchived))
	mux.HandleFunc("PUT /-/emulator/projects/{project}/group", s.with("project", s.adminMoveProject))
	mux.HandleFunc("DELETE /-/emulator/projects/{project}", s.with("project", s.adminDeleteProject))
	mux.HandleFunc("PUT /-/emulator/projects/{project}/members/{user}", s.with("project", s.adminSetMember("project")))
	mux.HandleFunc("PUT /-/emulator/projects/{project}/feature_flag", s.with("project", s.adminSetFlag))
	mux.HandleFunc("GET /-/emulator/projects/{project}/settings", s.with("project", s.adminGetSettings))
	mux.HandleFunc("PUT /-/emulator/projects/{project}/settings", s.with("project", s.adminSetSettings))
	mux.HandleFunc("DELETE /-/emulator/projects/{project}/settings", s.with("project", s.adminDeleteSettings))
	mux.HandleFunc("GET /-/emulator/projects/{project}/keys", s.with("project", s.adminListKeys))
	mux.HandleFunc("POST /-/emulator/projects/{project}/keys", s.with("project", s.adminAddKey))
	mux.HandleFunc("PATCH /-/emulator/keys/{key}", s.with("key", s.adminPatchKey))
	mux.HandleFunc("DELETE /-/emulator/keys/{key}", s.with("key", s.adminDeleteKey))
	mux.HandleFunc("GET /-/emulator/requests", s.adminRequests)
	mux.HandleFunc("DELETE /-/emulator/requests", s.adminResetRequests)
	mux.HandleFunc("PUT /-/emulator/faults", s.adminSetFaults)
	mux.HandleFunc("/-/emulator/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, "no emulator route "+r.Method+" "+r.URL.Path)
	})
	return mux
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	writeResponse(w, jsonResponse(status, v))
}

func adminError(w http.ResponseWriter, status int, msg string) {
	adminJSON(w, status, errorBody{Error: msg})
}

// decodeAdmin rejects unknown fields so a typo in a demo script fails loudly.
// An empty body decodes to the zero value.
func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		adminError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return false
	}
	return true
}

// with resolves the path value {kind} (see pathID) before next.
func (s *Server) with(kind string, next func(http.ResponseWriter, *http.Request, int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if id, ok := s.pathID(w, r, kind); ok {
			next(w, r, id)
		}
	}
}

// pathID resolves the path value {kind}: a "project" or a "group" (an id or
// a full path, URL-encoded or not in one segment), a "user" or a "key" (an
// id); or answers 404.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, kind string) (int64, bool) {
	ref := r.PathValue(kind)
	s.mu.Lock()
	id, ok := s.findIDLocked(kind, ref)
	s.mu.Unlock()
	if !ok {
		adminError(w, http.StatusNotFound, fmt.Sprintf("no %s %q", kind, ref))
	}
	return id, ok
}

func (s *Server) findIDLocked(kind, ref string) (int64, bool) {
	switch kind {
	case "project":
		return s.projects.findFollowing(ref)
	case "group":
		return s.groups.find(ref)
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	ok := false
	switch kind {
	case "user":
		_, ok = s.users[id]
	case "key":
		_, ok = s.keys[id]
	}
	return id, ok && err == nil
}

// adminCreated answers what creating a project or a group (at path) gave:
// 201 with its id, 409 when the path is another's, 400 when it is invalid.
func adminCreated(w http.ResponseWriter, id int64, err error) {
	switch {
	case errors.Is(err, errPathTaken):
		adminError(w, http.StatusConflict, err.Error())
	case err != nil:
		adminError(w, http.StatusBadRequest, err.Error())
	default:
		adminJSON(w, http.StatusCreated, idBody{ID: id})
	}
}

type idBody struct {
	ID int64 `json:"id"`
}

func (s *Server) adminAddUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Username string   `json:"username"`
		Admin    bool     `json:"admin"`
		Token    string   `json:"token"`
		Scopes   []string `json:"scopes"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	if body.Username == "" {
		adminError(w, http.StatusBadRequest, "username is required")
		return
	}
	id := s.AddUser(body.Username, body.Admin)
	if body.Token != "" {
		s.AddToken(id, body.Token, body.Scopes...)
	}
	adminJSON(w, http.StatusCreated, idBody{ID: id})
}

func (s *Server) adminAddProject(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Path           string `json:"path"`
		IntegratedFlag *bool  `json:"integrated_flag"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	flag := s.opts.DefaultIntegratedFlag
	if body.IntegratedFlag != nil {
		flag = *body.IntegratedFlag
	}
	id, err := s.CreateProject(body.Path, flag)
	adminCreated(w, id, err)
}

func (s *Server) adminDeleteProject(w http.ResponseWriter, _ *http.Request, id int64) {
	s.DeleteProject(id)
	w.WriteHeader(http.StatusNoContent)
}

// adminSetMember sets {user}'s role in a "project" or a "group" from a
// {"role"} body; RoleNone removes the membership.
func (s *Server) adminSetMember(kind string) func(http.ResponseWriter, *http.Request, int64) {
	return func(w http.ResponseWriter, r *http.Request, id int64) {
		userID, role, ok := s.adminMembership(w, r)
		if !ok {
			return
		}
		m := membership{UserID: userID, Role: role.String()}
		if kind == "group" {
			s.SetGroupRole(id, userID, role)
			m.GroupID = id
		} else {
			s.SetRole(id, userID, role)
			m.ProjectID = id
		}
		adminJSON(w, http.StatusOK, m)
	}
}

// membership is the answer of adminSetMember: one of ProjectID and GroupID.
type membership struct {
	ProjectID int64  `json:"project_id,omitempty"`
	GroupID   int64  `json:"group_id,omitempty"`
	UserID    int64  `json:"user_id"`
	Role      string `json:"role"`
}

// adminMembership reads {user} and a {"role"} body, or answers the error.
func (s *Server) adminMembership(w http.ResponseWriter, r *http.Request) (int64, Role, bool) {
	var body struct {
		Role string `json:"role"`
	}
	if !decodeAdmin(w, r, &body) {
		return 0, RoleNone, false
	}
	role, ok := ParseRole(body.Role)
	if !ok {
		adminError(w, http.StatusBadRequest, fmt.Sprintf("unknown role %q (want one of %s)", body.Role, strings.Join(roleNames[:], ", ")))
		return 0, RoleNone, false
	}
	userID, ok := s.pathID(w, r, "user")
	return userID, role, ok
}

func (s *Server) adminSetFlag(w http.ResponseWriter, r *http.Request, projectID int64) {
	var body struct {
		Integrated bool `json:"integrated"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	s.SetIntegratedFlag(projectID, body.Integrated)
	adminJSON(w, http.StatusOK, body)
}

func (s *Server) adminGetSettings(w http.ResponseWriter, _ *http.Request, projectID int64) {
	st, ok := s.GetSettings(projectID)
	if !ok {
		adminError(w, http.StatusNotFound, "no settings row")
		return
	}
	adminJSON(w, http.StatusOK, st)
}

// adminSetSettings merges the fields given into the row, creating it when
// the project has none, as GitLab's UI changes one field at a time. Like
// SetSettings it neither validates nor creates a key.
func (s *Server) adminSetSettings(w http.ResponseWriter, r *http.Request, projectID int64) {
	var body struct {
		Active      *bool   `json:"active"`
		Integrated  *bool   `json:"integrated"`
		APIURL      *string `json:"api_url"`
		ProjectName *string `json:"project_name"`
		SentryToken *string `json:"sentry_token"`
	}
	s.patchAdmin(w, r, &body, fmt.Sprintf("no project %d", projectID), func() (any, bool) {
		p, ok := s.projects.byID[projectID]
		if !ok {
			return nil, false
		}
		var st Settings
		if p.settings != nil {
			st = *p.settings
		}
		setIfGiven(&st.Active, body.Active)
		setIfGiven(&st.Integrated, body.Integrated)
		setIfGiven(&st.APIURL, body.APIURL)
		setIfGiven(&st.ProjectName, body.ProjectName)
		setIfGiven(&st.SentryToken, body.SentryToken)
		p.settings = &st
		return st, true
	})
}

// patchAdmin decodes the request's body into body, then runs apply under
// the server's lock: apply changes the object and returns what to answer,
// or false when there is no such object (404 with missing).
func (s *Server) patchAdmin(w http.ResponseWriter, r *http.Request, body any, missing string, apply func() (any, bool)) {
	if !decodeAdmin(w, r, body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out, ok := apply()
	if !ok {
		adminError(w, http.StatusNotFound, missing)
		return
	}
	adminJSON(w, http.StatusOK, out)
}

func setIfGiven[T any](dst, given *T) {
	if given != nil {
		*dst = *given
	}
}

func (s *Server) adminDeleteSettings(w http.ResponseWriter, _ *http.Request, projectID int64) {
	s.DeleteSettings(projectID)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminListKeys(w http.ResponseWriter, _ *http.Request, projectID int64) {
	keys := s.Keys(projectID)
	if keys == nil {
		keys = []Key{}
	}
	adminJSON(w, http.StatusOK, keys)
}

func (s *Server) adminAddKey(w http.ResponseWriter, _ *http.Request, projectID int64) {
	adminJSON(w, http.StatusCreated, s.AddKey(projectID))
}

func (s *Server) adminPatchKey(w http.ResponseWriter, r *http.Request, id int64) {
	var body struct {
		Active *bool `json:"active"`
	}
	s.patchAdmin(w, r, &body, fmt.Sprintf("no key %d", id), func() (any, bool) {
		k, ok := s.keys[id]
		if !ok {
			return nil, false
		}
		setIfGiven(&k.active, body.Active)
		return k.export(), true
	})
}

func (s *Server) adminDeleteKey(w http.ResponseWriter, _ *http.Request, id int64) {
	s.RemoveKey(id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminRequests(w http.ResponseWriter, _ *http.Request) {
	reqs := s.Requests()
	if reqs == nil {
		reqs = []Request{}
	}
	adminJSON(w, http.StatusOK, struct {
		Count    int       `json:"count"`
		Requests []Request `json:"requests"`
	}{len(reqs), reqs})
}

func (s *Server) adminResetRequests(w http.ResponseWriter, _ *http.Request) {
	s.ResetRequests()
	w.WriteHeader(http.StatusNoContent)
}

// faultsConfig is Faults as JSON. Method and PathSuffix stand in for Match.
type faultsConfig struct {
	Seed             int64   `json:"seed"`
	Rate429          float64 `json:"rate_429"`
	RetryAfter       int     `json:"retry_after"`
	Rate500          float64 `json:"rate_500"`
	Rate502HTML      float64 `json:"rate_502_html"`
	RateDrop         float64 `json:"rate_drop"`
	RateLostResponse float64 `json:"rate_lost_response"`
	Rate500AfterRun  float64 `json:"rate_500_after_run"`
	Latency          string  `json:"latency,omitempty"` // a Go duration, "20ms"
	RunFirst         bool    `json:"run_first,omitempty"`
	Method           string  `json:"method,omitempty"`      // only this method
	PathSuffix       string  `json:"path_suffix,omitempty"` // only unescaped paths ending so
}

func (c faultsConfig) faults() (Faults, error) {
	f := Faults{
		Seed:             c.Seed,
		Rate429:          c.Rate429,
		RetryAfter:       c.RetryAfter,
		Rate500:          c.Rate500,
		Rate502HTML:      c.Rate502HTML,
		RateDrop:         c.RateDrop,
		RateLostResponse: c.RateLostResponse,
		Rate500AfterRun:  c.Rate500AfterRun,
		RunFirst:         c.RunFirst,
	}
	if c.Latency != "" {
		d, err := time.ParseDuration(c.Latency)
		if err != nil {
			return Faults{}, err
		}
		f.Latency = d
	}
	if c.Method != "" || c.PathSuffix != "" {
		f.Match = func(method, path string) bool {
			return (c.Method == "" || strings.EqualFold(c.Method, method)) && strings.HasSuffix(path, c.PathSuffix)
		}
	}
	return f, nil
}

func (s *Server) adminSetFaults(w http.ResponseWriter, r *http.Request) {
	var c faultsConfig
	if !decodeAdmin(w, r, &c) {
		return
	}
	f, err := c.faults()
	if err != nil {
		adminError(w, http.StatusBadRequest, "latency: "+err.Error())
		return
	}
	s.SetFaults(f)
	adminJSON(w, http.StatusOK, c)
}
