package provider_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	return stepCheck(func() error {
		if got := len(env.Server.Keys(project)); got != n {
			return fmt.Errorf("project %d has %d keys on the server, want %d", project, got, n)
		}
		return nil
	})
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
	keyA := valuesSame()
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
					expectAttr("data.gitlab_error_tracking_client_keys.all", "keys", knownvalue.ListSizeExact(2)),
					expectAttr("gitlab_error_tracking_client_key.a", "active", knownvalue.Bool(true)),
					expectAttr("gitlab_error_tracking_client_key.a", "public_key", knownvalue.StringRegexp(regexpPublicKey)),
					statecheck.ExpectKnownOutputValue("dsn_a", knownvalue.StringRegexp(regexpDSN)),
					keyA.add("gitlab_error_tracking_client_key.a", "key_id"),
				},
			},
			// Import by <path>:<key_id>, the path holding slashes.
			importKeyStep("gitlab_error_tracking_client_key.a", path),
			// Drift: key b deleted outside Terraform; the plan creates it again.
			{
				PreConfig: func() { env.Server.RemoveKey(keyB) },
				Config:    config,
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.b", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.a", plancheck.ResourceActionNoop),
				),
				Check: wantServerKeys(env, id, 2),
				ConfigStateChecks: []statecheck.StateCheck{
					keyA.add("gitlab_error_tracking_client_key.a", "key_id"),
				},
			},
			// Drift: key a deactivated in GitLab's UI; the plan replaces it with a new active key.
			{
				PreConfig:        func() { env.Server.SetKeyActive(env.Server.Keys(id)[0].ID, false) },
				Config:           config,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.a", plancheck.ResourceActionDestroyBeforeCreate)),
				Check:            wantServerKeys(env, id, 2),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr("gitlab_error_tracking_client_key.a", "active", knownvalue.Bool(true)),
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
	sameKey := valuesSame()

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            env.Config(keyConfig("this", byID)),
				ConfigStateChecks: []statecheck.StateCheck{sameKey.add("gitlab_error_tracking_client_key.this", "sentry_dsn")},
			},
			// Import by <id>:<key_id>.
			importKeyStep("gitlab_error_tracking_client_key.this", byID),
			// The same project by its path: an in-place update, the DSN unchanged.
			{
				Config:           env.Config(keyConfig("this", "acme/app")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.this", plancheck.ResourceActionUpdate)),
				Check:            wantServerKeys(env, id, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					sameKey.add("gitlab_error_tracking_client_key.this", "sentry_dsn"),
					expectAttr("gitlab_error_tracking_client_key.this", "id", knownvalue.StringRegexp(regexpKeyIDOf("acme/app"))),
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
					expectAttr("gitlab_error_tracking_client_key.this", "key_id", knownvalue.Int64Exact(target.ID)),
					expectAttr("gitlab_error_tracking_client_key.this", "public_key", knownvalue.StringExact(target.PublicKey)),
					expectAttr("data.gitlab_error_tracking_client_keys.all", "keys", knownvalue.ListSizeExact(250)),
					expectAttr("data.gitlab_error_tracking_client_keys.all", "keys", knownvalue.ListPartial(map[int]knownvalue.Check{
						249: knownvalue.ObjectPartial(map[string]knownvalue.Check{"public_key": knownvalue.StringExact(env.Server.Keys(id)[249].PublicKey)}),
					})),
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
						expectPlannedAttr("gitlab_error_tracking_client_key.generated", "key_id", knownvalue.Int64Exact(key.ID)),
					},
				},
			},
		},
	})
}

// An import of a key the project does not have names the ID and lists the
// IDs the project has, instead of Terraform's "non-existent remote object".
func TestAccImport_keyNotInProjectListsItsKeys(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/keys")
	a, b := env.Server.AddKey(id), env.Server.AddKey(id)
	other := env.Server.AddKey(env.AddProject("acme/other")) // a key, but of another project

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:        env.Config(keyConfig("this", "acme/keys")),
				ResourceName:  "gitlab_error_tracking_client_key.this",
				ImportState:   true,
				ImportStateId: fmt.Sprintf("acme/keys:%d", other.ID),
				ExpectError: acctest.ErrorLike("No such client key", fmt.Sprintf(`Project "acme/keys" has no client key %d`, other.ID),
					fmt.Sprintf("The IDs of its keys: %d, %d.", a.ID, b.ID), `"acme/keys:<key_id>"`),
			},
		},
	})
}

