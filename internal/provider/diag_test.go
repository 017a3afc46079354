package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Every kind of failure internal/gitlab tells apart has a wording of its
// own, a summary and a fix that no other kind (and not the wording of a
// failure of no particular kind) has, for resources and for the token check
// alike; the diagnostic carries both, and says what was attempted once.
func TestEveryKindHasItsWording(t *testing.T) {
	contexts := []struct {
		name, named string // named: what the detail names once, the attempt's object
		attempt     attempt
		diag        func(error) diag.Diagnostic
	}{
		{"resource", "acme/app", attempt{what: `read the project for project "acme/app"`, onProject: true},
			func(err error) diag.Diagnostic { return apiDiag("read the project", "acme/app", err) }},
		{"token check", "check the token", attempt{what: "check the token", start: &gitlab.Config{}, tokenSource: "the `token` attribute"},
			func(err error) diag.Diagnostic { return authCheckError(gitlab.Config{}, "the `token` attribute", err) }},
	}
	for _, c := range contexts {
		seen := map[[2]string]gitlab.Kind{}
		for k := gitlab.KindOther; !strings.HasPrefix(k.String(), "Kind("); k++ {
			err := &gitlab.Error{Kind: k, Op: `read project "acme/app"`, Method: "GET", Path: "projects/acme%2Fapp",
				URL: "https://gitlab.example.com/api/v4/projects/acme%2Fapp", StatusCode: 500, Message: "no", Attempts: 1}
			w := c.attempt.wording(err)
			pair := [2]string{w.summary, w.fix}
			if w.summary == "" || w.fix == "" {
				t.Errorf("%s, %v: summary %q and fix %q, want both", c.name, k, w.summary, w.fix)
			}
			if other, dup := seen[pair]; dup {
				t.Errorf("%s: %v is worded as %v is: %q, %q", c.name, k, other, w.summary, w.fix)
			}
			seen[pair] = k
			d := c.diag(err)
			if d.Summary() != w.summary || !strings.Contains(d.Detail(), "\n\n"+w.fix) {
				t.Errorf("%s, %v: the diagnostic does not carry its wording %q, %q:\n%s\n%s", c.name, k, w.summary, w.fix, d.Summary(), d.Detail())
			}
			if n := strings.Count(d.Detail(), c.named); n != 1 {
				t.Errorf("%s, %v: the detail names %q %d times, want once:\n%s", c.name, k, c.named, n, d.Detail())
			}
		}
	}
}

func TestTokenErrorNamesTheSourceNotTheToken(t *testing.T) {
	const token = "glpat-first second"
	_, err := gitlab.CleanToken(token)
	if err == nil {
		t.Fatal("CleanToken accepted a token with a space inside")
	}
	d := tokenError("the GITLAB_TOKEN environment variable", err)
	if !strings.Contains(d.Detail(), "The token from the GITLAB_TOKEN environment variable has a space") ||
		strings.Contains(d.Detail(), "first") || strings.Contains(d.Detail(), "second") {
		t.Errorf("want the source named and the token not quoted, got:\n%s", d.Detail())
	}
}

// `project` is pointed at in a resource or data source, a provider
// attribute only by the token check at start-up.
func TestDiagnosticsPointAtTheAttributeInContext(t *testing.T) {
	at := func(d diag.Diagnostic) string {
		if p, ok := d.(diag.DiagnosticWithPath); ok {
			return p.Path().String()
		}
		return ""
	}
	notFound := &gitlab.Error{Kind: gitlab.KindProjectNotFound, StatusCode: 404, Attempts: 1}
	refused := &gitlab.Error{Kind: gitlab.KindUnreachable, Message: "connection refused", Attempts: 3}
	unauthorized := &gitlab.Error{Kind: gitlab.KindUnauthorized, StatusCode: 401, Attempts: 1}
	for _, tt := range []struct {
		name string
		d    diag.Diagnostic
		want string
	}{
		{"project not found in a resource", apiDiag("read", "acme/app", notFound), "project"},
		{"refused in a resource", apiDiag("read", "acme/app", refused), ""},
		{"refused at start-up", authCheckError(gitlab.Config{}, "the `token` attribute", refused), "base_url"},
		{"token rejected at start-up", authCheckError(gitlab.Config{}, "the `token` attribute", unauthorized), ""},
	} {
		if got := at(tt.d); got != tt.want {
			t.Errorf("%s: points at %q, want %q", tt.name, got, tt.want)
		}
	}
}

// After an interrupt, a key create says whether its request left: one never
// sent changed nothing, one that GitLab did not run left no key, and one
// whose key could not be looked for names the key with the import block and
// the API call that settle it. None points at base_url.
func TestInterruptedCreateWording(t *testing.T) {
	const url = "https://gitlab.example.com/api/v4/projects/acme%2Fapp/error_tracking/client_keys"
	post := func(k gitlab.Kind) *gitlab.Error {
		return &gitlab.Error{Kind: k, Op: `create a client key in project "acme/app"`, Method: "POST", URL: url, Attempts: 1, Message: "context canceled"}
	}
	lookup := &gitlab.Error{Kind: gitlab.KindInterrupted, Op: `read project "acme/app"`, Method: "GET", Attempts: 1}
	lost := &gitlab.LostKeyError{Project: "acme/app", After: 7, ListURL: url, Err: post(gitlab.KindOther)}
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"not sent", post(gitlab.KindNotSent), []string{"Interrupted before the client key was created",
			"before the request to create a client key in project \"acme/app\" was sent", "GitLab is unchanged"}},
		{"interrupted in the project's lookup", lookup, []string{"Interrupted before the client key was created", "was sent: GitLab is unchanged"}},
		{"sent, no key made", post(gitlab.KindInterrupted), []string{"Interrupted: no client key was created", "POST " + url,
			"found no key that the request created"}},
		{"key not looked for", lost, []string{"Client key may exist in GitLab without state", `project "acme/app"`, "an ID above 7",
			"GET " + url, "to = gitlab_error_tracking_client_key.<name>", `id = "acme/app:<key_id>"`, "DELETE " + url + "/<key_id>"}},
	} {
		d := createKeyDiag("create a client key", "acme/app", tc.err)
		text := d.Summary() + "\n" + d.Detail()
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the diagnostic lacks %q:\n%s", tc.name, w, text)
			}
		}
		if strings.Contains(text, "base_url") {
			t.Errorf("%s: the diagnostic blames base_url:\n%s", tc.name, text)
		}
	}
	for _, k := range []gitlab.Kind{gitlab.KindNotSent, gitlab.KindInterrupted} {
		if d := apiDiag("read the settings", "acme/app", post(k)); strings.Contains(d.Detail(), "base_url") || d.Summary() != "Interrupted" {
			t.Errorf("%v: %s\n%s", k, d.Summary(), d.Detail())
		}
	}
}
