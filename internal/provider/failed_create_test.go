package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// A create that fails after it changed GitLab hides nothing: with the
// feature flag off, GitLab saves active = true (and creates a client key)
// but reports integrated = false. The settings go into state as tainted,
// with the settings found before, and the error names the key.
func TestAccSettings_failedCreateIsRecordedTainted(t *testing.T) {
	env := acctest.New(t)
	id := addFlagOffProject(env, "acme/flag-off", false)
	// Key IDs come from one sequence for all projects: the key GitLab
	// creates on the way is the next one.
	probe := env.Server.AddKey(env.AddProject("acme/probe"))
	autoKey := probe.ID + 1
	config := env.Config(settingsConfig("acme/flag-off", true, "integrated = true"))
	var w warnings

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: acctest.ErrorLike("GitLab did not enable integrated error tracking", `"acme/flag-off"`, "reports integrated = false",
					"GitLab saved the settings all the same", "active = true", "marked tainted", "active = false, integrated = false",
					fmt.Sprintf("GitLab also created client key %d", autoKey), fmt.Sprintf(`"acme/flag-off:%d"`, autoKey)),
			},
			// The settings are in state, tainted: the plan replaces them, and
			// the refresh says that the create will fail again.
			{
				PreConfig: func() {
					wantOnlyKey(t, env, id, autoKey)
					w.reset()
				},
				Config: config,
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionDestroyBeforeCreate),
					w.expect("Settings left tainted by a failed create", `project "acme/flag-off"`, "feature flag is off",
						"the create will fail the same way", "Feature.enable(:integrated_error_tracking)"),
				),
				ExpectError: regexp.MustCompile("GitLab did not enable integrated error tracking"),
			},
		},
		// The baseline survived the failure: destroying the tainted settings
		// puts back active = false, and the Sentry mode stored before, which
		// the write had changed though GitLab hides it while the flag is off.
		CheckDestroy: wantSettings(env, id, false, false),
	})
}

// A create_before_destroy replace whose create fails after writing leaves
// the old settings deposed and the new ones tainted. Retried, the plan
// destroys the one and replaces the other, in the order that
// create_before_destroy sets; it is not refused as a rename, also when it
// fails again and leaves two deposed objects. Renaming the resource then is
// refused. No destroy undoes the replacement's write.
func TestAccSettings_failedCreateBeforeDestroyIsRetried(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/cbd-retry")
	config := env.Config(settingsConfig("acme/cbd-retry", true, "integrated = true\n  lifecycle {\n    create_before_destroy = true\n  }"))
	var w warnings

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{Config: config, Check: wantSettings(env, id, true, true)},
			{
				PreConfig:   func() { env.Server.SetIntegratedFlag(id, false) },
				Taint:       []string{settingsAddr},
				Config:      config,
				ExpectError: acctest.ErrorLike("GitLab did not enable integrated error tracking", `"acme/cbd-retry"`, "marked tainted"),
			},
			{
				Config:      strings.Replace(config, `"this"`, `"renamed"`, 1),
				ExpectError: acctest.ErrorLike(`One plan creates and destroys the error-tracking settings of project "acme/cbd-retry"`),
			},
			{
				Config:      config,
				ExpectError: acctest.ErrorLike("GitLab did not enable integrated error tracking", `"acme/cbd-retry"`),
			},
			{
				PreConfig: func() {
					env.Server.SetIntegratedFlag(id, true)
					w.reset()
				},
				Config: config,
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionCreateBeforeDestroy),
					expectDeposedDestroyed(settingsAddr),
				),
				Check: resource.ComposeTestCheckFunc(wantSettings(env, id, true, true),
					w.has("Destroyed settings left as their replacement wrote them", `project "acme/cbd-retry"`, "create_before_destroy"),
					func(s *terraform.State) error {
						rs := s.RootModule().Resources[settingsAddr]
						if rs == nil || rs.Primary == nil {
							return fmt.Errorf("state holds no %s", settingsAddr)
						}
						if rs.Primary.Tainted || len(rs.Deposed) != 0 {
							return fmt.Errorf("state holds %s tainted: %t, with %d deposed objects; want neither", settingsAddr, rs.Primary.Tainted, len(rs.Deposed))
						}
						return nil
					}),
			},
		},
		// create_before_destroy wrote the new settings while the old ones
		// stood: the baseline they record is what they found.
		CheckDestroy: wantSettings(env, id, true, true),
	})
}

// wantOnlyKey fails t unless GitLab holds one key of the project: autoKey,
// which GitLab created on the way.
func wantOnlyKey(t *testing.T, env *acctest.Env, id, autoKey int64) {
	t.Helper()
	if keys := env.Server.Keys(id); len(keys) != 1 || keys[0].ID != autoKey {
		t.Errorf("GitLab holds keys %v, want only the key %d it created", keys, autoKey)
	}
}

// uncertainCreateTest applies settings on the project at path, which has
// no key and the settings before (none if nil), under faults: the apply
// fails with the error that wantError gives for the key GitLab creates on
// the way. Once GitLab answers again, the plan replaces the tainted
// settings, GitLab holding that key alone, and the apply writes them; the
// destroy leaves them disabled and integrated.
func uncertainCreateTest(t *testing.T, path string, before *emulator.Settings, faults emulator.Faults, wantError func(autoKey int64) *regexp.Regexp) {
	t.Helper()
	env := acctest.New(t)
	id := env.AddProject(path)
	if before != nil {
		env.Server.SetSettings(id, *before)
	}
	autoKey := env.Server.AddKey(env.AddProject("acme/probe")).ID + 1
	config := env.Config(settingsConfig(path, true, ""), acctest.ProviderAttrs("retries = 1"))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { env.Server.SetFaults(faults) },
				Config:      config,
				ExpectError: wantError(autoKey),
			},
			{
				PreConfig: func() {
					wantOnlyKey(t, env, id, autoKey)
					env.Server.SetFaults(emulator.Faults{})
				},
				Config:           config,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionDestroyBeforeCreate)),
				Check:            wantSettings(env, id, true, true),
			},
		},
		CheckDestroy: wantSettings(env, id, false, true),
	})
}

