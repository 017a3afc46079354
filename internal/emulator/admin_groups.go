package emulator

import (
	"net/http"
)

// adminAddGroup creates a group and its missing parents: 201 with its id,
// or 200 with the id of the group that already has the path.
func (s *Server) adminAddGroup(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Path string `json:"path"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	id, existed, err := s.createGroup(body.Path)
	if err == nil && existed {
		adminJSON(w, http.StatusOK, idBody{ID: id})
		return
	}
	adminCreated(w, id, err)
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
	groupID, found := s.groups.find(body.Group)
	s.mu.Unlock()
	if !found {
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
