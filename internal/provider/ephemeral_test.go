package provider_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// ephemeralTest is accTest for a test of the ephemeral resources, whose
// values the echo provider stores where the test can read them (acctest.Echo).
func ephemeralTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	acctest.SkipBelow(t, acctest.EphemeralResources)
	tc.ProtoV6ProviderFactories = acctest.EchoProviderFactories()
	accTest(t, tc)
}

// echoed is the path of an attribute in the data that the echo resource
// "this" stored.
func echoed(steps ...string) tfjsonpath.Path {
	p := tfjsonpath.New("data")
	for _, s := range steps {
		p = p.AtMapKey(s)
	}
	return p
}

// ephemeralKeyAndList declares the ephemeral client key name, of project
// and with keyID, and the ephemeral key list "all" of the same project.
func ephemeralKeyAndList(name, project string, keyID int64) string {
	return fmt.Sprintf(`
ephemeral "gitlab_error_tracking_client_key" %[1]q {
  project = %[2]q
  key_id  = %[3]d
}

ephemeral "gitlab_error_tracking_client_keys" "all" {
  project = %[2]q
}
`, name, project, keyID)
}

// serverKey is the emulator's key with id, found after the apply that
// created it.
func serverKey(env *acctest.Env, project, id int64) (emulator.Key, error) {
	for _, k := range env.Server.Keys(project) {
		if k.ID == id {
			return k, nil
		}
	}
	return emulator.Key{}, fmt.Errorf("GitLab has no key %d in project %d", id, project)
}

// The ephemeral client key reads the key a resource manages: the DSN and
// public key GitLab has for it, which Terraform keeps out of the state. The
// ephemeral key list reads the data source's result, filter included.
func TestAccEphemeralClientKey_readsTheManagedKey(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/web-app")
	inactive := env.Server.AddKey(id)
	env.Server.SetKeyActive(inactive.ID, false)
	var managed int64
	// sameAs checks a value against the managed key's in GitLab, without
	// repeating either in a failure message: they are secrets.
	sameAs := func(what string, of func(emulator.Key) string) knownvalue.Check {
		return knownvalue.StringFunc(func(got string) error {
			k, err := serverKey(env, id, managed)
			if err != nil {
				return err
			}
			if got != of(k) {
				return fmt.Errorf("the ephemeral %s is not that of key %d in GitLab", what, managed)
			}
			return nil
		})
	}

	ephemeralTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "gitlab_error_tracking_client_key" "web" {
  project = "acme/web-app"
}

ephemeral "gitlab_error_tracking_client_key" "web" {
  project = gitlab_error_tracking_client_key.web.project
  key_id  = gitlab_error_tracking_client_key.web.key_id
}

ephemeral "gitlab_error_tracking_client_keys" "active" {
  project = gitlab_error_tracking_client_key.web.project
  active  = true
}

resource "echo" "this" {}
`, acctest.Echo(`{
    key    = ephemeral.gitlab_error_tracking_client_key.web
    active = ephemeral.gitlab_error_tracking_client_keys.active
  }`)),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr("gitlab_error_tracking_client_key.web", "key_id",
					knownvalue.Int64Func(func(v int64) error { managed = v; return nil })),
				statecheck.ExpectKnownValue("echo.this", echoed("key", "project"), knownvalue.StringExact("acme/web-app")),
				statecheck.ExpectKnownValue("echo.this", echoed("key", "key_id"),
					knownvalue.Int64Func(func(v int64) error {
						if v != managed {
							return fmt.Errorf("key_id %d, want the managed key's %d", v, managed)
						}
						return nil
					})),
				statecheck.ExpectKnownValue("echo.this", echoed("key", "active"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("echo.this", echoed("key", "sentry_dsn"), sameAs("DSN", func(k emulator.Key) string { return k.SentryDSN })),
				statecheck.ExpectKnownValue("echo.this", echoed("key", "public_key"), sameAs("public key", func(k emulator.Key) string { return k.PublicKey })),
				// The inactive key is left out; the active one is the managed key.
				statecheck.ExpectKnownValue("echo.this", echoed("active", "id"), knownvalue.StringExact("acme/web-app")),
				statecheck.ExpectKnownValue("echo.this", echoed("active", "keys"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("echo.this", echoed("active", "keys").AtSliceIndex(0).AtMapKey("sentry_dsn"),
					sameAs("DSN in the key list", func(k emulator.Key) string { return k.SentryDSN })),
			},
		}},
	})
}

// A project the token cannot see gets the data source's diagnostic, and a
// key the project lacks one that names the keys it has.
func TestAccEphemeralClientKey_missingProjectOrKey(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/web-app")
	key := env.Server.AddKey(id)
	env.Server.AddProject("acme/secret") // the token's user is no member
	projectNotFound := acctest.ErrorLike("Project not found", `Could not list the client keys for project "acme/secret"`,
		"404 Project Not Found", "Check `project`")

	ephemeralTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "gitlab_error_tracking_client_keys" "this" { project = "acme/secret" }`),
				ExpectError: projectNotFound,
			},
			{
				Config: env.Config(`ephemeral "gitlab_error_tracking_client_keys" "this" { project = "acme/secret" }
resource "echo" "this" {}`, acctest.Echo("ephemeral.gitlab_error_tracking_client_keys.this")),
				ExpectError: projectNotFound,
			},
			{
				Config: env.Config(`ephemeral "gitlab_error_tracking_client_key" "this" {
  project = "acme/secret"
  key_id  = 1
}
resource "echo" "this" {}`, acctest.Echo("ephemeral.gitlab_error_tracking_client_key.this")),
				ExpectError: projectNotFound,
			},
			{
				Config: env.Config(`ephemeral "gitlab_error_tracking_client_key" "this" {
  project = "acme/web-app"
  key_id  = 999999
}
resource "echo" "this" {}`, acctest.Echo("ephemeral.gitlab_error_tracking_client_key.this")),
				ExpectError: acctest.ErrorLike("Client key not found", "key_id", `Project "acme/web-app" has no client key 999999: it was deleted in GitLab, or `+"`key_id`"+` is mistyped.`,
					fmt.Sprintf("The IDs of its keys: %d.", key.ID), "Set `key_id` to the key's ID"),
			},
			{
				Config: env.Config(`ephemeral "gitlab_error_tracking_client_key" "this" {
  project = "acme/web-app"
  key_id  = 0
}
resource "echo" "this" {}`, acctest.Echo("ephemeral.gitlab_error_tracking_client_key.this")),
				ExpectError: acctest.ErrorLike("key_id", "must be at least 1, got: 0"),
			},
		},
	})
}

