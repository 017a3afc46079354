package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Every kind of failure internal/gitlab tells apart has a wording of its
// own, for resources and for the token check alike, and says what was
// attempted once.
func TestEveryKindHasItsWording(t *testing.T) {
	generic := attempt{what: "x"}.wording(&gitlab.Error{Kind: gitlab.KindOther})
	for k := gitlab.KindOther + 1; !strings.HasPrefix(k.String(), "Kind("); k++ {
		err := &gitlab.Error{Kind: k, Op: `read project "acme/app"`, Method: "GET", Path: "projects/acme%2Fapp",
			URL: "https://gitlab.example.com/api/v4/projects/acme%2Fapp", StatusCode: 500, Message: "no", Attempts: 1}
		for _, d := range []interface{ Summary() string }{
			apiDiag("read the project", "acme/app", err),
			authCheckError(gitlab.Config{}, "the `token` attribute", err),
		} {
			if d.Summary() == generic.summary {
				t.Errorf("%v: worded as a failure of no particular kind (%q)", k, d.Summary())
			}
		}
		detail := apiDiag("read the project", "acme/app", err).Detail()
		if n := strings.Count(detail, "acme/app"); n != 1 {
			t.Errorf("%v: the detail names the project %d times, want once:\n%s", k, n, detail)
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
