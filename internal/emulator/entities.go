package emulator

import (
	"strings"
	"time"
)

// apiTime is a timestamp as GitLab's JSON writes it: UTC, milliseconds.
type apiTime time.Time

func (t apiTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// basicProjectEntity is GitLab's BasicProjectDetails, the answer of
// simple=true (lib/api/entities/basic_project_details.rb): no archived.
type basicProjectEntity struct {
	ID                int64           `json:"id"`
	Description       *string         `json:"description"`
	Name              string          `json:"name"`
	NameWithNamespace string          `json:"name_with_namespace"`
	Path              string          `json:"path"`
	PathWithNamespace string          `json:"path_with_namespace"`
	CreatedAt         apiTime         `json:"created_at"`
	TagList           []string        `json:"tag_list"`
	Topics            []string        `json:"topics"`
	SSHURLToRepo      string          `json:"ssh_url_to_repo"`
	HTTPURLToRepo     string          `json:"http_url_to_repo"`
	WebURL            string          `json:"web_url"`
	AvatarURL         *string         `json:"avatar_url"`
	StarCount         int             `json:"star_count"`
	LastActivityAt    apiTime         `json:"last_activity_at"`
	Namespace         namespaceEntity `json:"namespace"`
}

// projectEntity is GitLab's Project entity (lib/api/entities/project.rb),
// the fields a client of the emulator may need.
type projectEntity struct {
	basicProjectEntity
	EmptyRepo  bool   `json:"empty_repo"`
	Archived   bool   `json:"archived"`
	Visibility string `json:"visibility"`
}

// projectWithAccessEntity is GitLab's ProjectWithAccess
// (lib/api/entities/project_with_access.rb), the answer of GET
// /projects/:id: the Project entity with the user's own memberships.
type projectWithAccessEntity struct {
	projectEntity
	Permissions permissionsEntity `json:"permissions"`
}

// permissionsEntity holds the user's membership of the project itself and
// the highest of its group and that group's ancestors; each is null
// without one (an admin, or access through a group the project is shared
// with).
type permissionsEntity struct {
	ProjectAccess *memberAccessEntity `json:"project_access"`
	GroupAccess   *memberAccessEntity `json:"group_access"`
}

// memberAccessEntity is GitLab's ProjectAccess and GroupAccess
// (lib/api/entities/member_access.rb).
type memberAccessEntity struct {
	AccessLevel       int `json:"access_level"`
	NotificationLevel int `json:"notification_level"`
}

// accessLevels are GitLab's access levels of the roles
// (lib/gitlab/access.rb).
var accessLevels = [...]int{RoleGuest: 10, RoleReporter: 20, RoleDeveloper: 30, RoleMaintainer: 40, RoleOwner: 50}

func memberAccess(r Role) *memberAccessEntity {
	if r <= RoleNone || int(r) >= len(accessLevels) {
		return nil
	}
	// 3 is the "global" notification level, a new member's.
	return &memberAccessEntity{AccessLevel: accessLevels[r], NotificationLevel: 3}
}

func (s *Server) projectWithAccessEntityLocked(p *project, u *user, base string) projectWithAccessEntity {
	return projectWithAccessEntity{
		projectEntity: s.projectEntityLocked(p, base),
		Permissions: permissionsEntity{
			ProjectAccess: memberAccess(p.members[u.id]),
			GroupAccess:   memberAccess(s.groupRoleLocked(s.groups.byID[p.groupID], u)),
		},
	}
}

// namespaceEntity is GitLab's NamespaceBasic.
type namespaceEntity struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Path      string  `json:"path"`
	Kind      string  `json:"kind"`
	FullPath  string  `json:"full_path"`
	ParentID  *int64  `json:"parent_id"`
	AvatarURL *string `json:"avatar_url"`
	WebURL    string  `json:"web_url"`
}

func (s *Server) basicProjectEntityLocked(p *project, base string) basicProjectEntity {
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if i := strings.LastIndex(host, ":"); i >= 0 {
		host = host[:i]
	}
	return basicProjectEntity{
		ID:                p.id,
		Name:              p.name(),
		NameWithNamespace: strings.ReplaceAll(p.path, "/", " / "),
		Path:              p.name(),
		PathWithNamespace: p.path,
		CreatedAt:         apiTime(p.createdAt),
		TagList:           []string{},
		Topics:            []string{},
		SSHURLToRepo:      "git@" + host + ":" + p.path + ".git",
		HTTPURLToRepo:     base + "/" + p.path + ".git",
		WebURL:            base + "/" + p.path,
		LastActivityAt:    apiTime(p.createdAt),
		Namespace:         s.namespaceEntityLocked(s.groups.byID[p.groupID], base),
	}
}

func (s *Server) projectEntityLocked(p *project, base string) projectEntity {
	return projectEntity{
		basicProjectEntity: s.basicProjectEntityLocked(p, base),
		EmptyRepo:          true,
		Archived:           p.archived,
		Visibility:         "private",
	}
}

func (s *Server) namespaceEntityLocked(g *group, base string) namespaceEntity {
	return namespaceEntity{
		ID:       g.id,
		Name:     g.name(),
		Path:     g.name(),
		Kind:     "group",
		FullPath: g.path,
		ParentID: parentID(g),
		WebURL:   base + "/groups/" + g.path,
	}
}

func parentID(g *group) *int64 {
	if g.parentID == 0 {
		return nil
	}
	id := g.parentID
	return &id
}

// groupEntity is GitLab's Group entity (lib/api/entities/group.rb), the
// fields a client of the emulator may need.
type groupEntity struct {
	ID          int64   `json:"id"`
	WebURL      string  `json:"web_url"`
	Name        string  `json:"name"`
	Path        string  `json:"path"`
	Description string  `json:"description"`
	Visibility  string  `json:"visibility"`
	AvatarURL   *string `json:"avatar_url"`
	FullName    string  `json:"full_name"`
	FullPath    string  `json:"full_path"`
	CreatedAt   apiTime `json:"created_at"`
	ParentID    *int64  `json:"parent_id"`
}

// groupDetailEntity is GitLab's GroupDetail: with with_projects (the
// default), the group's own projects, at most 100.
type groupDetailEntity struct {
	groupEntity
	SharedWithGroups []struct{} `json:"shared_with_groups"`
	// Absent without with_projects; the emulator has no shared projects.
	Projects       *[]projectEntity `json:"projects,omitempty"`
	SharedProjects *[]projectEntity `json:"shared_projects,omitempty"`
}

func (s *Server) groupEntityLocked(g *group, base string) groupEntity {
	return groupEntity{
		ID:          g.id,
		WebURL:      base + "/groups/" + g.path,
		Name:        g.name(),
		Path:        g.name(),
		Description: "",
		Visibility:  "private",
		FullName:    strings.ReplaceAll(g.path, "/", " / "),
		FullPath:    g.path,
		CreatedAt:   apiTime(g.createdAt),
		ParentID:    parentID(g),
	}
}
