package emulator

import (
	"errors"
	"fmt"
	"net/http"
)

// withGroup resolves {group}, an id or a full path (URL-encoded or not in
// one segment).
func (s *Server) withGroup(next func(http.ResponseWriter, *http.Request, int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("group")
		s.mu.Lock()
		g := s.findGroupLocked(ref)
		s.mu.Unlock()
		if g == nil {
			adminError(w, http.StatusNotFound, fmt.Sprintf("no group %q", ref))
			return
		}
		next(w, r, g.id)
	}
}

// adminAddGroup creates a group and its missing parents: 201 with its id,
// or 200 with the id of the group that already has the path.
func (s *Server) adminAddGroup(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Path string `json:"path"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	_, existed := s.GroupByPath(body.Path)
	id, err := s.CreateGroup(body.Path)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, errPathTaken) {
			status = http.StatusConflict
		}
		adminError(w, status, err.Error())
		return
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	adminJSON(w, status, idBody{ID: id})
}

func (s *Server) adminSetGroupRole(w http.ResponseWriter, r *http.Request, groupID int64) {
	userID, role, ok := s.adminMembership(w, r)
	if !ok {
		return
	}
	s.SetGroupRole(groupID, userID, role)
	adminJSON(w, http.StatusOK, struct {
		GroupID int64  `json:"group_id"`
		UserID  int64  `json:"user_id"`
		Role    string `json:"role"`
	}{groupID, userID, role.String()})
}

func (s *Server) adminSetArchived(w http.ResponseWriter, r *http.Request, projectID int64) {
	var body struct {
		Archived *bool `json:"archived"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	if body.Archived == nil {
		adminError(w, http.StatusBadRequest, "archived is required")
		return
	}
	s.SetArchived(projectID, *body.Archived)
	adminJSON(w, http.StatusOK, struct {
		ID       int64 `json:"id"`
		Archived bool  `json:"archived"`
	}{projectID, *body.Archived})
}

// adminMoveProject transfers the project into {"group"}, an id or a full
// path; the group is created when a path names none yet.
func (s *Server) adminMoveProject(w http.ResponseWriter, r *http.Request, projectID int64) {
	var body struct {
		Group string `json:"group"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	s.mu.Lock()
	g := s.findGroupLocked(body.Group)
	s.mu.Unlock()
	groupID := int64(0)
	if g != nil {
		groupID = g.id
	} else {
		var err error
		if groupID, err = s.CreateGroup(body.Group); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	path, err := s.MoveProject(projectID, groupID)
	if err != nil {
		adminError(w, http.StatusConflict, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, struct {
		ID                int64  `json:"id"`
		PathWithNamespace string `json:"path_with_namespace"`
	}{projectID, path})
}
