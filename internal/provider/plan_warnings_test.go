package provider_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// wantNoSettings fails unless the project has no settings on the server.
func wantNoSettings(env *acctest.Env, id int64) resource.TestCheckFunc {
	return stepCheck(func() error {
		if st, ok := env.Server.GetSettings(id); ok {
			return fmt.Errorf("project %d has settings on the server: %+v", id, st)
		}
		return nil
	})
}

func TestAccPlan_deletedProjectWarnsThatCreateWillFail(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/doomed")
	var w warnings
	config := env.Config(settingsConfig("acme/doomed", true, "") + `
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
}
`)

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{Config: config},
			// The project is deleted in GitLab: the plan creates both
			// resources again, and says that this cannot work.
			{
				PreConfig: func() {
					env.Server.DeleteProject(id)
					w.reset()
				},
				Config: config,
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionCreate),
					w.expect("Project not found", `no project "acme/doomed"`, "deleted", "creates its error-tracking settings in it, which will fail unless the project comes back"),
					w.expect("Project not found", `no project "acme/doomed"`, "creates a client key in it, which will fail"),
				),
				ExpectError: acctest.ErrorLike("Project not found", `"acme/doomed"`, "404 Project Not Found"),
			},
		},
	})
}

// A project path copied from a clone URL, with its `.git` ending: the plan
// warns that GitLab has no such project, and names the likely path.
func TestAccPlan_gitSuffixWarnsWithThePath(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/web")
	var w warnings
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{{
			Config:           env.Config(keyConfig("this", "acme/web.git")),
			ConfigPlanChecks: preApply(w.expect("Project not found", `no project "acme/web.git"`, "creates a client key in it", "ends in `.git`", `most likely "acme/web"`)),
			ExpectError:      acctest.ErrorLike("Project not found", `"acme/web.git"`, "404 Project Not Found", "ends in `.git`", `most likely "acme/web"`),
		}},
	})
}

// A plan made without a refresh (-refresh=false) still has the settings of
// a project deleted since: it warns that changing them will fail.
func TestAccPlan_deletedProjectWarnsThatChangeWillFail(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/doomed-change")
	var w warnings

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		AdditionalCLIOptions:     &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
		Steps: []resource.TestStep{
			{Config: env.Config(settingsConfig("acme/doomed-change", true, ""))},
			{
				PreConfig: func() {
					env.Server.DeleteProject(id)
					w.reset()
				},
				Config: env.Config(settingsConfig("acme/doomed-change", false, "")),
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate),
					w.expect("Project not found", `no project "acme/doomed-change"`, "deleted",
						"The plan changes its error-tracking settings in it, which will fail unless the project comes back"),
				),
				ExpectError: acctest.ErrorLike("Project not found", `"acme/doomed-change"`, "404 Project Not Found"),
			},
		},
	})
}