// providerRequirement is the terraform block that a recipe leaves out.
const providerRequirement = `
terraform {
  required_providers {
    gitlab = {
      source = "` + acctest.ProviderSource + `"
    }
  }
}
`

// The ephemeral resources' examples, applied as the pages show them: the
// key list's writes the DSN of each active key, the key's the DSN of the
// key the resource beside it creates.
func TestAccExample_ephemeralResourcesDeliverDSNs(t *testing.T) {
	acctest.SkipBelow(t, acctest.EphemeralResources)
	t.Parallel()
	env := acctest.New(t)
	id := env.AddProject("acme/web-app")
	active := env.Server.AddKey(id)
	env.Server.SetKeyActive(env.Server.AddKey(id).ID, false)
	d := newCLIDir(t, env)
	example := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "ephemeral-resources", name, "ephemeral-resource.tf"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	d.write("versions.tf", providerRequirement)

	d.write("keys.tf", example("gitlab_error_tracking_client_keys"))
	d.run("apply", "-auto-approve", "-input=false", "-no-color")
	if d.read("web-app.dsns") != active.SentryDSN+"\n" {
		t.Errorf("web-app.dsns does not hold the DSN of the active key %d alone", active.ID)
	}
	d.ownerOnly("web-app.dsns")

	// One provider block for both examples: keys.tf has it.
	d.write("key.tf", strings.Replace(example("gitlab_error_tracking_client_key"), `provider "gitlab" {}`, "", 1))
	d.run("apply", "-auto-approve", "-input=false", "-no-color")
	keys := env.Server.Keys(id)
	if len(keys) != 3 {
		t.Fatalf("GitLab has %d keys, want the 2 it had and the new one", len(keys))
	}
	if d.read("web-app.dsn") != keys[2].SentryDSN {
		t.Errorf("web-app.dsn does not hold the DSN of the new key %d", keys[2].ID)
	}
	d.ownerOnly("web-app.dsn")
}

