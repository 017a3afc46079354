package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
)

// Key is a client key as stored, for test setup and assertions.
type Key struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	Active    bool   `json:"active"`
	PublicKey string `json:"public_key"`
	SentryDSN string `json:"sentry_dsn"`
}

// String shows k with its public key and DSN masked, so that a test's
// failure message that prints a key holds neither.
func (k Key) String() string {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	return fmt.Sprintf("{ID:%d ProjectID:%d Active:%t PublicKey:%s SentryDSN:%s}", k.ID, k.ProjectID, k.Active, mask(k.PublicKey), mask(k.SentryDSN))
}

type clientKey struct {
	id        int64
	projectID int64
	active    bool
	publicKey string
	dsn       string
}

func (k *clientKey) export() Key {
	return Key{ID: k.id, ProjectID: k.projectID, Active: k.active, PublicKey: k.publicKey, SentryDSN: k.dsn}
}

// keyEntity is the API representation (no project id).
type keyEntity struct {
	ID        int64  `json:"id"`
	Active    bool   `json:"active"`
	PublicKey string `json:"public_key"`
	SentryDSN string `json:"sentry_dsn"`
}

func (k *clientKey) entity() keyEntity {
	return keyEntity{ID: k.id, Active: k.active, PublicKey: k.publicKey, SentryDSN: k.dsn}
}

func (p *project) hasActiveKey() bool {
	return slices.ContainsFunc(p.keys, func(k *clientKey) bool { return k.active })
}

// newKeyLocked creates an active key. Ids come from one sequence for all
// projects, as in GitLab.
func (s *Server) newKeyLocked(p *project) *clientKey {
	s.lastKeyID++
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never returns an error
	public := "glet_" + hex.EncodeToString(raw[:])
	k := &clientKey{
		id:        s.lastKeyID,
		projectID: p.id,
		active:    true,
		publicKey: public,
		dsn:       fmt.Sprintf("https://%s@%s/errortracking/api/v1/projects/%d", public, s.opts.DSNHost, p.id),
	}
	p.keys = append(p.keys, k)
	s.keys[k.id] = k
	return k
}

func (s *Server) removeKeyLocked(k *clientKey) {
	delete(s.keys, k.id)
	if p, ok := s.projects.byID[k.projectID]; ok {
		p.keys = slices.DeleteFunc(p.keys, func(o *clientKey) bool { return o == k })
	}
}

// AddKey creates an active key as GitLab's UI does. It returns the zero Key
// for an unknown project.
func (s *Server) AddKey(projectID int64) Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects.byID[projectID]
	if !ok {
		return Key{}
	}
	return s.newKeyLocked(p).export()
}

// addKeys creates n keys quickly, for tests that need more than 10,000.
func (s *Server) addKeys(projectID int64, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects.byID[projectID]
	if !ok {
		return
	}
	p.keys = slices.Grow(p.keys, n)
	for range n {
		s.newKeyLocked(p)
	}
}

// Keys returns a project's keys ordered by id.
func (s *Server) Keys(projectID int64) []Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects.byID[projectID]
	if !ok {
		return nil
	}
	return entities(p.keys, (*clientKey).export)
}

// SetKeyActive (de)activates a key, which only GitLab's UI can do.
func (s *Server) SetKeyActive(keyID int64, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[keyID]; ok {
		k.active = active
	}
}

// RemoveKey deletes a key, as someone could in GitLab's UI.
func (s *Server) RemoveKey(keyID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[keyID]; ok {
		s.removeKeyLocked(k)
	}
}

func (s *Server) listKeysLocked(p *project, pr pageRequest, r *http.Request, routeID string) response {
	return pagedResponse(r, routeID, p.keys, pr, (*clientKey).entity)
}

func (s *Server) createKeyLocked(p *project) response {
	return jsonResponse(http.StatusCreated, s.newKeyLocked(p).entity())
}

// deleteKeyLocked answers with the deleted key. GitLab finds the key among
// the project's (error_tracking_client_keys.find), casting the undeclared
// :key_id as ActiveRecord casts an integer: a string that starts like a
// number is read as Ruby's to_i does, anything else finds nothing. A key that
// is not found is "404 Not found" (lower-case "found", as GitLab writes it).
func (s *Server) deleteKeyLocked(p *project, keyRef string) response {
	notFound := messageResponse(http.StatusNotFound, "404 Not found")
	keyID, read := rubyToI(keyRef)
	if read == 0 {
		return notFound
	}
	k, ok := s.keys[keyID]
	if !ok || k.projectID != p.id {
		return notFound
	}
	s.removeKeyLocked(k)
	return jsonResponse(http.StatusOK, k.entity())
}
