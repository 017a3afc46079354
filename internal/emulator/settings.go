package emulator

import (
	"net/http"
	"strings"
	"unicode"
)

// Settings is a project's error-tracking settings row as stored. Integrated
// is the stored value; the API reports it as false while the project's
// feature flag is off. Empty strings are NULL columns.
type Settings struct {
	Active      bool   `json:"active"`
	Integrated  bool   `json:"integrated"`
	APIURL      string `json:"api_url"`
	ProjectName string `json:"project_name"`
	SentryToken string `json:"sentry_token"`
}

// SetSettings stores the row as given, like a change made in GitLab's UI:
// no validation and no automatically created key.
func (s *Server) SetSettings(projectID int64, st Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projects[projectID]; ok {
		p.settings = &st
	}
}

// GetSettings returns the stored row, if any.
func (s *Server) GetSettings(projectID int64) (Settings, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects[projectID]
	if !ok || p.settings == nil {
		return Settings{}, false
	}
	return *p.settings, true
}

// DeleteSettings removes the row, so the project is back to "never configured".
func (s *Server) DeleteSettings(projectID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projects[projectID]; ok {
		p.settings = nil
	}
}

// settingsEntity has every field always present, null when unset.
type settingsEntity struct {
	Active            bool    `json:"active"`
	ProjectName       *string `json:"project_name"`
	SentryExternalURL *string `json:"sentry_external_url"`
	APIURL            *string `json:"api_url"`
	Integrated        bool    `json:"integrated"`
}

func newSettingsEntity(p *project) settingsEntity {
	st := p.settings
	e := settingsEntity{
		Active:     st.Active,
		Integrated: st.Integrated && p.integratedFlag,
	}
	if st.APIURL != "" {
		apiURL := st.APIURL
		external := strings.Replace(apiURL, "api/0/projects/", "", 1)
		e.APIURL, e.SentryExternalURL = &apiURL, &external
	}
	name := st.ProjectName
	if name == "" {
		name = titleize(sentrySlug(st.APIURL))
	}
	if name != "" {
		e.ProjectName = &name
	}
	return e
}

// serviceError is GitLab's "failure inside a successful status" body
// (gitlab-api.md, "Failure inside a successful status"): sent with HTTP 200.
type serviceError struct {
	Message    string `json:"message"`
	Status     string `json:"status"`
	HTTPStatus string `json:"http_status"`
}

func (s *Server) getSettingsLocked(p *project) response {
	if p.settings == nil {
		return messageResponse(http.StatusNotFound, "404 Error Tracking Setting Not Found")
	}
	return jsonResponse(http.StatusOK, newSettingsEntity(p))
}

// patchSettingsLocked never creates a row and does not look at the feature
// flag: it can store integrated=true that the answer then shows as false.
func (s *Server) patchSettingsLocked(p *project, active bool, integrated *bool) response {
	if p.settings == nil {
		return messageResponse(http.StatusNotFound, "404 Error Tracking Setting Not Found")
	}
	next := *p.settings
	next.Active = active
	if integrated != nil {
		next.Integrated = *integrated
	}
	return s.saveSettingsLocked(p, next)
}

// putSettingsLocked creates or updates the row, keeping the Sentry fields.
// With the feature flag off GitLab answers a bare 404, not naming a resource.
func (s *Server) putSettingsLocked(p *project, active, integrated bool) response {
	if !p.integratedFlag {
		return messageResponse(http.StatusNotFound, "404 Not Found")
	}
	var next Settings
	if p.settings != nil {
		next = *p.settings
	}
	next.Active, next.Integrated = active, integrated
	return s.saveSettingsLocked(p, next)
}

func (s *Server) saveSettingsLocked(p *project, next Settings) response {
	if msg := validateSettings(next); msg != "" {
		return jsonResponse(http.StatusOK, serviceError{Message: msg, Status: "error", HTTPStatus: "bad_request"})
	}
	p.settings = &next
	// GitLab's side effect: an active, integrated setting gets a client key
	// when the project has no active one.
	if next.Active && next.Integrated && p.integratedFlag && !p.hasActiveKey() {
		s.newKeyLocked(p)
	}
	return jsonResponse(http.StatusOK, newSettingsEntity(p))
}

// validateSettings is the model validation: an active setting that uses an
// external Sentry needs its API URL and token.
func validateSettings(st Settings) string {
	if !st.Active || st.Integrated {
		return ""
	}
	var problems []string
	if st.APIURL == "" {
		problems = append(problems, "Error tracking setting api url is a required field")
	}
	if st.SentryToken == "" {
		problems = append(problems, "Error tracking setting token is a required field")
	}
	return strings.Join(problems, " and ")
}

// sentrySlug is the last path component of a Sentry API URL such as
// https://sentry.example.com/api/0/projects/org/my-proj/.
func sentrySlug(apiURL string) string {
	trimmed := strings.TrimRight(apiURL, "/")
	if i := strings.Index(trimmed, "://"); i >= 0 {
		trimmed = trimmed[i+3:]
	}
	i := strings.LastIndex(trimmed, "/")
	if i < 0 {
		return ""
	}
	return trimmed[i+1:]
}

// titleize approximates Rails' String#titleize, which GitLab applies to the
// slug: "my-proj" → "My Proj", "my_proj_id" → "My Proj", "myProj" → "My Proj".
func titleize(s string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
			b.WriteRune('_')
		}
		if r == '-' {
			r = '_'
		}
		b.WriteRune(unicode.ToLower(r))
		prev = r
	}
	words := strings.TrimSuffix(b.String(), "_id")
	words = strings.Join(strings.FieldsFunc(words, func(r rune) bool { return r == '_' || unicode.IsSpace(r) }), " ")
	out := []rune(words)
	for i, r := range out {
		if i == 0 || out[i-1] == ' ' {
			out[i] = unicode.ToUpper(r)
		}
	}
	return string(out)
}