func TestAccImport_keyOfProjectWithoutKeys(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/empty")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:        env.Config(keyConfig("this", "acme/empty")),
				ResourceName:  "gitlab_error_tracking_client_key.this",
				ImportState:   true,
				ImportStateId: "acme/empty:7",
				ExpectError:   acctest.ErrorLike("No such client key", `Project "acme/empty" has no client key 7`, "It has no client keys."),
			},
		},
	})
}

// cliMain is a configuration for a cliDir: the provider from GITLAB_TOKEN
// and GITLAB_BASE_URL, and body.
func cliMain(body string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    gitlab = {
      source = %q
    }
  }
}

provider "gitlab" {}
%s`, acctest.ProviderSource, body)
}

func storeDSNConfig(store string) string {
	return cliMain(fmt.Sprintf(`
resource "gitlab_error_tracking_client_key" "this" {
  project   = "acme/app"
  store_dsn = %s
}
`, store))
}

// anyPublicKey matches a key's public part, which every DSN holds.
var anyPublicKey = regexp.MustCompile(`glet_[0-9a-f]{32}`)

// secretsIn counts the public keys (so the DSNs too) in text, as written
// and base64-decoded (how private state is stored), without repeating them.
func secretsIn(text string) int {
	n := len(anyPublicKey.FindAllString(text, -1))
	for _, word := range regexp.MustCompile(`[A-Za-z0-9+/=]{40,}`).FindAllString(text, -1) {
		if decoded, err := base64.StdEncoding.DecodeString(word); err == nil {
			n += len(anyPublicKey.FindAll(decoded, -1))
		}
	}
	return n
}

// keyState is the client key's attributes in the state file of d.
func (d *cliDir) keyState(addr string) map[string]any {
	d.t.Helper()
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal([]byte(d.read("terraform.tfstate")), &st); err != nil {
		d.t.Fatalf("reading the state file: %v", err)
	}
	for _, r := range st.Resources {
		if r.Type+"."+r.Name == addr && len(r.Instances) == 1 {
			return r.Instances[0].Attributes
		}
	}
	d.t.Fatalf("%s is not in the state file", addr)
	return nil
}

// wantOnlyKeyLists fails unless requests are n lists of the client keys,
// besides the token check that every provider process makes when it is
// configured.
func wantOnlyKeyLists(t *testing.T, what string, requests []emulator.Request, n int) {
	t.Helper()
	lists, others := 0, 0
	for _, r := range requests {
		switch {
		case r.Method == "GET" && strings.HasSuffix(r.Path, "/error_tracking/client_keys"):
			lists++
		case r.Method != "GET" || r.Path != "/api/v4/user":
			others++
		}
	}
	if lists != n || others != 0 {
		t.Errorf("%s sent %d key lists and %d other requests (token checks aside); want %d key lists and nothing else:\n%s",
			what, lists, others, n, formatTally(requestTally(requests)))
	}
}

// A key with store_dsn = false: its state file holds neither its DSN nor
// its public key, and drift is still found by key_id. Switching to true
// lists the keys once at apply and stores GitLab's DSN; switching back sends
// no request. Each switch is applied from a saved plan, so that the apply's
// own requests are counted.
func TestAccClientKey_storeDSN(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	project := env.AddProject("acme/app")
	d := newCLIDir(t, env)
	const addr = "gitlab_error_tracking_client_key.this"

	d.write("main.tf", storeDSNConfig("false"))
	d.run("apply", "-auto-approve", "-input=false", "-no-color")
	keys := env.Server.Keys(project)
	if len(keys) != 1 {
		t.Fatalf("the project has %d keys, want 1", len(keys))
	}
	if n := secretsIn(d.read("terraform.tfstate")); n != 0 {
		t.Errorf("with store_dsn = false the state file holds a DSN or public key %d times", n)
	}
	attrs := d.keyState(addr)
	if attrs["key_id"] != float64(keys[0].ID) || attrs["sentry_dsn"] != nil || attrs["public_key"] != nil || attrs["store_dsn"] != false {
		t.Errorf("state: key_id %v (want %d), store_dsn %v, sentry_dsn set %t, public_key set %t",
			attrs["key_id"], keys[0].ID, attrs["store_dsn"], attrs["sentry_dsn"] != nil, attrs["public_key"] != nil)
	}
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")

	// false → true: one key list, at apply.
	d.write("main.tf", storeDSNConfig("true"))
	out := d.run("plan", "-out=tfplan", "-input=false", "-no-color")
	if !strings.Contains(out, "1 to change") || !strings.Contains(out, "store_dsn") {
		t.Errorf("want an in-place change of store_dsn:\n%s", out)
	}
	env.Server.ResetRequests()
	d.run("apply", "-input=false", "-no-color", "tfplan")
	wantOnlyKeyLists(t, "the apply of store_dsn = true", env.Server.Requests(), 1)
	attrs = d.keyState(addr)
	if attrs["sentry_dsn"] != keys[0].SentryDSN || attrs["public_key"] != keys[0].PublicKey {
		t.Errorf("with store_dsn = true the state does not hold GitLab's DSN and public key (set: %t, %t)",
			attrs["sentry_dsn"] != nil, attrs["public_key"] != nil)
	}
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")

	// true → false: no request at all, and the state file drops both.
	d.write("main.tf", storeDSNConfig("false"))
	out = d.run("plan", "-out=tfplan", "-input=false", "-no-color")
	if !strings.Contains(out, "1 to change") || !strings.Contains(out, "store_dsn") {
		t.Errorf("want an in-place change of store_dsn:\n%s", out)
	}
	env.Server.ResetRequests()
	d.run("apply", "-input=false", "-no-color", "tfplan")
	wantOnlyKeyLists(t, "the apply of store_dsn = false", env.Server.Requests(), 0)
	if n := secretsIn(d.read("terraform.tfstate")); n != 0 {
		t.Errorf("after switching to store_dsn = false the state file holds a DSN or public key %d times", n)
	}
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")

	// Drift by key_id: deactivated in GitLab, the key is replaced; deleted, created again.
	env.Server.SetKeyActive(keys[0].ID, false)
	out, code := d.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if code != 2 || !strings.Contains(out, "must be replaced") {
		t.Errorf("a key deactivated in GitLab: plan exited %d, want 2 with a replacement:\n%s", code, out)
	}
	env.Server.RemoveKey(keys[0].ID)
	out, code = d.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if code != 2 || !strings.Contains(out, "will be created") {
		t.Errorf("a key deleted in GitLab: plan exited %d, want 2 with a create:\n%s", code, out)
	}
}

func rotatedKeyConfig(env *acctest.Env, rotation string, createBeforeDestroy bool) string {
	lifecycle := ""
	if createBeforeDestroy {
		lifecycle = "\n  lifecycle {\n    create_before_destroy = true\n  }\n"
	}
	return env.Config(fmt.Sprintf(`