// A create whose write GitLab carried out without its answer arriving is
// recorded too: tainted, with what was found before; the error names the
// key GitLab created on the way (the stored settings are integrated and
// the project has no key). What was found before is put back.
func TestAccSettings_uncertainCreateIsRecordedTainted(t *testing.T) {
	// Every PATCH is carried out and its answer lost.
	lostPatch := emulator.Faults{Seed: 1, RateLostResponse: 1, Match: func(method, _ string) bool { return method == "PATCH" }}
	uncertainCreateTest(t, "acme/lossy", &emulator.Settings{Active: false, Integrated: true}, lostPatch, func(autoKey int64) *regexp.Regexp {
		return acctest.ErrorLike(`project "acme/lossy"`, "may have carried out the write",
			"recorded as GitLab reports them now (active = true, integrated = true)", "marked tainted",
			"the next plan reads what GitLab has and replaces them",
			fmt.Sprintf("GitLab also created client key %d", autoKey), fmt.Sprintf(`"acme/lossy:%d"`, autoKey))
	})
}

// A create whose PUT answer is lost, and whose read-back fails too, records
// the planned values but says they are not confirmed; the key GitLab
// created on the way is named all the same.
func TestAccSettings_uncertainCreateUnreadIsNotConfirmed(t *testing.T) {
	// The PUT is carried out and its answer lost; so are the answers to the
	// settings reads that follow it.
	var put atomic.Bool
	lostPutAndReads := emulator.Faults{Seed: 1, RateLostResponse: 1, Match: func(method, p string) bool {
		if method == "PUT" {
			put.Store(true)
			return true
		}
		return method == "GET" && strings.HasSuffix(p, "/error_tracking/settings") && put.Load()
	}}
	uncertainCreateTest(t, "acme/unread", nil, lostPutAndReads, func(autoKey int64) *regexp.Regexp {
		return acctest.ErrorLike(`project "acme/unread"`, "may have carried out the write",
			"recorded with the planned values (active = true, integrated = true), since reading them back failed too",
			"not confirmed", "marked tainted",
			fmt.Sprintf("GitLab also created client key %d", autoKey))
	})
}

// Ctrl-C during an apply that creates 10 keys of one project on a GitLab
// that takes seconds to answer: Terraform waits for the creates in flight
// and saves what they return. Each create whose POST GitLab ran gets its
// key back from one closing listing, without an error, so the keys in
// GitLab and in state are the same set and none is tainted. The interrupt
// is sent once GitLab has run the first POST (the request log), through
// the CLI itself: terraform-plugin-testing would kill it outright.
func TestAccInterrupt_createsLeaveNoOrphanedKey(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	d := newCLIDir(t, env)
	d.write("main.tf", `
terraform {
  required_providers {
    gitlab = {
      source = "`+acctest.ProviderSource+`"
    }
  }
}

provider "gitlab" {}

resource "gitlab_error_tracking_client_key" "web" {
  count   = 10
  project = "acme/app"
}
`)
	// GitLab runs each key request at once and answers it 3 seconds later,
	// a listing 3 seconds after it is asked for.
	env.Server.SetFaults(emulator.Faults{Latency: 3 * time.Second, RunFirst: true, Match: func(_, path string) bool {
		return strings.HasSuffix(path, "/error_tracking/client_keys")
	}})

	var out bytes.Buffer
	cmd := exec.Command(d.cli.Path, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = d.dir, d.cli.Env, &out, &out
	p, err := tfcli.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for env.Server.CountRequests(http.MethodPost, "/error_tracking/client_keys") == 0 {
		select {
		case <-p.Done():
			t.Fatalf("the apply ended before any key was created:\n%s", out.String())
		case <-tick.C:
		}
	}
	p.Interrupt(2 * time.Minute)
	if ws := p.State(); ws == nil || !ws.Exited() {
		t.Fatalf("the CLI did not stop by itself after the interrupt:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Interrupt received") {
		t.Fatalf("the CLI did not see the interrupt:\n%s", out.String())
	}

	var gitlabKeys []int64
	for _, k := range env.Server.Keys(id) {
		gitlabKeys = append(gitlabKeys, k.ID)
	}
	stateKeys, tainted := keysInState(t, d)
	slices.Sort(stateKeys)
	if len(gitlabKeys) == 0 || !slices.Equal(gitlabKeys, stateKeys) {
		t.Errorf("GitLab has keys %v, the state %v; want the same keys, at least one\n%s", gitlabKeys, stateKeys, out.String())
	}
	if len(tainted) > 0 {
		t.Errorf("keys %v are tainted; want none\n%s", tainted, out.String())
	}
	t.Log(out.String())
}

// keysInState reads the key IDs of the client keys in d's state, and those
// of them that are tainted.
func keysInState(t *testing.T, d *cliDir) (keys, tainted []int64) {
	t.Helper()
	var show struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type    string `json:"type"`
					Tainted bool   `json:"tainted"`
					Values  struct {
						KeyID int64 `json:"key_id"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(d.run("show", "-json")), &show); err != nil {
		t.Fatal(err)
	}
	for _, r := range show.Values.RootModule.Resources {
		if r.Type != "gitlab_error_tracking_client_key" {
			continue
		}
		keys = append(keys, r.Values.KeyID)
		if r.Tainted {
			tainted = append(tainted, r.Values.KeyID)
		}
	}
	return keys, tainted
}
