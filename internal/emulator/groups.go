package emulator

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// group is a private group (gitlab-api.md, "Groups"). Its members' roles
// apply to its projects and to its subgroups and their projects.
type group struct {
	id        int64
	path      string // full path, as created
	parentID  int64  // 0 for a top-level group
	members   map[int64]Role
	createdAt time.Time
}

func (g *group) name() string {
	return g.path[strings.LastIndex(g.path, "/")+1:]
}

// AddGroup creates a private group with the given full path, and the groups
// above it that do not exist yet, and returns its id. It panics if the path
// is malformed or taken by a project, which is a mistake in the test's setup.
func (s *Server) AddGroup(fullPath string) int64 {
	id, err := s.CreateGroup(fullPath)
	if err != nil {
		panic(err)
	}
	return id
}

// CreateGroup is AddGroup with an error instead of a panic. An existing
// group is not an error: its id is returned.
func (s *Server) CreateGroup(fullPath string) (int64, error) {
	id, _, err := s.createGroup(fullPath)
	return id, err
}

// createGroup is CreateGroup that also tells whether the group existed
// already, looked up and created under one lock.
func (s *Server) createGroup(fullPath string) (id int64, existed bool, err error) {
	if !validPath(fullPath) {
		return 0, false, fmt.Errorf("emulator: %w: %q", errInvalidPath, fullPath)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ensureGroupLocked(fullPath)
}

func validPath(path string) bool {
	return path != "" && !slices.Contains(strings.Split(path, "/"), "")
}

// ensureGroupLocked returns the group with this full path, and whether it
// existed, creating it and its missing parents. In GitLab a group's parent
// must exist first; the emulator creates parents as an administrator would
// have beforehand.
func (s *Server) ensureGroupLocked(fullPath string) (int64, bool, error) {
	if id, ok := s.groups.pathID(fullPath); ok {
		return id, true, nil
	}
	if _, taken := s.projects.pathID(fullPath); taken {
		return 0, false, fmt.Errorf("emulator: %w by a project: %q", errPathTaken, fullPath)
	}
	var parentID int64
	if i := strings.LastIndex(fullPath, "/"); i >= 0 {
		var err error
		if parentID, _, err = s.ensureGroupLocked(fullPath[:i]); err != nil {
			return 0, false, err
		}
	}
	s.projects.dropRedirects(fullPath)
	g := s.groups.add(fullPath, func(id int64) *group {
		return &group{id: id, path: fullPath, parentID: parentID, members: map[int64]Role{}, createdAt: s.now()}
	})
	return g.id, false, nil
}

// GroupByPath returns the id of the group with the given full path
// (case-insensitive).
func (s *Server) GroupByPath(fullPath string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groups.pathID(fullPath)
}

// SetGroupRole sets userID's membership of a group; RoleNone removes it.
// The role applies to every project of the group and of its subgroups.
func (s *Server) SetGroupRole(groupID, userID int64, role Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g, ok := s.groups.byID[groupID]; ok {
		setMember(g.members, userID, role)
	}
}

// SetArchived archives a project or unarchives it, as its Settings page does.
func (s *Server) SetArchived(projectID int64, archived bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projects.byID[projectID]; ok {
		p.archived = archived
	}
}

// MoveProject transfers a project into another group and returns its new
// full path: its id, settings and keys stay.
func (s *Server) MoveProject(projectID, groupID int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects.byID[projectID]
	if !ok {
		return "", fmt.Errorf("emulator: no project %d", projectID)
	}
	g, ok := s.groups.byID[groupID]
	if !ok {
		return "", fmt.Errorf("emulator: no group %d", groupID)
	}
	path := g.path + "/" + p.name()
	if s.pathTakenLocked(path) && !strings.EqualFold(path, p.path) {
		return "", fmt.Errorf("emulator: %w: %q", errPathTaken, path)
	}
	s.projects.dropRedirects(path)
	s.projects.move(p.id, p.path, path)
	p.path, p.groupID = path, g.id
	return path, nil
}

// pathTakenLocked: a project and a group never share a full path.
func (s *Server) pathTakenLocked(path string) bool {
	_, project := s.projects.pathID(path)
	_, group := s.groups.pathID(path)
	return project || group
}

// groupRoleLocked is u's role in g, inherited from g's ancestors.
func (s *Server) groupRoleLocked(g *group, u *user) Role {
	role := RoleNone
	for g != nil {
		role = max(role, g.members[u.id])
		g = s.groups.byID[g.parentID]
	}
	return role
}

// projectRoleLocked is u's role in p: its own membership or one inherited
// from the project's group and that group's ancestors, whichever is higher.
func (s *Server) projectRoleLocked(p *project, u *user) Role {
	return max(p.members[u.id], s.groupRoleLocked(s.groups.byID[p.groupID], u))
}

// projectVisibleLocked: a private project is visible to Guests and above,
// and to admins.
func (s *Server) projectVisibleLocked(p *project, u *user) bool {
	return u != nil && (u.admin || s.projectRoleLocked(p, u) >= RoleGuest)
}

// canAdminOperationsLocked is GitLab's admin_operations permission, which the
// error-tracking endpoints require: Maintainer, Owner or admin.
func (s *Server) canAdminOperationsLocked(p *project, u *user) bool {
	return u.admin || s.projectRoleLocked(p, u) >= RoleMaintainer
}

// groupVisibleLocked is GitLab's read_group on a private group: admins,
// members of the group or an ancestor, and users who can see a project of
// the group or of its subgroups.
func (s *Server) groupVisibleLocked(g *group, u *user) bool {
	if u == nil {
		return false
	}
	if u.admin || s.groupRoleLocked(g, u) >= RoleGuest {
		return true
	}
	return slices.ContainsFunc(s.groupProjectsLocked(g, true), func(p *project) bool {
		return s.projectVisibleLocked(p, u)
	})
}

// groupProjectsLocked returns the projects of g, and with subgroups those
// of its descendants, ordered by id.
func (s *Server) groupProjectsLocked(g *group, subgroups bool) []*project {
	var out []*project
	for _, p := range s.projects.byID {
		if p.groupID == g.id || (subgroups && s.descendsFromLocked(p.groupID, g.id)) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *project) int { return cmp.Compare(a.id, b.id) })
	return out
}

func (s *Server) descendsFromLocked(groupID, ancestorID int64) bool {
	for g := s.groups.byID[groupID]; g != nil; g = s.groups.byID[g.parentID] {
		if g.id == ancestorID {
			return true
		}
	}
	return false
}
