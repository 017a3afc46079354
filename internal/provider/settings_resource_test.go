package provider_test

import (
	"fmt"
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

const settingsAddr = "gitlab_error_tracking_settings.this"

func settingsConfig(project string, active bool, extra string) string {
	return fmt.Sprintf(`
resource "gitlab_error_tracking_settings" "this" {
  project = %[1]q
  active  = %[2]t
  %[3]s
}
`, project, active, extra)
}

// wantSettings fails unless the emulator holds exactly these stored values.
func wantSettings(env *acctest.Env, id int64, active, integrated bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		st, ok := env.Server.GetSettings(id)
		if !ok {
			return fmt.Errorf("project %d has no settings on the server", id)
		}
		if st.Active != active || st.Integrated != integrated {
			return fmt.Errorf("server settings of project %d: active=%t integrated=%t, want active=%t integrated=%t",
				id, st.Active, st.Integrated, active, integrated)
		}
		return nil
	}
}

func TestAccSettings_createOnProjectWithoutSettings(t *testing.T) {
	env := acctest.New(t)
	const path = "group/sub/project"
	id := env.AddProject(path)
	sameID := statecheck.CompareValue(compare.ValuesSame())

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Create with PUT: the project had no settings; omitted integrated becomes true.
			{
				Config: env.Config(settingsConfig(path, true, "")),
				Check:  wantSettings(env, id, true, true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("id"), knownvalue.StringExact(path)),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("integrated"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("on_destroy"), knownvalue.StringExact("restore")),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("api_url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("project_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("sentry_external_url"), knownvalue.Null()),
					sameID.AddStateValue(settingsAddr, tfjsonpath.New("id")),
					expectBaseline(settingsAddr, false, false, false),
				},
			},
			// Import by the URL path, group/sub/project. An import takes the
			// settings it finds as the baseline.
			{
				ResourceName:            settingsAddr,
				ImportState:             true,
				ImportStateId:           path,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"baseline", "last_written"},
			},
			// Update: switch error tracking off; the id stays.
			{
				Config: env.Config(settingsConfig(path, false, "")),
				Check:  wantSettings(env, id, false, true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("active"), knownvalue.Bool(false)),
					sameID.AddStateValue(settingsAddr, tfjsonpath.New("id")),
				},
			},
			// Update integrated explicitly to false needs Sentry: set it up in the UI first.
			{
				PreConfig: func() {
					st, _ := env.Server.GetSettings(id)
					st.APIURL = "https://sentry.example.com/api/0/projects/acme/web-app/"
					st.SentryToken = "sentry-token"
					env.Server.SetSettings(id, st)
				},
				Config: env.Config(settingsConfig(path, true, "integrated = false")),
				Check:  wantSettings(env, id, true, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("integrated"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("api_url"), knownvalue.StringExact("https://sentry.example.com/api/0/projects/acme/web-app/")),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("sentry_external_url"), knownvalue.StringExact("https://sentry.example.com/acme/web-app/")),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("project_name"), knownvalue.StringExact("Web App")),
				},
			},
		},
		// on_destroy defaults to restore: settings that did not exist before
		// stay, switched off.
		CheckDestroy: wantSettings(env, id, false, false),
	})
}

func TestAccSettings_createOnProjectWithSentrySettingsPatches(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/legacy")
	env.Server.SetSettings(id, emulator.Settings{
		Active: false, Integrated: false,
		APIURL: "https://sentry.example.com/api/0/projects/acme/legacy/", SentryToken: "t", ProjectName: "Legacy",
	})
	project := strconv.FormatInt(id, 10)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Create with PATCH: omitted integrated keeps the server's Sentry mode.
			{
				Config: env.Config(settingsConfig(project, true, `on_destroy = "restore"`)),
				Check:  wantSettings(env, id, true, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("integrated"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("project_name"), knownvalue.StringExact("Legacy")),
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("api_url"), knownvalue.StringExact("https://sentry.example.com/api/0/projects/acme/legacy/")),
				},
			},
			// Import by numeric ID.
			{
				ResourceName:            settingsAddr,
				ImportState:             true,
				ImportStateId:           project,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"on_destroy", "baseline", "last_written"},
			},
			// Switch to integrated error tracking.
			{
				Config: env.Config(settingsConfig(project, true, "integrated = true\non_destroy = \"restore\"")),
				Check:  wantSettings(env, id, true, true),
			},
		},
		// on_destroy = restore puts back what was there before: inactive Sentry.
		CheckDestroy: wantSettings(env, id, false, false),
	})
}

