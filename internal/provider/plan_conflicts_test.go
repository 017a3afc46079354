package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
)

// adoptedKeyConfig imports key keyID of project into the key resource
// named name, as generated configuration does.
func adoptedKeyConfig(env *acctest.Env, name, project string, keyID int64) string {
	return env.Config(fmt.Sprintf(`
import {
  to = gitlab_error_tracking_client_key.%[1]s
  id = "%[2]s:%[3]d"
}

resource "gitlab_error_tracking_client_key" %[1]q {
  project = %[2]q
}`, name, project, keyID))
}

// Renaming an adopted key after the import was applied, with its import
// block's `to`, plans importing the key at the new address and destroying
// it at the old one: the plan fails, naming the key, its project and the
// `moved` block that renames it; GitLab keeps the key. The `moved` block
// then renames it without a write, and the DSN stays the same, as the
// adoption guide shows.
func TestAccPlanConflict_renamedImportOfAppliedKeyIsRefused(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/web")
	key := env.Server.AddKey(id)
	sameDSN := statecheck.CompareValue(compare.ValuesSame())
	// The names of the adoption guide: generated, then chosen.
	const oldAddr, newAddr = "gitlab_error_tracking_client_key.acme_0", "gitlab_error_tracking_client_key.web"

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// The generated configuration, applied.
			{
				Config:            adoptedKeyConfig(env, "acme_0", "acme/web", key.ID),
				ConfigStateChecks: []statecheck.StateCheck{sameDSN.AddStateValue(oldAddr, tfjsonpath.New("sentry_dsn"))},
			},
			// The resource and its import block renamed together: refused.
			{
				Config: adoptedKeyConfig(env, "web", "acme/web", key.ID),
				ExpectError: acctest.ErrorLike(
					fmt.Sprintf(`One plan imports and destroys client key %d of project "acme/web"`, key.ID),
					"at one address (the `to` of an import block)", "moved {",
					"from = gitlab_error_tracking_client_key.<old name, in state>", "to   = gitlab_error_tracking_client_key.<new name, in the configuration>"),
			},
			// GitLab still has the key. A moved block renames it: no write,
			// the same key and DSN.
			{
				PreConfig: func() {
					if got := len(env.Server.Keys(id)); got != 1 {
						t.Fatalf("after the refused plan, project acme/web has %d keys in GitLab, want 1", got)
					}
					env.Server.ResetRequests()
				},
				Config: env.Config(guideBlock(t, adoptionGuide, "rename-moved")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(newAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameDSN.AddStateValue(newAddr, tfjsonpath.New("sentry_dsn")),
					statecheck.ExpectKnownValue(newAddr, tfjsonpath.New("key_id"), knownvalue.Int64Exact(key.ID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(wantServerKeys(env, id, 1), noWrites(env)),
			},
		},
	})
}

// noWrites fails if GitLab got anything but reads since its requests were
// last reset.
func noWrites(env *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range env.Server.Requests() {
			if r.Method != "GET" {
				return fmt.Errorf("GitLab got a write: %s %s", r.Method, r.Path)
			}
		}
		return nil
	}
}