// Terraform and the provider pass the ephemeral values on every plan and
// apply, and at TF_LOG=trace neither writes a DSN or a public key of them
// to the log. Not parallel: the log settings are environment variables of
// the whole test process (see TestAccSecrets_tokenNeverInLogsOrDiagnostics).
func TestAccSecrets_ephemeralDSNsNeverInLogs(t *testing.T) {
	acctest.SkipBelow(t, acctest.EphemeralResources)
	logs := filepath.Join(t.TempDir(), "%s.log")
	t.Setenv("TF_LOG", "TRACE")     // the provider under test
	t.Setenv("TF_ACC_LOG", "TRACE") // terraform itself
	t.Setenv("TF_LOG_PATH_MASK", logs)
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	keys := []emulator.Key{env.Server.AddKey(id), env.Server.AddKey(id)}

	// Used as the guide's recipes use them: in a provisioner's
	// environment, which Terraform does not store.
	accTestSerial(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(ephemeralKeyAndList("first", "acme/app", keys[0].ID) + `
resource "terraform_data" "deliver" {
  provisioner "local-exec" {
    command = "test -n \"$SENTRY_DSN\" && test -n \"$PUBLIC_KEYS\""
    environment = {
      SENTRY_DSN  = ephemeral.gitlab_error_tracking_client_key.first.sentry_dsn
      PUBLIC_KEYS = join(" ", ephemeral.gitlab_error_tracking_client_keys.all.keys[*].public_key)
    }
  }
}
`),
		}},
	})

	raw, err := os.ReadFile(fmt.Sprintf(logs, t.Name()))
	if err != nil {
		t.Fatalf("reading the trace log: %v", err)
	}
	log := string(raw)
	for _, k := range keys {
		if strings.Contains(log, k.SentryDSN) || strings.Contains(log, k.PublicKey) {
			t.Errorf("the trace log holds the DSN or the public key of key %d", k.ID)
		}
	}
	// The log had every chance to hold them: the provider's request log
	// with GitLab's answers, and the ephemeral resources' opening.
	for _, want := range []string{"GitLab API response body:", "OpenEphemeralResource"} {
		if !strings.Contains(log, want) {
			t.Errorf("the trace log (%d bytes) does not contain %q", len(log), want)
		}
	}
}

// The ephemeral resources only read: a token with the read_api scope
// suffices, as for the data sources. Every key list GitLab answers carries
// that token.
func TestAccEphemeralClientKey_readAPITokenSuffices(t *testing.T) {
	var lists struct {
		sync.Mutex
		reader             string // the read_api token
		byReader, byOthers int
	}
	env := acctest.NewServed(t, acctest.ServeOptions{Front: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/error_tracking/client_keys") {
				lists.Lock()
				if r.Header.Get("Private-Token") == lists.reader {
					lists.byReader++
				} else {
					lists.byOthers++
				}
				lists.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}})
	id := env.AddProject("acme/web-app")
	key := env.Server.AddKey(id)
	reader := env.AddUser("reader", id, emulator.RoleMaintainer, "read_api")
	lists.Lock()
	lists.reader = reader
	lists.Unlock()

	ephemeralTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(ephemeralKeyAndList("this", "acme/web-app", key.ID)+`
resource "echo" "this" {}
`, acctest.Token(reader), acctest.Echo(`{
    key = ephemeral.gitlab_error_tracking_client_key.this.active
    all = length(ephemeral.gitlab_error_tracking_client_keys.all.keys)
  }`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.this", echoed("key"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("echo.this", echoed("all"), knownvalue.Int64Exact(1)),
			},
			Check: stepCheck(func() error {
				lists.Lock()
				defer lists.Unlock()
				if lists.byReader == 0 || lists.byOthers != 0 {
					return fmt.Errorf("%d key lists were asked with the read_api token and %d with another; want some and none",
						lists.byReader, lists.byOthers)
				}
				return nil
			}),
		}},
	})
}
