package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// The recipes of the documentation are the files under examples/recipes,
// run here as they are written, against the projects they name.

func recipe(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "recipes", name, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Rotation with create_before_destroy, by a change of rotation_triggers or
// by -replace: the new key exists before the old one is deleted, so an
// application is never without a working DSN.
func TestAccRecipe_rotateClientKeyCreatesBeforeDeleting(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/web-app")
	const addr = "gitlab_error_tracking_client_key.backend"
	config := env.Config(recipe(t, "rotate-client-key"))
	differentKey := valuesDiffer()
	// rotated is a step that replaces the key, with rotation = "2026-q3"
	// and the given addresses tainted, and wants the new key created first.
	rotated := func(taint []string) resource.TestStep {
		return resource.TestStep{
			PreConfig:         env.Server.ResetRequests,
			Taint:             taint,
			Config:            config,
			ConfigVariables:   tfconfig.Variables{"rotation": tfconfig.StringVariable("2026-q3")},
			ConfigPlanChecks:  preApply(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy)),
			ConfigStateChecks: []statecheck.StateCheck{differentKey.add(addr, "key_id")},
			Check:             resource.ComposeAggregateTestCheckFunc(wantServerKeys(env, id, 1), createdBeforeDeleted(env)),
		}
	}

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{differentKey.add(addr, "key_id")},
			},
			// terraform apply -var rotation=...: create first, delete second.
			rotated(nil),
			// terraform apply -replace: create first, delete second.
			rotated([]string{addr}),
		},
		CheckDestroy: wantServerKeys(env, id, 0),
	})
}

// The resource page's main example rotates as the recipe does: -replace
// creates the new key before deleting the old one.
func TestAccExample_clientKeyRotatesWithoutOutage(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/web-app")
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "resources", "gitlab_error_tracking_client_key", "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const addr = "gitlab_error_tracking_client_key.backend"
	config := env.Config(string(b))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:        env.Server.ResetRequests,
				Taint:            []string{addr},
				Config:           config,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy)),
				Check:            createdBeforeDeleted(env),
			},
		},
	})
}

// createdBeforeDeleted fails unless the emulator saw a key created and only
// then a key deleted.
func createdBeforeDeleted(env *acctest.Env) resource.TestCheckFunc {
	return stepCheck(func() error {
		reqs := env.Server.Requests()
		post := slices.IndexFunc(reqs, func(r emulator.Request) bool {
			return r.Method == "POST" && strings.HasSuffix(r.Path, "/client_keys") && r.Status == 201
		})
		del := slices.IndexFunc(reqs, func(r emulator.Request) bool { return r.Method == "DELETE" })
		if post < 0 || del < 0 || del < post {
			return fmt.Errorf("want a key created (request %d) before one is deleted (request %d): %v", post, del, reqs)
		}
		return nil
	})
}

// A key with store_dsn = false: neither its DSN nor its public key is in
// state, and its key_id is.
func TestAccRecipe_dsnNotInState(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/web-app")
	const addr = "gitlab_error_tracking_client_key.backend"

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(recipe(t, "dsn-not-in-state")),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(addr, "sentry_dsn", knownvalue.Null()),
				expectAttr(addr, "public_key", knownvalue.Null()),
				expectAttr(addr, "active", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("backend_key_id", knownvalue.NotNull()),
			},
		}},
	})
}

// One key per project: the key GitLab creates when the settings are saved is
// imported, in a second apply, instead of a second key being created.
func TestAccRecipe_oneKeyPerProjectAdoptsGitLabsKey(t *testing.T) {
	// The import block's id is an expression.
	acctest.SkipBelow(t, acctest.ImportExpressions)
	env := acctest.New(t)
	id := env.AddProject("acme/web-app")
	const addr = "gitlab_error_tracking_client_key.web"
	adopt := env.Config(recipe(t, "one-key-per-project/2-adopt-key"))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// First apply: GitLab creates a key of its own.
			{
				Config: env.Config(recipe(t, "one-key-per-project/1-settings")),
				Check:  wantServerKeys(env, id, 1),
			},
			// Second apply: that key is imported, none is created.
			{
				Config:           adopt,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)),
				Check: resource.ComposeAggregateTestCheckFunc(
					wantServerKeys(env, id, 1),
					func(s *terraform.State) error {
						k, err := keyIDOf(s, addr)
						if want := env.Server.Keys(id)[0].ID; err == nil && k != want {
							return fmt.Errorf("%s manages key %d, want GitLab's key %d", addr, k, want)
						}
						return err
					},
				),
			},
			// The recipe stays as it is: nothing more to do.
			{Config: adopt, PlanOnly: true},
		},
	})
}
