package provider_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// queryWorld is a group with a subgroup, an archived project and a project
// that never had error tracking, all set up outside Terraform.
type queryWorld struct {
	env                      *acctest.Env
	group                    int64
	web, api, archived, bare int64
	webKeys                  []emulator.Key // the second one inactive
	apiKey, archivedKey      emulator.Key
}

func newQueryWorld(t *testing.T) *queryWorld {
	env := acctest.New(t)
	w := &queryWorld{env: env}
	w.group = env.Server.AddGroup("acme")
	env.Server.SetGroupRole(w.group, env.UserID, emulator.RoleMaintainer)
	w.web = env.Server.AddProject("acme/web")
	w.api = env.Server.AddProject("acme/team/api")
	w.archived = env.Server.AddProject("acme/old")
	w.bare = env.Server.AddProject("acme/bare")
	env.Server.SetArchived(w.archived, true)
	for _, id := range []int64{w.web, w.api, w.archived} {
		env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
	}
	w.webKeys = []emulator.Key{env.Server.AddKey(w.web), env.Server.AddKey(w.web)}
	env.Server.SetKeyActive(w.webKeys[1].ID, false)
	w.apiKey = env.Server.AddKey(w.api)
	w.archivedKey = env.Server.AddKey(w.archived)
	return w
}

// test runs query steps after a step that writes the provider's
// configuration, which the query files use.
func (w *queryWorld) test(t *testing.T, steps ...resource.TestStep) {
	acctest.SkipBelow(t, acctest.Query)
	for i := range steps {
		steps[i].Query = true
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps:                    append([]resource.TestStep{{Config: w.env.Config("")}}, steps...),
	})
}

func listBlock(kind, name, config string) string {
	return fmt.Sprintf(`
list %q %q {
  provider = gitlab
  include_resource = true
  config {
    %s
  }
}
`, kind, name, config)
}

func keyIdentity(project, key int64) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"project_id": knownvalue.Int64Exact(project), "key_id": knownvalue.Int64Exact(key)}
}

func TestAccQuery_group(t *testing.T) {
	w := newQueryWorld(t)
	keys := "gitlab_error_tracking_client_key.acme"
	settings := "gitlab_error_tracking_settings.acme"
	w.test(t, resource.TestStep{
		Config: listBlock("gitlab_error_tracking_client_key", "acme", `group = "acme"`) +
			listBlock("gitlab_error_tracking_settings", "acme", `group = "acme"`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(keys, 3),
			querycheck.ExpectIdentity(keys, keyIdentity(w.web, w.webKeys[0].ID)),
			querycheck.ExpectIdentity(keys, keyIdentity(w.web, w.webKeys[1].ID)),
			querycheck.ExpectIdentity(keys, keyIdentity(w.api, w.apiKey.ID)),
			querycheck.ExpectResourceDisplayName(keys, queryfilter.ByResourceIdentity(keyIdentity(w.api, w.apiKey.ID)),
				knownvalue.StringExact("acme/team/api:"+strconv.FormatInt(w.apiKey.ID, 10))),
			querycheck.ExpectResourceKnownValues(keys, queryfilter.ByResourceIdentity(keyIdentity(w.api, w.apiKey.ID)), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("project"), KnownValue: knownvalue.StringExact("acme/team/api")},
				{Path: tfjsonpath.New("sentry_dsn"), KnownValue: knownvalue.StringExact(w.apiKey.SentryDSN)},
			}),
			querycheck.ExpectLength(settings, 2),
			querycheck.ExpectIdentity(settings, settingsIdentity(w.web)),
			querycheck.ExpectIdentity(settings, settingsIdentity(w.api)),
			querycheck.ExpectResourceKnownValues(settings, queryfilter.ByResourceIdentity(settingsIdentity(w.web)), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("project"), KnownValue: knownvalue.StringExact("acme/web")},
				{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(true)},
				{Path: tfjsonpath.New("integrated"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("on_destroy"), KnownValue: knownvalue.StringExact("restore")},
			}),
		},
	})
}