resource "gitlab_error_tracking_client_key" "this" {
  project           = "acme/rotate"
  rotation_triggers = { rotation = %q }
%s}
`, rotation, lifecycle))
}

// wantWrites fails unless GitLab received exactly these writes, in this
// order: "POST" for a key created, "DELETE <id>" for a key deleted.
func wantWrites(env *acctest.Env, want ...string) resource.TestCheckFunc {
	return stepCheck(func() error {
		var got []string
		for _, r := range env.Server.Requests() {
			switch {
			case r.Method == "POST" && strings.HasSuffix(r.Path, "/error_tracking/client_keys"):
				got = append(got, "POST")
			case r.Method == "DELETE":
				got = append(got, "DELETE "+r.Path[strings.LastIndex(r.Path, "/")+1:])
			case r.Method != "GET":
				got = append(got, r.Method+" "+r.Path)
			}
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("GitLab received the writes %q, want %q", got, want)
		}
		return nil
	})
}

// A change of rotation_triggers replaces the key: deleting the old one
// first by default, and with create_before_destroy creating the new one
// before the old one is deleted, so that both DSNs work in between.
func TestAccClientKey_rotationTriggers(t *testing.T) {
	env := acctest.New(t)
	project := env.AddProject("acme/rotate")
	const addr = "gitlab_error_tracking_client_key.this"
	var keyID int64
	oldKey := func() string { return "DELETE " + strconv.FormatInt(keyID, 10) }
	rememberKey := func(s *terraform.State) (err error) {
		keyID, err = keyIDOf(s, addr)
		return err
	}
	newKey := valuesDiffer()

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            rotatedKeyConfig(env, "2026-01", false),
				Check:             rememberKey,
				ConfigStateChecks: []statecheck.StateCheck{newKey.add(addr, "sentry_dsn")},
			},
			// Unchanged triggers: nothing to do.
			{Config: rotatedKeyConfig(env, "2026-01", false), PlanOnly: true},
			{
				PreConfig:        env.Server.ResetRequests,
				Config:           rotatedKeyConfig(env, "2026-02", false),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error { return wantWrites(env, oldKey(), "POST")(s) },
					wantServerKeys(env, project, 1), rememberKey),
				ConfigStateChecks: []statecheck.StateCheck{newKey.add(addr, "sentry_dsn")},
			},
			{
				PreConfig:        env.Server.ResetRequests,
				Config:           rotatedKeyConfig(env, "2026-03", true),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy)),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error { return wantWrites(env, "POST", oldKey())(s) },
					wantServerKeys(env, project, 1), rememberKey),
				ConfigStateChecks: []statecheck.StateCheck{newKey.add(addr, "sentry_dsn")},
			},
		},
		CheckDestroy: wantServerKeys(env, project, 0),
	})
}

// applySavedPlan plans into a file and wants the plan's summary line, then
// applies that plan: the apply walk alone, whose requests GitLab logs.
func (d *cliDir) applySavedPlan(env *acctest.Env, summary string) []emulator.Request {
	d.t.Helper()
	out := d.run("plan", "-out=tfplan", "-input=false", "-no-color")
	if !strings.Contains(out, summary) {
		d.t.Errorf("the plan does not say %q:\n%s", summary, out)
	}
	env.Server.ResetRequests()
	d.run("apply", "-input=false", "-no-color", "tfplan")
	return env.Server.Requests()
}

// Imports, by ID and by identity, never see the configuration: with
// store_dsn = false they plan the import and an in-place change, whose apply
// sends no request and leaves the DSN and the public key out of the state
// file.
func TestAccClientKey_importWithoutDSN(t *testing.T) {
	for _, tc := range []struct {
		name   string
		needs  acctest.Feature
		target func(project int64, key emulator.Key) string
	}{
		{"id", acctest.ImportBlocks, func(_ int64, key emulator.Key) string { return fmt.Sprintf("id = \"acme/app:%d\"", key.ID) }},
		{"identity", acctest.ResourceIdentity, func(project int64, key emulator.Key) string {
			return fmt.Sprintf("identity = {\n    project_id = %d\n    key_id     = %d\n  }", project, key.ID)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.SkipBelow(t, tc.needs)
			t.Parallel()
			env := acctest.New(t)
			project := env.AddProject("acme/app")
			key := env.Server.AddKey(project)
			d := newCLIDir(t, env)
			d.write("main.tf", storeDSNConfig("false")+fmt.Sprintf(`
