package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// badInput is one mistake a user can make, or one refusal GitLab can answer
// with, and the diagnostic the user must get for it.
type badInput struct {
	name string
	// step builds the emulated GitLab the mistake meets and returns the
	// step that makes it; ExpectError is filled in from want.
	step func(t *testing.T, env *acctest.Env) resource.TestStep
	// want are parts of the diagnostic, in order: what is wrong, the
	// attribute or input at fault, its value, and what to do.
	want []string
	// offline: the mistake is caught before any request reaches GitLab.
	offline bool
}

func TestAccBadInput(t *testing.T) {
	cases := []badInput{
		// Provider configuration.
		{
			name: "base_url without a scheme",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.BaseURL("gitlab.example.com"))}
			},
			want:    []string{"Invalid GitLab base URL", "`base_url`", `"gitlab.example.com"`, "must start with http:// or https://", `"https://gitlab.example.com"`},
			offline: true,
		},
		{
			name: "base_url where nothing listens",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.BaseURL("http://127.0.0.1:1"), acctest.ProviderAttrs("retries = 0"))}
			},
			want: []string{"Cannot reach GitLab", "base_url", "http://127.0.0.1:1/api/v4/", "connection refused", "Check `base_url`"},
		},
		{
			name: "cacert_file that does not exist",
			step: func(t *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(fmt.Sprintf("cacert_file = %q", filepath.Join(t.TempDir(), "missing-ca.pem"))))}
			},
			want: []string{"Invalid provider configuration", "`cacert_file`", "missing-ca.pem", "no such file or directory", "Set `cacert_file` to"},
		},
		{
			name: "cacert_file that holds no certificate",
			step: func(t *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(fmt.Sprintf("cacert_file = %q", writeTemp(t, "ca.pem", "not a certificate"))))}
			},
			want: []string{"Invalid provider configuration", "`cacert_file`", "ca.pem", "contains no PEM-encoded certificate", "Set `cacert_file` to"},
		},
		{
			name: "client_cert without client_key",
			step: func(t *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(`client_cert = "/etc/gitlab/client.pem"`))}
			},
			want:    []string{"Incomplete client certificate", "`client_cert`", `"/etc/gitlab/client.pem"`, "`client_key` is not", "set `client_key`"},
			offline: true,
		},
		{
			name: "client_key without client_cert",
			step: func(t *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(`client_key = "/etc/gitlab/client-key.pem"`))}
			},
			want:    []string{"Incomplete client certificate", "`client_key`", `"/etc/gitlab/client-key.pem"`, "`client_cert` is not", "set `client_cert`"},
			offline: true,
		},
		{
			name: "client_cert that is not a certificate",
			step: func(t *testing.T, env *acctest.Env) resource.TestStep {
				cert := writeTemp(t, "client.pem", "not a certificate")
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(fmt.Sprintf("client_cert = %q\nclient_key = %q", cert, cert)))}
			},
			want: []string{"Invalid provider configuration", "`client_cert`", "client.pem", "Set `client_cert` and `client_key` to"},
		},
		{
			name: "negative retries",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs("retries = -1"))}
			},
			want:    []string{"retries", "must be between 0 and 100", "got: -1"},
			offline: true,
		},
		{
			name: "header name with a space",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(`headers = { "Proxy Auth" = "x" }`))}
			},
			want:    []string{"Invalid header name", "`headers`", `"Proxy Auth"`, "not an HTTP header name", `"X-Proxy-Auth"`},
			offline: true,
		},
		{
			name: "header value with a line break",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs(`headers = { "X-Proxy-Auth" = "secret\nX-Injected: 1" }`))}
			},
			want:    []string{"Invalid header value", "`headers`", `"X-Proxy-Auth"`, "contains a line break", "Remove it"},
			offline: true,
		},
		{
			name: "empty token",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.Token(""))}
			},
			want: []string{"Missing GitLab token", "`token`", "GITLAB_TOKEN", "`api` scope"},
		},

		// The project attribute, checked before anything is sent.
		{
			name: "empty project",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("", true, ""))}
			},
			want:    []string{"Invalid project", "`project`", `""`, "is empty", `numeric ID (for example "42")`, `full path (for example "group/project")`},
			offline: true,
		},
		{
			name: "blank project",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(keyConfig("this", "  "))}
			},
			want:    []string{"Invalid project", "`project`", `"  "`, "is empty", `numeric ID (for example "42")`},
			offline: true,
		},
		{
			name: "project with surrounding spaces",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(`data "gitlab_error_tracking_client_keys" "this" { project = " acme/app" }`)}
			},
			want:    []string{"Invalid project", "`project`", `" acme/app"`, "leading or trailing spaces", `"acme/app"`},
			offline: true,
		},
		{
			name: "URL-encoded project path",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme%2Fapp" }`)}
			},
			want:    []string{"Invalid project", "`project`", `"acme%2Fapp"`, "URL-encoded", `"acme/app"`},
			offline: true,
		},
		{
			name: "project path with an empty segment",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(keyConfig("this", "acme//app"))}
			},
			want:    []string{"Invalid project", "`project`", `"acme//app"`, "not a valid path", `"group/project"`},
			offline: true,
		},
		{
			name: "project that is a client key ID",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app:7", true, ""))}
			},
			want:    []string{"Invalid project", "`project` = \"acme/app:7\" is not a project: a GitLab path has no colon", `"<project>:<key_id>"`, `Use the project alone: "acme/app"`},
			offline: true,
		},
		// Inputs pasted from a browser.
		{
			name: "project that is a web URL",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("https://gitlab.example.com/acme/app/-/settings/monitor", true, ""))}
			},
			want:    []string{"Invalid project", "`project` = \"https://gitlab.example.com/acme/app/-/settings/monitor\" is a web URL, not a path", "without the instance's address", `"acme/app"`},
			offline: true,
		},
		{
			name: "project that is an SSH clone URL",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(keyConfig("this", "git@gitlab.example.com:acme/app.git"))}
			},
			want:    []string{"Invalid project", "`project` = \"git@gitlab.example.com:acme/app.git\" is a clone URL, not a path", `"acme/app"`},
			offline: true,
		},
		{
			name: "project that is an HTTPS clone URL",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(`data "gitlab_error_tracking_client_keys" "this" { project = "https://gitlab.example.com/acme/team/app.git" }`)}
			},
			want:    []string{"Invalid project", "`project` = \"https://gitlab.example.com/acme/team/app.git\" is a clone URL, not a path", `"acme/team/app"`},
			offline: true,
		},
		{
			name: "project path ending in .git",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/app.git" }`)}
			},
			want: []string{"Project not found", `project "acme/app.git"`, "404 Project Not Found", "ends in `.git`, which no GitLab project path does", `most likely "acme/app"`},
		},
		{
			name: `on_destroy = "delete"`,
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, `on_destroy = "delete"`))}
			},
			want:    []string{"on_destroy", "must be one of", `"disable"`, `"keep"`, `"restore"`, `got: "delete"`},
			offline: true,
		},

		// Import IDs.
		{
			name: "client key import ID without a colon",
			step: importStep("gitlab_error_tracking_client_key.this", keyConfig("this", "acme/app"), "acme/app"),
			want: []string{"Invalid import ID", `"acme/app"`, "has no colon", `"<project>:<key_id>"`, `"group/subgroup/project:7"`},
		},
		{
			name: "client key import ID with a key id that is not a number",
			step: importStep("gitlab_error_tracking_client_key.this", keyConfig("this", "acme/app"), "acme/app:abc"),
			want: []string{"Invalid import ID", `key id "abc"`, `"acme/app:abc"`, "not a positive whole number", `"<project>:<key_id>"`},
		},
		{
			name: "client key import ID without a project",
			step: importStep("gitlab_error_tracking_client_key.this", keyConfig("this", "acme/app"), ":5"),
			want: []string{"Invalid import ID", `":5"`, "has no project before the colon", `"<project>:<key_id>"`},
		},
		{
			name: "settings import ID with a trailing space",
			step: importStep(settingsAddr, settingsConfig("acme/app", true, ""), "acme/app "),
			want: []string{"Invalid import ID", `"acme/app "`, "is not a project", "numeric ID or full path", "terraform import gitlab_error_tracking_settings.this group/project"},
		},
		// Import IDs are checked with the words of the configuration validator.
		{
			name: "settings import ID that is a client key ID",
			step: importStep(settingsAddr, settingsConfig("acme/app", true, ""), "acme/app:7"),
			want: []string{"Invalid import ID", `"acme/app:7"`, "is not a project", "`project` = \"acme/app:7\" is not a project: a GitLab path has no colon", `Use the project alone: "acme/app"`},
		},
		{
			name: "settings import ID that is URL-encoded",
			step: importStep(settingsAddr, settingsConfig("acme/app", true, ""), "acme%2Fapp"),
			want: []string{"Invalid import ID", `"acme%2Fapp"`, "is not a project", "`project` = \"acme%2Fapp\" is URL-encoded. Write the path as it appears in GitLab: \"acme/app\""},
		},
		{
			name: "client key import ID with a URL-encoded project",
			step: importStep("gitlab_error_tracking_client_key.this", keyConfig("this", "acme/app"), "acme%2Fapp:7"),
			want: []string{"Invalid import ID", `"acme%2Fapp:7"`, "`project` = \"acme%2Fapp\" is URL-encoded. Write the path as it appears in GitLab: \"acme/app\"", `"<project>:<key_id>"`},
		},
		{
			name: "client key import ID with a web URL",
			step: importStep("gitlab_error_tracking_client_key.this", keyConfig("this", "acme/app"), "https://gitlab.example.com/acme/app:7"),
			want: []string{"Invalid import ID", "`project` = \"https://gitlab.example.com/acme/app\" is a web URL, not a path", `"acme/app"`, `"<project>:<key_id>"`},
		},
		{
			name: "settings import of a path ending in .git",
			step: importStep(settingsAddr, settingsConfig("acme/app", true, ""), "acme/app.git"),
			want: []string{"Project not found", `no project "acme/app.git"`, "Check the import ID", "ends in `.git`", `most likely "acme/app"`},
		},

		// Imports of what GitLab does not have.
		{
			name: "settings import of a project without settings",
			step: importStep(settingsAddr, settingsConfig("acme/app", true, ""), "acme/app"),
			want: []string{"No error-tracking settings to import", `Project "acme/app" has no error-tracking settings`, "404 Error Tracking Setting Not Found",
				"without importing it", "applying it creates the settings"},
		},
		{
			name: "settings import of a missing project",
			step: importStep(settingsAddr, settingsConfig("acme/missing", true, ""), "acme/missing"),
			want: []string{"Project not found", `no project "acme/missing" that the token's user can see`, "404 Project Not Found", "Check the import ID", "member of the project"},
		},
		{
			name: "client key import of a missing project",
			step: importStep("gitlab_error_tracking_client_key.this", keyConfig("this", "acme/missing"), "acme/missing:7"),
			want: []string{"Project not found", `no project "acme/missing" that the token's user can see`, "404 Project Not Found", "Check the import ID"},
		},

		// What GitLab refuses.
		{
			name: "401: token rejected at the start",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.Token("glpat-revoked"))}
			},
			// Terraform quotes the provider block, not the line that holds the token.
			want: []string{"GitLab rejected the token (HTTP 401)", `provider "gitlab" {`, "the `token` attribute", "missing, expired or revoked", "Set the provider's `token`", "`early_auth_check = false`"},
		},
		{
			name: "401: token rejected by a resource without the early check",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.Token("glpat-revoked"), acctest.ProviderAttrs("early_auth_check = false"))}
			},
			want: []string{"GitLab rejected the token (HTTP 401)", `project "acme/app"`, "401 Unauthorized", "Set the provider's `token`"},
		},
		{
			// A key's create first reads the project's keys, which GitLab
			// refuses below Maintainer: a read, refused for the role.
			name: "403: Developer role",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				id := env.AddProject("acme/dev-only")
				return resource.TestStep{Config: env.Config(keyConfig("this", "acme/dev-only"), acctest.Token(env.AddUser("developer", id, emulator.RoleDeveloper)))}
			},
			want: []string{"Not allowed to read error tracking (HTTP 403)", `project "acme/dev-only"`, "GET", "403 Forbidden",
				"only Maintainers and Owners", "reads included", "scope is not at fault: `read_api` is enough for reading", "Ask a project Owner"},
		},
		{
			name: "403: Developer reading the data source",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				id := env.AddProject("acme/dev-reads")
				return resource.TestStep{Config: env.Config(`data "gitlab_error_tracking_client_keys" "this" { project = "acme/dev-reads" }`,
					acctest.Token(env.AddUser("dev-reader", id, emulator.RoleDeveloper, "read_api")))}
			},
			want: []string{"Not allowed to read error tracking (HTTP 403)", `project "acme/dev-reads"`, "403 Forbidden",
				"reads included", "`read_api` is enough for reading"},
		},
		{
			name: "403: read_api token on a write",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				id := env.AddProject("acme/read-only")
				return resource.TestStep{Config: env.Config(settingsConfig("acme/read-only", true, ""), acctest.Token(env.AddUser("reader", id, emulator.RoleMaintainer, "read_api")))}
			},
			want: []string{"Not allowed to manage error tracking (HTTP 403)", `project "acme/read-only"`, "insufficient_scope", "required scope: api", "`read_api`", "token with the `api` scope"},
		},
		{
			name: "missing project",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				return resource.TestStep{Config: env.Config(keyConfig("this", "acme/missing"))}
			},
			want: []string{"Project not found", `project "acme/missing"`, "404 Project Not Found", "Check `project`", `"group/subgroup/project"`},
		},
		{
			name: "settings missing on the data source",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				env.AddProject("acme/none")
				return resource.TestStep{Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/none" }`)}
			},
			want: []string{"No error-tracking settings", `project "acme/none"`, "404 Error Tracking Setting Not Found", "gitlab_error_tracking_settings resource", "Settings > Monitor > Error Tracking"},
		},
		{
			name: "feature flag off: PUT answers 404 Not Found",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				env.Server.SetIntegratedFlag(env.AddProject("acme/flag-off"), false)
				return resource.TestStep{Config: env.Config(settingsConfig("acme/flag-off", true, ""))}
			},
			want: []string{"GitLab cannot create error-tracking settings", `project "acme/flag-off"`, "404 Not Found", "`integrated_error_tracking`", "Settings > Monitor > Error Tracking", "terraform import"},
		},
		{
			name: "integrated = true reported back as false",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				addFlagOffProject(env, "acme/flag-off-existing", true)
				return resource.TestStep{Config: env.Config(settingsConfig("acme/flag-off-existing", true, "integrated = true"))}
			},
			want: []string{"GitLab did not enable integrated error tracking", `"acme/flag-off-existing"`, "integrated = true", "reports integrated = false", "enable the flag", "set `integrated = false`"},
		},
		{
			name: "200 with status error: Sentry mode without Sentry configured",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				env.Server.SetSettings(env.AddProject("acme/integrated"), emulator.Settings{Active: true, Integrated: true})
				return resource.TestStep{Config: env.Config(settingsConfig("acme/integrated", true, "integrated = false"))}
			},
			want: []string{"GitLab refused the change", `project "acme/integrated"`, `"status":"error"`, "api url is a required field", "Nothing was changed", "Sentry API URL", "`integrated = true`"},
		},
		{
			name: "429 until the retries run out",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				env.Server.SetFaults(emulator.Faults{Seed: 1, Rate429: 1, Match: onSettings})
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs("retries = 2"))}
			},
			want: []string{"GitLab kept throttling requests (HTTP 429)", `project "acme/app"`, "gave up after 3 attempts", "429 Too Many Requests: Retry later", "raise the provider's `retries`"},
		},
		{
			name: "502 with a proxy's HTML page",
			step: func(_ *testing.T, env *acctest.Env) resource.TestStep {
				env.Server.SetFaults(emulator.Faults{Seed: 1, Rate502HTML: 1, Match: onSettings})
				return resource.TestStep{Config: env.Config(settingsConfig("acme/app", true, ""), acctest.ProviderAttrs("retries = 1"))}
			},
			want: []string{"GitLab kept failing (HTTP 502)", `project "acme/app"`, "gave up after 2 attempts", "502 Bad Gateway", "nginx", "an HTML page, not GitLab's JSON", "raise the provider's `retries`"},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			env.AddProject("acme/app")
			step := tc.step(t, env)
			step.ExpectError = acctest.ErrorLike(tc.want...)
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{step},
			})
			if n := len(env.Server.Requests()); tc.offline && n != 0 {
				t.Errorf("the mistake should have been caught before any request, but GitLab got %d", n)
			}
		})
	}
}

// importStep imports id into addr, whose configuration is body.
func importStep(addr, body, id string) func(*testing.T, *acctest.Env) resource.TestStep {
	return func(_ *testing.T, env *acctest.Env) resource.TestStep {
		return resource.TestStep{
			Config:        env.Config(body),
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: id,
		}
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func onSettings(_, path string) bool { return strings.HasSuffix(path, "/error_tracking/settings") }
