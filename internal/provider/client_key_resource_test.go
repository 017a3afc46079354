package provider_test

import (
	"fmt"
	"sort"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

func keyConfig(name, project string) string {
	return fmt.Sprintf(`
resource "gitlab_error_tracking_client_key" %[1]q {
  project = %[2]q
}
`, name, project)
}

// wantServerKeys fails unless the project holds exactly n keys on the server.
func wantServerKeys(env *acctest.Env, project int64, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(env.Server.Keys(project)); got != n {
			return fmt.Errorf("project %d has %d keys on the server, want %d", project, got, n)
		}
		return nil
	}
}

// dataSourceListsKeysInIDOrder fails unless the data source lists exactly the
// given key resources, ordered by key id, with their DSNs. Terraform creates
// the keys in parallel, so which of them gets the lower id is not known.
func dataSourceListsKeysInIDOrder(dataSource string, keys ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ds, ok := s.RootModule().Resources[dataSource]
		if !ok {
			return fmt.Errorf("%s not in state", dataSource)
		}
		type key struct {
			id  int64
			dsn string
		}
		want := make([]key, 0, len(keys))
		for _, addr := range keys {
			id, err := keyIDOf(s, addr)
			if err != nil {
				return err
			}
			want = append(want, key{id, s.RootModule().Resources[addr].Primary.Attributes["sentry_dsn"]})
		}
		sort.Slice(want, func(i, j int) bool { return want[i].id < want[j].id })
		attrs := ds.Primary.Attributes
		if got := attrs["keys.#"]; got != strconv.Itoa(len(want)) {
			return fmt.Errorf("%s lists %s keys, want %d", dataSource, got, len(want))
		}
		for i, k := range want {
			if got := attrs[fmt.Sprintf("keys.%d.id", i)]; got != strconv.FormatInt(k.id, 10) {
				return fmt.Errorf("%s keys.%d.id = %s, want %d", dataSource, i, got, k.id)
			}
			if got := attrs[fmt.Sprintf("keys.%d.sentry_dsn", i)]; got != k.dsn {
				return fmt.Errorf("%s keys.%d.sentry_dsn = %q, want %q", dataSource, i, got, k.dsn)
			}
		}
		return nil
	}
}

// keyIDOf reads key_id of a resource from state.
func keyIDOf(s *terraform.State, addr string) (int64, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return 0, fmt.Errorf("%s not in state", addr)
	}
	return strconv.ParseInt(rs.Primary.Attributes["key_id"], 10, 64)
}

// importKeyStep imports the key at addr by "<project>:<key_id>", with
// project as given, and verifies the imported state against the prior one.
func importKeyStep(addr, project string) resource.TestStep {
	return resource.TestStep{
		ResourceName: addr,
		ImportState:  true,
		ImportStateIdFunc: func(s *terraform.State) (string, error) {
			k, err := keyIDOf(s, addr)
			return fmt.Sprintf("%s:%d", project, k), err
		},
		ImportStateVerify: true,
	}
}

func TestAccClientKey_twoKeysAndDataSource(t *testing.T) {
	env := acctest.New(t)
	const path = "group/sub/project"
	id := env.AddProject(path)
	config := env.Config(keyConfig("a", path) + keyConfig("b", path) + fmt.Sprintf(`
data "gitlab_error_tracking_client_keys" "all" {
  project    = %[1]q
  depends_on = [gitlab_error_tracking_client_key.a, gitlab_error_tracking_client_key.b]
}

output "dsn_a" {
  value = nonsensitive(gitlab_error_tracking_client_key.a.sentry_dsn)
}
`, path))
	keyA := statecheck.CompareValue(compare.ValuesSame())
	var keyB int64 // key_id of b, so that a later step can delete that very key

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Two keys created; the data source lists both, in id order; the DSN works from an output.
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					wantServerKeys(env, id, 2),
					func(s *terraform.State) (err error) {
						keyB, err = keyIDOf(s, "gitlab_error_tracking_client_key.b")
						return err
					},
					dataSourceListsKeysInIDOrder("data.gitlab_error_tracking_client_keys.all",
						"gitlab_error_tracking_client_key.a", "gitlab_error_tracking_client_key.b"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.gitlab_error_tracking_client_keys.all", tfjsonpath.New("keys"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("gitlab_error_tracking_client_key.a", tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("gitlab_error_tracking_client_key.a", tfjsonpath.New("public_key"), knownvalue.StringRegexp(regexpPublicKey)),
					statecheck.ExpectKnownOutputValue("dsn_a", knownvalue.StringRegexp(regexpDSN)),
					keyA.AddStateValue("gitlab_error_tracking_client_key.a", tfjsonpath.New("key_id")),
				},
			},
			// Import by <path>:<key_id>, the path holding slashes.
			importKeyStep("gitlab_error_tracking_client_key.a", path),
			// Drift: key b deleted outside Terraform; the plan creates it again.
			{
				PreConfig: func() { env.Server.RemoveKey(keyB) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.b", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.a", plancheck.ResourceActionNoop),
					},
				},
				Check: wantServerKeys(env, id, 2),
				ConfigStateChecks: []statecheck.StateCheck{
					keyA.AddStateValue("gitlab_error_tracking_client_key.a", tfjsonpath.New("key_id")),
				},
			},
			// Drift: key a deactivated in GitLab's UI; the plan replaces it with a new active key.
			{
				PreConfig: func() { env.Server.SetKeyActive(env.Server.Keys(id)[0].ID, false) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.a", plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				Check: wantServerKeys(env, id, 2),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("gitlab_error_tracking_client_key.a", tfjsonpath.New("active"), knownvalue.Bool(true)),
				},
			},
		},
		CheckDestroy: wantServerKeys(env, id, 0),
	})
}