import {
  to = gitlab_error_tracking_client_key.this
  %s
}
`, tc.target(project, key)))
			requests := d.applySavedPlan(env, "1 to import, 0 to add, 1 to change, 0 to destroy")
			wantOnlyKeyLists(t, "the apply of the import", requests, 0)
			if n := secretsIn(d.read("terraform.tfstate")); n != 0 {
				t.Errorf("the state file holds a DSN or public key %d times", n)
			}
			if got := d.keyState("gitlab_error_tracking_client_key.this")["key_id"]; got != float64(key.ID) {
				t.Errorf("key_id %v in state, want %d", got, key.ID)
			}
			d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
		})
	}
}

// Moved blocks from gitlabhq/gitlab (the migration guide's recipe) with
// store_dsn = false: the move keeps the keys, and the in-place change it
// plans sends no request and drops their DSNs from the state file.
func TestAccMigrate_movedBlocksWithoutDSN(t *testing.T) {
	m := newMigration(t, acctest.CrossProviderMoved)
	m.writeConfig("providers", "resources", "moved")
	config := m.read("main.tf")
	for _, project := range []string{"gitlab_error_tracking_settings.web.project", "each.value.project"} {
		line := "  project = " + project + "\n"
		if !strings.Contains(config, line) {
			t.Fatalf("the guide's configuration has no line %q", line)
		}
		config = strings.Replace(config, line, line+"  store_dsn = false\n", 1)
	}
	m.write("main.tf", config)
	requests := m.applySavedPlan(m.env, "0 to add, 3 to change, 0 to destroy")
	wantOnlyKeyLists(t, "the apply of the moves", requests, 0)
	if n := secretsIn(m.read("terraform.tfstate")); n != 0 {
		t.Errorf("the state file holds a DSN or public key %d times", n)
	}
	m.checkIdentity()
	m.checkPlanEmpty()
}

// terraform query -json prints no DSN and no public key: with and without
// include_resource, and with the adoption guide's -generate-config-out,
// whose generated configuration holds none either. Each key is listed.
func TestAccQuery_jsonPrintsNoDSN(t *testing.T) {
	acctest.SkipBelow(t, acctest.Query)
	t.Parallel()
	w := newQueryWorld(t)
	d := newCLIDir(t, w.env)
	d.write("main.tf", cliMain(""))
	withResource := listBlock("gitlab_error_tracking_client_key", "with", `group = "acme"`)
	d.write("keys.tfquery.hcl", withResource+
		strings.Replace(listBlock("gitlab_error_tracking_client_key", "without", `group = "acme"`), "include_resource = true", "include_resource = false", 1))
	out := d.run("query", "-json", "-no-color")
	for _, k := range []emulator.Key{w.webKeys[0], w.webKeys[1], w.apiKey} {
		if n := strings.Count(out, fmt.Sprintf(`:%d"`, k.ID)); n < 2 {
			t.Errorf("key %d is named %d times in the output, want once per list block", k.ID, n)
		}
	}
	if !strings.Contains(out, `"resource_object"`) {
		t.Errorf("the output has no resource object, though include_resource is set:\n%s", anyPublicKey.ReplaceAllString(out, "glet_***"))
	}
	if n := secretsIn(out); n != 0 {
		t.Errorf("terraform query -json printed a DSN or public key %d times", n)
	}

	d.write("keys.tfquery.hcl", guideBlock(t, adoptionGuide, "query-list"))
	out = d.run(append(strings.Fields(guideBlock(t, adoptionGuide, "query-command"))[1:], "-json", "-no-color")...)
	if n := secretsIn(out) + secretsIn(d.read("generated.tf")); n != 0 {
		t.Errorf("terraform query -generate-config-out -json printed or wrote a DSN or public key %d times", n)
	}
	if !regexp.MustCompile(fmt.Sprintf(`key_id\s*=\s*%d\n`, w.apiKey.ID)).MatchString(d.read("generated.tf")) {
		t.Errorf("generated.tf does not import key %d:\n%s", w.apiKey.ID, anyPublicKey.ReplaceAllString(d.read("generated.tf"), "glet_***"))
	}
}