func TestAccSettings_drift(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/drift")
	project := "acme/drift"

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(settingsConfig(project, true, "integrated = true"))},
			// Drift: someone switched error tracking off in the UI; the plan shows it.
			{
				PreConfig: func() {
					env.Server.SetSettings(id, emulator.Settings{Active: false, Integrated: true})
				},
				Config:             env.Config(settingsConfig(project, true, "integrated = true")),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			// Apply repairs the drift.
			{
				Config: env.Config(settingsConfig(project, true, "integrated = true")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)},
				},
				Check: wantSettings(env, id, true, true),
			},
			// Drift: settings gone (project recreated without them): the plan creates them again.
			{
				PreConfig: func() { env.Server.DeleteSettings(id) },
				Config:    env.Config(settingsConfig(project, true, "integrated = true")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionCreate)},
				},
				Check: wantSettings(env, id, true, true),
			},
		},
	})
}

// What a destroy leaves in GitLab, by on_destroy, for settings the resource
// created.
func TestAccSettings_onDestroy(t *testing.T) {
	for _, tc := range []struct {
		name, project, onDestroy string
		wantActive               bool
	}{
		// on_destroy = keep leaves the settings on.
		{name: "keep", project: "acme/keep", onDestroy: "keep", wantActive: true},
		// Nothing to restore and GitLab cannot delete settings: disabled.
		{name: "restoreWithoutPriorSettingsDisables", project: "acme/restore", onDestroy: "restore", wantActive: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			id := env.AddProject(tc.project)

			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{
					{Config: env.Config(settingsConfig(tc.project, true, fmt.Sprintf("on_destroy = %q", tc.onDestroy)))},
				},
				CheckDestroy: wantSettings(env, id, tc.wantActive, true),
			})
		})
	}
}

func TestAccSettings_flagOffKeepsStoredModeWhenOmitted(t *testing.T) {
	env := acctest.New(t)
	id := addFlagOffProject(env, "acme/flag-off-stored")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(settingsConfig("acme/flag-off-stored", false, `on_destroy = "restore"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("integrated"), knownvalue.Bool(false)),
				},
			},
			// Switching it on with integrated omitted leaves the stored mode alone:
			// sending back the reported false would ask for Sentry mode, which
			// GitLab rejects without a Sentry URL.
			{
				Config: env.Config(settingsConfig("acme/flag-off-stored", true, `on_destroy = "restore"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)},
				},
				Check: wantSettings(env, id, true, true),
			},
		},
		// Restore puts back active = false and leaves the stored mode as it was.
		CheckDestroy: wantSettings(env, id, false, true),
	})
}

func TestAccSettings_switchBetweenIDAndPathKeepsResource(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/switch")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(settingsConfig("acme/switch", true, ""))},
			// Same project by its ID: an in-place update of the stored string, no replacement.
			{
				Config: env.Config(settingsConfig(strconv.FormatInt(id, 10), true, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("id"), knownvalue.StringExact(strconv.FormatInt(id, 10))),
				},
			},
			// Another project: replacement.
			{
				PreConfig: func() { env.AddProject("acme/other") },
				Config:    env.Config(settingsConfig("acme/other", true, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
			},
		},
	})
}

func TestAccSettingsDataSource(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/ds")
	env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/ds" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.gitlab_error_tracking_settings.this", tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.gitlab_error_tracking_settings.this", tfjsonpath.New("integrated"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.gitlab_error_tracking_settings.this", tfjsonpath.New("api_url"), knownvalue.Null()),
				},
			},
		},
	})
}

// What a destroy leaves in GitLab, by on_destroy, for settings that were
// active before Terraform imported them. on_destroy defaults to restore, for
// imported settings too: destroying them leaves them as Terraform found
// them (on), not switched off. on_destroy = disable switches them off,
// although they were on before Terraform: the one case where disable and
// restore differ.
func TestAccSettings_importedSettingsOnDestroy(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportBlocks)
	for _, tc := range []struct {
		name, project string
		onDestroy     string // "" leaves it unset
		wantOnDestroy string // in state
		// active is what the configuration sets while Terraform manages
		// the settings; wantActive, what GitLab has after the destroy.
		active, wantActive bool
	}{
		// Imported with an import block and switched off; put back as
		// found: on.
		{name: "restoredByDefault", project: "acme/found", wantOnDestroy: "restore", active: false, wantActive: true},
		// Imported and left on; switched off by the destroy.
		{name: "disable", project: "acme/found-disable", onDestroy: "disable", wantOnDestroy: "disable", active: true, wantActive: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			id := env.AddProject(tc.project)
			env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
			extra := ""
			if tc.onDestroy != "" {
				extra = fmt.Sprintf("on_destroy = %q", tc.onDestroy)
			}

			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{
					{
						Config: env.Config(fmt.Sprintf(`
import {
  to = gitlab_error_tracking_settings.this
  id = %q
}
`, tc.project) + settingsConfig(tc.project, tc.active, extra)),
						Check: wantSettings(env, id, tc.active, true),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(settingsAddr, tfjsonpath.New("on_destroy"), knownvalue.StringExact(tc.wantOnDestroy)),
						},
					},
				},
				CheckDestroy: wantSettings(env, id, tc.wantActive, true),
			})
		})
	}
}
