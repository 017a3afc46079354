package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

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
	return stepCheck(func() error {
		st, ok := env.Server.GetSettings(id)
		if !ok {
			return fmt.Errorf("project %d has no settings on the server", id)
		}
		if st.Active != active || st.Integrated != integrated {
			return fmt.Errorf("server settings of project %d: active=%t integrated=%t, want active=%t integrated=%t",
				id, st.Active, st.Integrated, active, integrated)
		}
		return nil
	})
}

func TestAccSettings_createOnProjectWithoutSettings(t *testing.T) {
	env := acctest.New(t)
	const path = "group/sub/project"
	id := env.AddProject(path)
	sameID := valuesSame()

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Create with PUT: the project had no settings; omitted integrated becomes true.
			{
				Config: env.Config(settingsConfig(path, true, "")),
				Check:  wantSettings(env, id, true, true),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(settingsAddr, "id", knownvalue.StringExact(path)),
					expectAttr(settingsAddr, "active", knownvalue.Bool(true)),
					expectAttr(settingsAddr, "integrated", knownvalue.Bool(true)),
					expectAttr(settingsAddr, "on_destroy", knownvalue.StringExact("restore")),
					expectAttr(settingsAddr, "api_url", knownvalue.Null()),
					expectAttr(settingsAddr, "project_name", knownvalue.Null()),
					expectAttr(settingsAddr, "sentry_external_url", knownvalue.Null()),
					sameID.add(settingsAddr, "id"),
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
					expectAttr(settingsAddr, "active", knownvalue.Bool(false)),
					sameID.add(settingsAddr, "id"),
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
					expectAttr(settingsAddr, "integrated", knownvalue.Bool(false)),
					expectAttr(settingsAddr, "api_url", knownvalue.StringExact("https://sentry.example.com/api/0/projects/acme/web-app/")),
					expectAttr(settingsAddr, "sentry_external_url", knownvalue.StringExact("https://sentry.example.com/acme/web-app/")),
					expectAttr(settingsAddr, "project_name", knownvalue.StringExact("Web App")),
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
					expectAttr(settingsAddr, "integrated", knownvalue.Bool(false)),
					expectAttr(settingsAddr, "project_name", knownvalue.StringExact("Legacy")),
					expectAttr(settingsAddr, "api_url", knownvalue.StringExact("https://sentry.example.com/api/0/projects/acme/legacy/")),
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
				Config:           env.Config(settingsConfig(project, true, "integrated = true")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				Check:            wantSettings(env, id, true, true),
			},
			// Drift: settings gone (project recreated without them): the plan creates them again.
			{
				PreConfig:        func() { env.Server.DeleteSettings(id) },
				Config:           env.Config(settingsConfig(project, true, "integrated = true")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionCreate)),
				Check:            wantSettings(env, id, true, true),
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
	id := addFlagOffProject(env, "acme/flag-off-stored", true)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(settingsConfig("acme/flag-off-stored", false, `on_destroy = "restore"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(settingsAddr, "integrated", knownvalue.Bool(false)),
				},
			},
			// Switching it on with integrated omitted leaves the stored mode alone:
			// sending back the reported false would ask for Sentry mode, which
			// GitLab rejects without a Sentry URL.
			{
				Config:           env.Config(settingsConfig("acme/flag-off-stored", true, `on_destroy = "restore"`)),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				Check:            wantSettings(env, id, true, true),
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
				Config:           env.Config(settingsConfig(strconv.FormatInt(id, 10), true, "")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(settingsAddr, "id", knownvalue.StringExact(strconv.FormatInt(id, 10))),
				},
			},
			// Another project: replacement.
			{
				PreConfig:        func() { env.AddProject("acme/other") },
				Config:           env.Config(settingsConfig("acme/other", true, "")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionDestroyBeforeCreate)),
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
					expectAttr("data.gitlab_error_tracking_settings.this", "active", knownvalue.Bool(true)),
					expectAttr("data.gitlab_error_tracking_settings.this", "integrated", knownvalue.Bool(true)),
					expectAttr("data.gitlab_error_tracking_settings.this", "api_url", knownvalue.Null()),
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
							expectAttr(settingsAddr, "on_destroy", knownvalue.StringExact(tc.wantOnDestroy)),
						},
					},
				},
				CheckDestroy: wantSettings(env, id, tc.wantActive, true),
			})
		})
	}
}

// How on_destroy = "restore" fares when an instance is replaced: taint,
// a failed create, -replace and create_before_destroy.

const sentryAPIURL = "https://sentry.example.com/api/0/projects/acme/web-app/"

// addSentryProject adds a project whose settings are on in Sentry mode, set
// up in GitLab's UI before Terraform: [active, integrated] = [true, false].
func addSentryProject(env *acctest.Env, path string) int64 {
	id := env.AddProject(path)
	env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: false, APIURL: sentryAPIURL, SentryToken: "t", ProjectName: "Web App"})
	return id
}

// wantSentryBack fails unless GitLab has the project's settings as
// addSentryProject set them up.
func wantSentryBack(env *acctest.Env, id int64) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(wantSettings(env, id, true, false), stepCheck(func() error {
		if st, _ := env.Server.GetSettings(id); st.APIURL != sentryAPIURL {
			return fmt.Errorf("project %d lost its Sentry API URL: %q", id, st.APIURL)
		}
		return nil
	}))
}

// expectBaseline checks the settings' `baseline` attribute.
func expectBaseline(addr string, existed, active, integrated bool) statecheck.StateCheck {
	return expectAttr(addr, "baseline", knownvalue.ObjectExact(map[string]knownvalue.Check{
		"existed": knownvalue.Bool(existed), "active": knownvalue.Bool(active), "integrated": knownvalue.Bool(integrated),
	}))
}

// sentryRun is a test of the settings of a project that addSentryProject
// set up, configured on in integrated mode, with the warnings of the run.
type sentryRun struct {
	env    *acctest.Env
	id     int64
	config string
	w      *warnings
}

// sentryTest is accTest for the sentryRun of a project at path: tc gives
// the test case, whose destroy must also put back the Sentry mode that
// addSentryProject set up.
func sentryTest(t *testing.T, path string, tc func(r sentryRun) resource.TestCase) {
	t.Helper()
	env := acctest.New(t)
	r := sentryRun{
		env:    env,
		id:     addSentryProject(env, path),
		config: env.Config(settingsConfig(path, true, "integrated = true")),
		w:      &warnings{},
	}
	c := tc(r)
	c.ProtoV6ProviderFactories = r.w.factories()
	checkDestroy := wantSentryBack(env, r.id)
	if c.CheckDestroy != nil {
		checkDestroy = resource.ComposeTestCheckFunc(checkDestroy, c.CheckDestroy)
	}
	c.CheckDestroy = checkDestroy
	accTest(t, c)
}

// replacedStep applies the run's configuration, which replaces (delete,
// then create) the settings, and checks that GitLab has what it asks for,
// the new instance has the baseline Sentry mode, and no warning was given.
// prepare adds what brings the replace about.
func (r sentryRun) replacedStep(prepare func(*resource.TestStep)) resource.TestStep {
	step := resource.TestStep{
		Config:            r.config,
		ConfigPlanChecks:  preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionDestroyBeforeCreate)),
		Check:             resource.ComposeTestCheckFunc(wantSettings(r.env, r.id, true, true), r.w.none()),
		ConfigStateChecks: []statecheck.StateCheck{expectBaseline(settingsAddr, true, true, false)},
	}
	prepare(&step)
	return step
}

// A tainted instance is planned without private state: its baseline is an
// attribute, so the replace puts back Sentry mode before the new instance
// reads GitLab, and the new instance records the same baseline.
func TestAccSettings_taintKeepsBaseline(t *testing.T) {
	sentryTest(t, "acme/taint", func(r sentryRun) resource.TestCase {
		return resource.TestCase{
			Steps: []resource.TestStep{
				{
					Config:            r.config,
					Check:             wantSettings(r.env, r.id, true, true),
					ConfigStateChecks: []statecheck.StateCheck{expectBaseline(settingsAddr, true, true, false)},
				},
				r.replacedStep(func(step *resource.TestStep) {
					step.PreConfig = r.w.reset
					step.Taint = []string{settingsAddr}
				}),
			},
			CheckDestroy: r.w.none(),
		}
	})
}

// A create that failed after it changed GitLab is recorded tainted with its
// baseline; once the cause is gone, the replace and the destroy put back
// what GitLab had before.
func TestAccSettings_failedCreateThenReplaceKeepsBaseline(t *testing.T) {
	sentryTest(t, "acme/flag-later", func(r sentryRun) resource.TestCase {
		r.env.Server.SetIntegratedFlag(r.id, false)
		return resource.TestCase{
			Steps: []resource.TestStep{
				{Config: r.config, ExpectError: regexp.MustCompile("GitLab did not enable integrated error tracking")},
				r.replacedStep(func(step *resource.TestStep) {
					step.PreConfig = func() {
						r.env.Server.SetIntegratedFlag(r.id, true)
						r.w.reset()
					}
				}),
			},
			CheckDestroy: r.w.none(),
		}
	})
}

// A destroy undoes only Terraform's writes: what someone changed in the UI
// since is left as it is, with a warning that names it.
func TestAccSettings_restoreLeavesUIChanges(t *testing.T) {
	for _, tc := range []struct {
		name, extra                string
		before                     emulator.Settings
		written                    map[string]knownvalue.Check
		ui                         func(*emulator.Settings)
		wantActive, wantIntegrated bool
		warning                    string
	}{
		// Error tracking switched off after Terraform wrote it on: it
		// stays off; the mode Terraform wrote goes back to Sentry.
		{
			name: "activeSwitchedOff", extra: "integrated = true",
			before:  emulator.Settings{Active: true, Integrated: false, APIURL: sentryAPIURL, SentryToken: "t"},
			written: map[string]knownvalue.Check{"active": knownvalue.Bool(true), "integrated": knownvalue.Bool(true)},
			ui:      func(st *emulator.Settings) { st.Active = false },
			warning: "`active` was last written true by this resource and is now false",
		},
		// `integrated` left out of the configuration is never written, so
		// the mode chosen in the UI stays; `active` goes back.
		{
			name:           "unwrittenModeChanged",
			before:         emulator.Settings{Active: false, Integrated: false, APIURL: sentryAPIURL, SentryToken: "t"},
			written:        map[string]knownvalue.Check{"active": knownvalue.Bool(true), "integrated": knownvalue.Null()},
			ui:             func(st *emulator.Settings) { st.Integrated = true },
			warning:        "`integrated` is true and was false before this resource managed the settings, but this resource never wrote it",
			wantIntegrated: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			id := env.AddProject("acme/ui")
			env.Server.SetSettings(id, tc.before)
			config := env.Config(settingsConfig("acme/ui", true, tc.extra))
			var w warnings

			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: w.factories(),
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							expectAttr(settingsAddr, "last_written", knownvalue.ObjectExact(tc.written)),
						},
					},
					{
						PreConfig: func() {
							st, _ := env.Server.GetSettings(id)
							tc.ui(&st)
							env.Server.SetSettings(id, st)
							w.reset()
						},
						Config:  config,
						Destroy: true,
						Check: resource.ComposeTestCheckFunc(wantSettings(env, id, tc.wantActive, tc.wantIntegrated),
							w.has("Error-tracking settings changed in GitLab were left as they are", `project "acme/ui"`, tc.warning)),
					},
				},
			})
		})
	}
}

// A client key with create_before_destroy forces it onto the settings it
// references: the new settings are written while the old ones still stand.
// The old instance's destroy leaves them as the new one wrote them, and says
// so, naming the baseline from before Terraform, which the new instance,
// created while the old one's writes were in place, cannot know (no CLI
// hands a create anything of the object it replaces).
func TestAccSettings_createBeforeDestroyKeepsReplacement(t *testing.T) {
	env := acctest.New(t)
	id := addSentryProject(env, "acme/cbd")
	config := env.Config(settingsConfig("acme/cbd", true, "integrated = true") + `
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
  lifecycle {
    create_before_destroy = true
  }
}
`)
	var w warnings

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{Config: config, Check: wantSettings(env, id, true, true)},
			{
				PreConfig: w.reset,
				Taint:     []string{settingsAddr},
				Config:    config,
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionCreateBeforeDestroy),
					plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.this", plancheck.ResourceActionNoop),
				),
				Check: resource.ComposeTestCheckFunc(wantSettings(env, id, true, true),
					w.has("Destroyed settings left as their replacement wrote them", `project "acme/cbd"`, "create_before_destroy",
						"on_destroy = \"restore\" was not carried out", "(active = true, integrated = true)",
						"not the settings from before Terraform (active = true, integrated = false)")),
				ConfigStateChecks: []statecheck.StateCheck{expectBaseline(settingsAddr, true, true, true)},
			},
		},
		// The new instance's baseline is what it found.
		CheckDestroy: wantSettings(env, id, true, true),
	})
}

// An apply that stops between a create_before_destroy replacement's write
// and the old settings' destroy (here the new key's create fails) leaves the
// old settings deposed. The next apply destroys them, which puts back their
// baseline under the new settings: no CLI tells a deposed object from one
// removed from the configuration. The plan after it shows the drift, and its
// apply writes the configured values again.
func TestAccSettings_deposedByStoppedApplyIsRepairedByTheNext(t *testing.T) {
	env := acctest.New(t)
	id := addSentryProject(env, "acme/deposed")
	keyAddr := "gitlab_error_tracking_client_key.this"
	config := env.Config(settingsConfig("acme/deposed", true, "integrated = true")+`
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
  lifecycle {
    create_before_destroy = true
  }
}
`, acctest.ProviderAttrs("retries = 0"))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, Check: wantSettings(env, id, true, true)},
			{
				PreConfig: func() {
					env.Server.SetFaults(emulator.Faults{Rate500: 1, Match: func(method, path string) bool {
						return method == "POST" && strings.HasSuffix(path, "/client_keys")
					}})
				},
				Taint:       []string{settingsAddr, keyAddr},
				Config:      config,
				ExpectError: regexp.MustCompile("500"),
			},
			{
				PreConfig: func() {
					env.Server.SetFaults(emulator.Faults{})
					if err := wantSettings(env, id, true, true)(nil); err != nil {
						t.Errorf("after the stopped apply: %v", err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{expectDeposedDestroyed(settingsAddr)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)},
				},
				Check:              wantSentryBack(env, id),
				ExpectNonEmptyPlan: true,
			},
			{
				Config:           config,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				Check:            wantSettings(env, id, true, true),
			},
		},
	})
}

// `-replace` plans the one instance twice, as an update and then as a create
// that carries the first pass's private state: the create is the same
// claimer, not a second settings resource for the project. The replace puts
// back Sentry mode before the new instance reads GitLab, and the destroy
// puts it back again. terraform-plugin-testing has no -replace: the CLI is
// driven directly.
func TestAccSettings_replaceOption(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests are skipped unless TF_ACC is set")
	}
	t.Parallel()
	env := acctest.New(t)
	id := addSentryProject(env, "acme/replace")
	d := newCLIDir(t, env)
	d.write("main.tf", env.Config(settingsConfig("acme/replace", true, "integrated = true")))
	d.run("apply", "-auto-approve", "-input=false", "-no-color")

	out := d.run("apply", "-replace="+settingsAddr, "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("the apply did not replace the settings:\n%s", out)
	}
	for _, warning := range []string{"Warning: Error-tracking settings", "Warning: Destroyed settings"} {
		if strings.Contains(out, warning) {
			t.Errorf("the replace warned %q:\n%s", warning, out)
		}
	}
	if err := wantSettings(env, id, true, true)(nil); err != nil {
		t.Error(err)
	}
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(d.run("show", "-json")), &shown); err != nil {
		t.Fatal(err)
	}
	if rs := shown.Values.RootModule.Resources; len(rs) != 1 || fmt.Sprint(rs[0].Values["baseline"]) != "map[active:true existed:true integrated:false]" {
		t.Errorf("state after the replace: %v, want one settings resource with baseline active = true, integrated = false", rs)
	}
	// State and GitLab agree: nothing to change.
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	d.run("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := wantSentryBack(env, id)(nil); err != nil {
		t.Error(err)
	}
}

// Settings created at one address and destroyed at another in one plan (a
// rename without a `moved` block) are refused at plan: the create and the
// destroy would run in no fixed order. The `moved` block the error shows
// does the rename.
func TestAccSettings_renameWithoutMovedIsRefused(t *testing.T) {
	env := acctest.New(t)
	id := addSentryProject(env, "acme/rename")
	config := settingsConfig("acme/rename", true, "integrated = true")
	renamed := strings.Replace(config, `"this"`, `"renamed"`, 1)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(config), Check: wantSettings(env, id, true, true)},
			{
				Config:      env.Config(renamed),
				ExpectError: acctest.ErrorLike("One plan creates and destroys the error-tracking settings of project", `"acme/rename"`, "moved {"),
			},
			{
				Config: env.Config(renamed + `
moved {
  from = gitlab_error_tracking_settings.this
  to   = gitlab_error_tracking_settings.renamed
}
`),
				Check: wantSettings(env, id, true, true),
			},
		},
		CheckDestroy: wantSentryBack(env, id),
	})
}

// Renaming adopted settings after the import was applied, with the import
// block's `to`, plans importing them at the new address and destroying them
// at the old one: refused, as a rename is, naming the `moved` block; GitLab
// keeps its settings, and the `moved` block renames them without a write.
func TestAccSettings_renamedImportIsRefused(t *testing.T) {
	env := acctest.New(t)
	id := addSentryProject(env, "acme/adopted")
	adopted := func(name string) string {
		return fmt.Sprintf("import {\n  to = gitlab_error_tracking_settings.%s\n  id = \"acme/adopted\"\n}\n", name) +
			strings.Replace(settingsConfig("acme/adopted", true, ""), `"this"`, strconv.Quote(name), 1)
	}

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(adopted("this")), Check: wantSentryBack(env, id)},
			{
				Config: env.Config(adopted("renamed")),
				ExpectError: acctest.ErrorLike(`One plan imports and destroys the error-tracking settings of project "acme/adopted"`,
					"at one address (the `to` of an import block)", "moved {", "from = gitlab_error_tracking_settings.<old name, in state>"),
			},
			{
				PreConfig: func() {
					if err := wantSentryBack(env, id)(nil); err != nil {
						t.Fatalf("after the refused plan: %v", err)
					}
					env.Server.ResetRequests()
				},
				Config: env.Config(strings.Replace(settingsConfig("acme/adopted", true, ""), `"this"`, `"renamed"`, 1) +
					"moved {\n  from = gitlab_error_tracking_settings.this\n  to   = gitlab_error_tracking_settings.renamed\n}\n"),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction("gitlab_error_tracking_settings.renamed", plancheck.ResourceActionNoop)),
				Check:            resource.ComposeTestCheckFunc(wantSentryBack(env, id), noWrites(env)),
			},
		},
		CheckDestroy: wantSentryBack(env, id),
	})
}

// A change of `project` replaces settings too, and the create that the CLI
// plans for it carries the private state of the settings it replaces: it
// still claims the new project, so that moving one resource onto the project
// of another is refused.
func TestAccSettings_projectSwitchStillClaims(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/one")
	env.AddProject("acme/two")
	settings := func(name, project string) string {
		return fmt.Sprintf("resource \"gitlab_error_tracking_settings\" %q {\n  project = %q\n  active  = true\n}\n", name, project)
	}

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(settings("a", "acme/one") + settings("b", "acme/two"))},
			{
				// Refused by the plan, before anything is applied.
				Config:      env.Config(settings("a", "acme/one") + settings("b", "acme/one")),
				PlanOnly:    true,
				ExpectError: bothSpellings("acme/one", "acme/one"),
			},
		},
	})
}

// When the destroy half of a replace leaves a value someone changed in the
// UI, the new instance still takes the old one's baseline, not what it
// finds: the final destroy puts back the settings from before Terraform.
func TestAccSettings_replaceAfterUIChangeKeepsBaseline(t *testing.T) {
	sentryTest(t, "acme/taint-ui", func(r sentryRun) resource.TestCase {
		return resource.TestCase{
			Steps: []resource.TestStep{
				{Config: r.config},
				{
					PreConfig: func() {
						st, _ := r.env.Server.GetSettings(r.id)
						st.Active = false
						r.env.Server.SetSettings(r.id, st)
						r.w.reset()
					},
					Taint:  []string{settingsAddr},
					Config: r.config,
					Check: resource.ComposeTestCheckFunc(wantSettings(r.env, r.id, true, true),
						r.w.has("Error-tracking settings changed in GitLab were left as they are", "`active` was last written true by this resource and is now false")),
					ConfigStateChecks: []statecheck.StateCheck{expectBaseline(settingsAddr, true, true, false)},
				},
			},
		}
	})
}