// State written before store_dsn and rotation_triggers existed: a plan
// with or without refresh is empty, and the refresh reads store_dsn as true
// and keeps the DSN.
func TestAccClientKey_stateWithoutStoreDSN(t *testing.T) {
	t.Parallel()
	env := acctest.New(t)
	project := env.AddProject("acme/app")
	d := newCLIDir(t, env)
	d.write("main.tf", cliMain(keyConfig("this", "acme/app")))
	d.run("apply", "-auto-approve", "-input=false", "-no-color")

	var st map[string]any
	if err := json.Unmarshal([]byte(d.read("terraform.tfstate")), &st); err != nil {
		t.Fatal(err)
	}
	attrs := st["resources"].([]any)[0].(map[string]any)["instances"].([]any)[0].(map[string]any)["attributes"].(map[string]any)
	delete(attrs, "store_dsn")
	delete(attrs, "rotation_triggers")
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	d.write("terraform.tfstate", string(raw))

	d.run("plan", "-refresh=false", "-detailed-exitcode", "-input=false", "-no-color")
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	d.run("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	got := d.keyState("gitlab_error_tracking_client_key.this")
	if key := env.Server.Keys(project)[0]; got["store_dsn"] != true || got["sentry_dsn"] != key.SentryDSN {
		t.Errorf("after a refresh: store_dsn %v, sentry_dsn is GitLab's: %t; want true, true", got["store_dsn"], got["sentry_dsn"] == key.SentryDSN)
	}
}

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
	sameDSN := valuesSame()
	// The names of the adoption guide: generated, then chosen.
	const oldAddr, newAddr = "gitlab_error_tracking_client_key.acme_0", "gitlab_error_tracking_client_key.web"

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// The generated configuration, applied.
			{
				Config:            adoptedKeyConfig(env, "acme_0", "acme/web", key.ID),
				ConfigStateChecks: []statecheck.StateCheck{sameDSN.add(oldAddr, "sentry_dsn")},
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
				Config:           env.Config(guideBlock(t, adoptionGuide, "rename-moved")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(newAddr, plancheck.ResourceActionNoop)),
				ConfigStateChecks: []statecheck.StateCheck{
					sameDSN.add(newAddr, "sentry_dsn"),
					expectAttr(newAddr, "key_id", knownvalue.Int64Exact(key.ID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(wantServerKeys(env, id, 1), noWrites(env)),
			},
		},
	})
}

// noWrites fails if GitLab got anything but reads since its requests were
// last reset.
func noWrites(env *acctest.Env) resource.TestCheckFunc {
	return stepCheck(func() error {
		for _, r := range env.Server.Requests() {
			if r.Method != "GET" {
				return fmt.Errorf("GitLab got a write: %s %s", r.Method, r.Path)
			}
		}
		return nil
	})
}