func TestAccClientKey_switchFromIDToPathKeepsKey(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	byID := strconv.FormatInt(id, 10)
	sameKey := statecheck.CompareValue(compare.ValuesSame())

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            env.Config(keyConfig("this", byID)),
				ConfigStateChecks: []statecheck.StateCheck{sameKey.AddStateValue("gitlab_error_tracking_client_key.this", tfjsonpath.New("sentry_dsn"))},
			},
			// Import by <id>:<key_id>.
			importKeyStep("gitlab_error_tracking_client_key.this", byID),
			// The same project by its path: an in-place update, the DSN unchanged.
			{
				Config: env.Config(keyConfig("this", "acme/app")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.this", plancheck.ResourceActionUpdate)},
				},
				Check: wantServerKeys(env, id, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					sameKey.AddStateValue("gitlab_error_tracking_client_key.this", tfjsonpath.New("sentry_dsn")),
					statecheck.ExpectKnownValue("gitlab_error_tracking_client_key.this", tfjsonpath.New("id"), knownvalue.StringRegexp(regexpKeyIDOf("acme/app"))),
				},
			},
			// Nothing left to change.
			{Config: env.Config(keyConfig("this", "acme/app")), PlanOnly: true},
		},
	})
}

func TestAccClientKey_importOnThirdPageAndDataSourceOf250(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportBlocks)
	env := acctest.New(t)
	id := env.AddProject("acme/big")
	var target emulator.Key
	for i := 0; i < 250; i++ {
		k := env.Server.AddKey(id)
		if i == 230 {
			target = k
		}
	}
	config := env.Config(fmt.Sprintf(`
import {
  to = gitlab_error_tracking_client_key.this
  id = "acme/big:%[1]d"
}

resource "gitlab_error_tracking_client_key" "this" {
  project = "acme/big"
}

data "gitlab_error_tracking_client_keys" "all" {
  project = "acme/big"
}
`, target.ID))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// An import block finds the key on the third page of 100; the data source returns all 250.
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("gitlab_error_tracking_client_key.this", tfjsonpath.New("key_id"), knownvalue.Int64Exact(target.ID)),
					statecheck.ExpectKnownValue("gitlab_error_tracking_client_key.this", tfjsonpath.New("public_key"), knownvalue.StringExact(target.PublicKey)),
					statecheck.ExpectKnownValue("data.gitlab_error_tracking_client_keys.all", tfjsonpath.New("keys"), knownvalue.ListSizeExact(250)),
					statecheck.ExpectKnownValue("data.gitlab_error_tracking_client_keys.all", tfjsonpath.New("keys").AtSliceIndex(249).AtMapKey("public_key"),
						knownvalue.StringExact(env.Server.Keys(id)[249].PublicKey)),
				},
				Check: wantServerKeys(env, id, 250),
			},
		},
	})
}

func TestAccClientKey_generateConfigFromImportBlock(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportBlocks)
	env := acctest.New(t)
	id := env.AddProject("acme/gen")
	key := env.Server.AddKey(id)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(keyConfig("this", "acme/gen"))},
			// terraform plan -generate-config-out with an import block of <path>:<key_id>.
			{
				ResourceName:    "gitlab_error_tracking_client_key.this",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   fmt.Sprintf("acme/gen:%d", key.ID),
				GenerateConfig:  true,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{
						// In a later step the generated resource is named "generated", beside "this".
						plancheck.ExpectKnownValue("gitlab_error_tracking_client_key.generated", tfjsonpath.New("key_id"), knownvalue.Int64Exact(key.ID)),
					},
				},
			},
		},
	})
}
