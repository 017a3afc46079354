package emulator

import (
	"regexp"
	"strconv"
	"strings"
)

// registry holds the projects or the groups of the world: each under its id,
// from a sequence of its own (a group's id is a namespace's, not a project's),
// and under its full path. GitLab finds a full path case-insensitively
// (gitlab-api.md: the :id of a project in its opening lines, of a group in
// "Groups"), so the index holds it lower-cased; the project or group keeps
// it as created.
type registry[T any] struct {
	byID  map[int64]T
	paths map[string]int64
	// redirects are the former full paths of entries that moved, lower-cased
	// (GitLab's RedirectRoute, which app/models/route.rb creates when a
	// route's path changes); findFollowing follows them.
	redirects map[string]int64
	lastID    int64
}

func newRegistry[T any]() registry[T] {
	return registry[T]{byID: map[int64]T{}, paths: map[string]int64{}, redirects: map[string]int64{}}
}

// add records the value that newT makes with the next id, under that id and
// path.
func (r *registry[T]) add(path string, newT func(id int64) T) T {
	r.lastID++
	v := newT(r.lastID)
	r.byID[r.lastID] = v
	r.paths[strings.ToLower(path)] = r.lastID
	return v
}

// pathID is the id recorded under path, in any case.
func (r *registry[T]) pathID(path string) (int64, bool) {
	id, ok := r.paths[strings.ToLower(path)]
	return id, ok
}

// find is the id that ref names as GitLab reads the :id of a project or a
// group (lib/api/helpers.rb, find_project and find_group): one that matches
// INTEGER_ID_REGEX, /^-?\d+$/, is an id (one too large for any record finds
// nothing), anything else a full path, in any case ("+1" is a path). GitLab
// looks a project's full path up only when it has a slash, which every
// project's has, so a project :id without one finds nothing here too.
func (r *registry[T]) find(ref string) (int64, bool) {
	if integerID.MatchString(ref) {
		id, err := strconv.ParseInt(ref, 10, 64)
		_, ok := r.byID[id]
		return id, err == nil && ok
	}
	return r.pathID(ref)
}

// findFollowing is find, which also finds a full path by the redirect that
// an entry left when it moved, as GitLab finds a project's
// (find_by_full_path(id, follow_redirects: true) in lib/api/helpers.rb).
func (r *registry[T]) findFollowing(ref string) (int64, bool) {
	if id, ok := r.find(ref); ok || integerID.MatchString(ref) {
		return id, ok
	}
	id, ok := r.redirects[strings.ToLower(ref)]
	return id, ok
}

// dropRedirects forgets the redirects of path and of the paths below it: a
// route created or moved there takes them over (Route#delete_conflicting_redirects,
// RedirectRoute.matching_path_and_descendants).
func (r *registry[T]) dropRedirects(path string) {
	path = strings.ToLower(path)
	for old := range r.redirects {
		if old == path || strings.HasPrefix(old, path+"/") {
			delete(r.redirects, old)
		}
	}
}

// integerID is GitLab's INTEGER_ID_REGEX (lib/api/helpers.rb).
var integerID = regexp.MustCompile(`^-?\d+$`)

// move records id under newPath instead of oldPath, which redirects to it.
func (r *registry[T]) move(id int64, oldPath, newPath string) {
	if strings.EqualFold(oldPath, newPath) {
		return
	}
	delete(r.paths, strings.ToLower(oldPath))
	r.paths[strings.ToLower(newPath)] = id
	r.redirects[strings.ToLower(oldPath)] = id
}

// remove forgets id, recorded under path, and its redirects.
func (r *registry[T]) remove(id int64, path string) {
	delete(r.byID, id)
	delete(r.paths, strings.ToLower(path))
	for old, to := range r.redirects {
		if to == id {
			delete(r.redirects, old)
		}
	}
}
