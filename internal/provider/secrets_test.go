package provider_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
)

// echoingProxy stands in front of GitLab like a proxy whose error page
// reports the request it could not forward, headers and all: the way a
// token most easily ends up in an answer. It fails every request for the
// project acme/echo, and the first settings read of any other project.
func echoingProxy(next http.Handler) http.Handler {
	var settingsReads atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.EscapedPath()
		echo := strings.Contains(path, "/projects/acme%2Fecho/") ||
			(r.Method == http.MethodGet && strings.HasSuffix(path, "/error_tracking/settings") && settingsReads.Add(1) == 1)
		if !echo {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html><body><h1>502 Bad Gateway</h1><pre>PRIVATE-TOKEN: %s\n%s %s</pre></body></html>\n",
			r.Header.Get("Private-Token"), r.Method, path)
	})
}

// TestAccSecrets_tokenNeverInLogsOrDiagnostics runs Terraform and the
// provider with trace logging into one file, through a proxy that echoes the
// token, and with a revoked token, then searches that log (which also holds
// every diagnostic the provider returned) for both tokens.
//
// It is not parallel: terraform-plugin-testing takes the log settings from
// environment variables of the whole test process, and t.Setenv keeps them
// to this test. The token comes from GITLAB_TOKEN, as in CI, because the test
// harness logs each step's configuration, which no real run does.
func TestAccSecrets_tokenNeverInLogsOrDiagnostics(t *testing.T) {
	logs := filepath.Join(t.TempDir(), "%s.log")
	t.Setenv("TF_LOG", "TRACE")     // the provider under test
	t.Setenv("TF_ACC_LOG", "TRACE") // terraform itself
	t.Setenv("TF_LOG_PATH_MASK", logs)

	env := acctest.NewServed(t, acctest.ServeOptions{Front: echoingProxy})
	project := env.AddProject("acme/app")
	env.AddProject("acme/echo")
	const revoked = "glpat-revoked-but-still-secret"
	tokens := []string{env.Token, revoked}
	useToken := func(tok string) func() { return func() { t.Setenv("GITLAB_TOKEN", tok) } }
	useToken(env.Token)()
	// The token comes from GITLAB_TOKEN, set by useToken.
	configOf := func(body string) string {
		return env.Config(body, acctest.TokenFromEnvironment(), acctest.ProviderAttrs("retries = 1"))
	}

	const keyAddr = "gitlab_error_tracking_client_key.this"
	resources := settingsConfig("acme/app", true, "") + `
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
}

data "gitlab_error_tracking_client_keys" "all" {
  project    = "acme/app"
  depends_on = [gitlab_error_tracking_client_key.this]
}
`

	keyWithDSN := func(store bool, rotation string) string {
		return strings.Replace(resources, "  project = gitlab_error_tracking_settings.this.project\n", fmt.Sprintf(
			"  project = gitlab_error_tracking_settings.this.project\n  store_dsn = %t\n  rotation_triggers = { r = %q }\n"+
				"  lifecycle {\n    create_before_destroy = true\n  }\n", store, rotation), 1)
	}
	// Every DSN and public key the project's keys have had.
	secrets := map[string]bool{}
	collectKeys := stepCheck(func() error {
		for _, k := range env.Server.Keys(project) {
			secrets[k.SentryDSN], secrets[k.PublicKey] = true, true
		}
		return nil
	})

	accTestSerial(t, resource.TestCase{
		Steps: []resource.TestStep{
			// A revoked token is not repeated.
			{
				PreConfig:   useToken(revoked),
				Config:      configOf(settingsConfig("acme/app", true, "")),
				ExpectError: acctest.ErrorLike("GitLab rejected the token (HTTP 401)", "the GITLAB_TOKEN environment variable"),
			},
			// The proxy's page holds the token; the diagnostic quotes the page without it.
			{
				PreConfig:   useToken(env.Token),
				Config:      configOf(`data "gitlab_error_tracking_client_keys" "echo" { project = "acme/echo" }`),
				ExpectError: acctest.ErrorLike("GitLab kept failing (HTTP 502)", `project "acme/echo"`, "PRIVATE-TOKEN: ***"),
			},
			// Terraform refuses to show the DSN in an output not marked sensitive.
			{
				Config:      configOf(resources + `output "dsn" { value = gitlab_error_tracking_client_key.this.sentry_dsn }`),
				ExpectError: acctest.ErrorLike("Output refers to sensitive values"),
			},
			// Plan and apply, the first settings read answered by the echoing
			// proxy and retried; the DSN is sensitive in the resource and the data source.
			{
				Config: configOf(resources),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectSensitiveValue(keyAddr, tfjsonpath.New("sentry_dsn")),
					statecheck.ExpectSensitiveValue("data.gitlab_error_tracking_client_keys.all",
						tfjsonpath.New("keys").AtSliceIndex(0).AtMapKey("sentry_dsn")),
				},
				Check: collectKeys,
			},
			// The DSN's paths: rotated before the old key is deleted and
			// dropped from state (store_dsn = false), then stored again.
			{Config: configOf(keyWithDSN(false, "2")), Check: collectKeys},
			{Config: configOf(keyWithDSN(true, "2")), Check: collectKeys},
		},
	})

	raw, err := os.ReadFile(fmt.Sprintf(logs, t.Name()))
	if err != nil {
		t.Fatalf("reading the trace log: %v", err)
	}
	log := string(raw)
	for _, tok := range tokens {
		if n := strings.Count(log, tok); n > 0 {
			t.Errorf("the trace log holds the token %q %d times", tok, n)
		}
	}
	if len(secrets) < 4 {
		t.Errorf("the test saw %d DSNs and public keys, want those of at least two keys", len(secrets))
	}
	for secret := range secrets {
		if n := strings.Count(log, secret); n > 0 {
			t.Errorf("the trace log holds a DSN or public key %d times", n)
		}
	}
	// The log must have had every chance to hold them: the CLI's trace (which
	// starts with its version, "Terraform version: 1.11.4" or "OpenTofu
	// version: 1.12.6"), the provider's request log, the echoed page at trace
	// level, and the provider's diagnostics, the proxy's page among them.
	cli := acctest.CLI(t)
	for _, want := range []string{
		cli.Name() + " version: " + cli.Version.String(),
		"GitLab API request:",
		"GitLab API response body:",
		"<pre>PRIVATE-TOKEN: ***",
		`diagnostic_summary="GitLab rejected the token (HTTP 401)"`,
		`diagnostic_summary="GitLab kept failing (HTTP 502)"`,
		`Could not list the client keys for project "acme/echo"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the trace log (%d bytes) does not contain %q", len(log), want)
		}
	}
}