func TestAccPlan_twoSettingsForOneProjectRefused(t *testing.T) {
	settings := func(name, project string) string {
		return fmt.Sprintf(`
resource "gitlab_error_tracking_settings" %[1]q {
  project = %[2]q
  active  = true
}
`, name, project)
	}
	cases := []struct {
		name string
		// inState is applied first, when set; then the configuration
		// made of inState and more, whose plan must be refused.
		inState, more func(id string) string
		spellings     func(id string) (string, string)
	}{
		{
			name:      "path and numeric ID",
			more:      func(id string) string { return settings("a", "acme/twice") + settings("b", id) },
			spellings: func(id string) (string, string) { return "acme/twice", id },
		},
		{
			name: "the same value twice in for_each",
			more: func(string) string {
				return `
resource "gitlab_error_tracking_settings" "this" {
  for_each = { web = "acme/twice", api = "acme/twice" }
  project  = each.value
  active   = true
}
`
			},
			spellings: func(string) (string, string) { return "acme/twice", "acme/twice" },
		},
		{
			name:      "a second resource added beside one in state",
			inState:   func(string) string { return settings("a", "acme/twice") },
			more:      func(id string) string { return settings("b", id) },
			spellings: func(id string) (string, string) { return "acme/twice", id },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			id := strconv.FormatInt(env.AddProject("acme/twice"), 10)
			var steps []resource.TestStep
			body := ""
			if tc.inState != nil {
				body = tc.inState(id)
				steps = append(steps, resource.TestStep{Config: env.Config(body)})
			}
			steps = append(steps, resource.TestStep{
				Config:      env.Config(body + tc.more(id)),
				ExpectError: bothSpellings(tc.spellings(id)),
			})
			accTest(t, resource.TestCase{
				Steps: steps,
			})
			if tc.inState == nil {
				// Refused at plan: GitLab was not changed.
				pid, _ := strconv.ParseInt(id, 10, 64)
				if err := wantNoSettings(env, pid)(nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// bothSpellings matches the refusal of a second settings resource for a
// project, naming both spellings of it: which of the two claims the project
// first is up to Terraform.
func bothSpellings(a, b string) *regexp.Regexp {
	qa, qb := regexp.QuoteMeta(strconv.Quote(a)), regexp.QuoteMeta(strconv.Quote(b))
	return regexp.MustCompile(`(?s)Two settings resources for one project.*(` + qa + `.*another\s+gitlab_error_tracking_settings.*` + qb +
		`|` + qb + `.*another\s+gitlab_error_tracking_settings.*` + qa + `)`)
}

func TestAccPlan_sentryModeCreateWithoutSettingsRefused(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/sentry")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(settingsConfig("acme/sentry", true, "integrated = false")),
				ExpectError: acctest.ErrorLike("Sentry mode cannot be created", `Project "acme/sentry" has no error-tracking settings`,
					"Settings > Monitor > Error Tracking", "`integrated = true`"),
			},
			// With settings made in the UI first, the same configuration applies.
			{
				PreConfig: func() {
					env.Server.SetSettings(id, emulator.Settings{Active: false, Integrated: false,
						APIURL: "https://sentry.example.com/api/0/projects/acme/sentry/", SentryToken: "t"})
				},
				Config: env.Config(settingsConfig("acme/sentry", true, "integrated = false")),
				Check:  wantSettings(env, id, true, false),
			},
		},
	})
}

// GitLab refused integrated = true (its feature flag is off): the next plan
// that asks for it again warns, instead of showing a diff without a word.
func TestAccPlan_refusedIntegratedWarnsOnNextPlan(t *testing.T) {
	env := acctest.New(t)
	id := addFlagOffProject(env, "acme/flag-off", true)
	var w warnings
	refused := acctest.ErrorLike("GitLab did not enable integrated error tracking", `"acme/flag-off"`)

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{Config: env.Config(settingsConfig("acme/flag-off", true, ""))},
			// GitLab accepts the write but reports integrated = false.
			{
				Config:      env.Config(settingsConfig("acme/flag-off", true, "integrated = true")),
				ExpectError: refused,
			},
			// The next plan remembers and says why the apply will fail again.
			{
				PreConfig: w.reset,
				Config:    env.Config(settingsConfig("acme/flag-off", true, "integrated = true")),
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate),
					w.expect("GitLab refused integrated error tracking before", `project "acme/flag-off"`,
						"`integrated_error_tracking` feature flag is off", "This apply will fail the same way",
						"Feature.enable(:integrated_error_tracking)", "set `integrated = false`"),
				),
				ExpectError: refused,
			},
			// Once the flag is on, the same configuration applies without a word.
			{
				PreConfig: func() {
					env.Server.SetIntegratedFlag(id, true)
					w.reset()
				},
				Config: env.Config(settingsConfig("acme/flag-off", true, "integrated = true")),
				Check:  w.none(),
			},
		},
	})
}

// A token whose user sees the project but is not a Maintainer: the plan
// says, from the project lookup it makes anyway, that the create will fail.
// An administrator has no membership in GitLab's answer (both permissions
// null: access through a shared group looks the same) and gets no warning;
// nor does a Maintainer through the project's group.
func TestAccPlan_notAMaintainerWarns(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/dev")
	developer := env.AddUser("developer", id, emulator.RoleDeveloper)
	admin := "glpat-admin"
	env.Server.AddToken(env.Server.AddUser("root", true), admin)
	groupMaintainer, lead := "glpat-lead", env.Server.AddUser("lead", false)
	env.Server.AddToken(lead, groupMaintainer)
	acme, _ := env.Server.GroupByPath("acme")
	env.Server.SetGroupRole(acme, lead, emulator.RoleMaintainer)

	var w warnings
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.Config(keyConfig("this", "acme/dev"), acctest.Token(developer)),
				ConfigPlanChecks: preApply(
					w.expect("Not a Maintainer of the project", `a Developer of project "acme/dev" (access level 30)`,
						"only Maintainers and Owners read or change error tracking", "creates a client key there, which will fail with 403 Forbidden",
						"Ask a project Owner"),
				),
				ExpectError: acctest.ErrorLike("Not allowed to read error tracking (HTTP 403)", `project "acme/dev"`),
			},
			{
				PreConfig: w.reset,
				Config:    env.Config(keyConfig("this", "acme/dev"), acctest.Token(admin)),
				Check:     w.none(),
			},
			{
				// A second key: a create, which looks the project up.
				PreConfig: w.reset,
				Config:    env.Config(keyConfig("this", "acme/dev")+keyConfig("lead", "acme/dev"), acctest.Token(groupMaintainer)),
				Check:     w.none(),
			},
		},
	})
}
