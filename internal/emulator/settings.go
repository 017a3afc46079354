package emulator

import (
	"net/http"
	"net/url"
	"regexp"
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
	if p, ok := s.projects.byID[projectID]; ok {
		p.settings = &st
	}
}

// GetSettings returns the stored row, if any.
func (s *Server) GetSettings(projectID int64) (Settings, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects.byID[projectID]
	if !ok || p.settings == nil {
		return Settings{}, false
	}
	return *p.settings, true
}

// DeleteSettings removes the row, so the project is back to "never configured".
func (s *Server) DeleteSettings(projectID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projects.byID[projectID]; ok {
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
// (gitlab-api.md, "Failure inside a successful status"): sent with HTTP 200,
// and without http_status, which the service adds only when it is given one.
type serviceError struct {
	Message string `json:"message"`
	Status  string `json:"status"`
}

func (s *Server) getSettingsLocked(p *project) response {
	if p.settings == nil {
		return messageResponse(http.StatusNotFound, "404 Error Tracking Setting Not Found")
	}
	return jsonResponse(http.StatusOK, newSettingsEntity(p))
}

// patchSettingsLocked never creates a row and does not look at the feature
// flag: it can store integrated=true that the answer then shows as false.
// A nil integrated (absent, empty or null) leaves the stored value.
func (s *Server) patchSettingsLocked(p *project, active bool, integrated *bool) response {
	if p.settings == nil {
		return messageResponse(http.StatusNotFound, "404 Error Tracking Setting Not Found")
	}
	next := *p.settings
	next.Active = active
	if integrated != nil {
		next.Integrated = *integrated
	}
	return s.saveSettingsLocked(p, next, false)
}

// putSettingsLocked creates or updates the row, keeping the Sentry fields.
// With the feature flag off GitLab answers a bare 404, not naming a resource.
// A nil integrated was sent empty or null: Grape lets it through, the model
// refuses it.
func (s *Server) putSettingsLocked(p *project, active bool, integrated *bool) response {
	if !p.integratedFlag {
		return messageResponse(http.StatusNotFound, "404 Not Found")
	}
	var next Settings
	if p.settings != nil {
		next = *p.settings
	}
	next.Active = active
	if integrated != nil {
		next.Integrated = *integrated
	}
	return s.saveSettingsLocked(p, next, integrated == nil)
}

// saveSettingsLocked is the project's nested-attributes save: the row is
// validated and written only when it is new or changed, and only a write
// runs the model's after_save callback that creates a client key
// (gitlab-api.md, "Side effect").
func (s *Server) saveSettingsLocked(p *project, next Settings, integratedNil bool) response {
	if p.settings != nil && *p.settings == next && !integratedNil {
		return jsonResponse(http.StatusOK, newSettingsEntity(p))
	}
	if msg := validateSettings(next, integratedNil); msg != "" {
		return jsonResponse(http.StatusOK, serviceError{Message: msg, Status: "error"})
	}
	p.settings = &next
	// The callback reads the stored integrated, not the feature flag.
	if next.Active && next.Integrated && !p.hasActiveKey() {
		s.newKeyLocked(p)
	}
	return jsonResponse(http.StatusOK, newSettingsEntity(p))
}

// validateSettings is the model's validation, its messages in the order the
// validators are declared and joined as Rails' to_sentence joins them:
// integrated must be a boolean, and an active setting that is not
// integrated (Sentry mode) needs its API URL and token.
func validateSettings(st Settings, integratedNil bool) string {
	var problems []string
	if integratedNil {
		problems = append(problems, "Error tracking setting integrated is not included in the list")
	}
	if st.Active && (integratedNil || !st.Integrated) {
		if st.APIURL == "" {
			problems = append(problems, "Error tracking setting api url is a required field")
		}
		if st.SentryToken == "" {
			problems = append(problems, "Error tracking setting token is a required field")
		}
		problems = append(problems, validateAPIURLPath(st.APIURL)...)
	}
	return toSentence(problems)
}

// sentryAPIPath is the model's API_URL_PATH_REGEXP.
var sentryAPIPath = regexp.MustCompile(`^(/api/0/projects/+)(?:([^/]+)/+([^/]+)/*)?$`)

// validateAPIURLPath is the model's validate_api_url_path.
func validateAPIURLPath(apiURL string) []string {
	if apiURL == "" {
		return nil
	}
	u, err := url.Parse(apiURL)
	if err != nil {
		return nil // the model gives up on a URL it cannot parse
	}
	m := sentryAPIPath.FindStringSubmatch(u.Path)
	switch {
	case m == nil:
		return []string{"Error tracking setting api url is invalid"}
	case m[2] == "":
		return []string{"Error tracking setting project is a required field"}
	}
	return nil
}

// toSentence is Rails' Array#to_sentence: "a", "a and b", "a, b, and c".
func toSentence(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	case 2:
		return words[0] + " and " + words[1]
	}
	return strings.Join(words[:len(words)-1], ", ") + ", and " + words[len(words)-1]
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
