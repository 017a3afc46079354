package emulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

var (
	errInvalidPath = errors.New("invalid path")
	errPathTaken   = errors.New("path already taken")
)

type user struct {
	id       int64
	username string
	admin    bool
}

type token struct {
	userID int64
	scopes []string
}

func (t *token) hasScope(scope string) bool {
	return slices.Contains(t.scopes, scope)
}

type project struct {
	id             int64
	path           string // path_with_namespace, as created
	groupID        int64  // its namespace
	archived       bool
	createdAt      time.Time
	members        map[int64]Role
	integratedFlag bool
	settings       *Settings    // nil until a settings row exists
	keys           []*clientKey // ordered by id
}

// name is the last path component; the emulator does not model display names.
func (p *project) name() string {
	return p.path[strings.LastIndex(p.path, "/")+1:]
}

// AddUser creates a user and returns its id. Admins see and manage every project.
func (s *Server) AddUser(username string, admin bool) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUserID++
	s.users[s.lastUserID] = &user{id: s.lastUserID, username: username, admin: admin}
	return s.lastUserID
}

// AddToken gives userID a personal access token. Scopes default to "api"; a
// token with only "read_api" cannot write. It is a no-op for an unknown user.
func (s *Server) AddToken(userID int64, tok string, scopes ...string) {
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return
	}
	s.tokens[tok] = &token{userID: userID, scopes: slices.Clone(scopes)}
}

// AddProject creates a private project with the given full path and returns
// its id: "group/sub/app" is the project "app" in the group "group/sub",
// which is created, with "group", when it does not exist yet. It panics if
// the path is malformed or already taken, which is a mistake in the test's
// setup.
func (s *Server) AddProject(pathWithNamespace string) int64 {
	id, err := s.CreateProject(pathWithNamespace, s.opts.DefaultIntegratedFlag)
	if err != nil {
		panic(err)
	}
	return id
}

// CreateProject is AddProject with an explicit feature flag and an error
// instead of a panic, for input that comes from outside a test.
func (s *Server) CreateProject(path string, integratedFlag bool) (int64, error) {
	slash := strings.LastIndex(path, "/")
	if !validPath(path) || slash < 0 {
		return 0, fmt.Errorf("emulator: %w (want group/project): %q", errInvalidPath, path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pathTakenLocked(path) {
		return 0, fmt.Errorf("emulator: %w: %q", errPathTaken, path)
	}
	groupID, _, err := s.ensureGroupLocked(path[:slash])
	if err != nil {
		return 0, err
	}
	s.projects.dropRedirects(path)
	p := s.projects.add(path, func(id int64) *project {
		return &project{
			id: id, path: path, groupID: groupID, createdAt: s.now(),
			members: map[int64]Role{}, integratedFlag: integratedFlag,
		}
	})
	return p.id, nil
}

// ProjectByPath returns the id of the project with the given full path
// (case-insensitive).
func (s *Server) ProjectByPath(pathWithNamespace string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.projects.pathID(pathWithNamespace)
}

// DeleteProject removes a project with its settings and client keys.
func (s *Server) DeleteProject(projectID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects.byID[projectID]
	if !ok {
		return
	}
	for _, k := range p.keys {
		delete(s.keys, k.id)
	}
	s.projects.remove(projectID, p.path)
}

// SetRole sets userID's membership of a project; RoleNone removes it.
func (s *Server) SetRole(projectID, userID int64, role Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projects.byID[projectID]; ok {
		setMember(p.members, userID, role)
	}
}

// setMember sets userID's role in members; RoleNone removes it.
func setMember(members map[int64]Role, userID int64, role Role) {
	if role <= RoleNone {
		delete(members, userID)
		return
	}
	members[userID] = role
}

// SetIntegratedFlag turns the integrated_error_tracking feature flag on or off
// for one project.
func (s *Server) SetIntegratedFlag(projectID int64, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projects.byID[projectID]; ok {
		p.integratedFlag = on
	}
}
