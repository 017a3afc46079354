package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// faultSeed fixes the emulator's draws, so a failure can be replayed.
const faultSeed = 20240606

// fleetConfig declares, in every project, keysPerProject client keys and,
// withSettings, settings that are active. The keys then wait for the
// settings, so GitLab's own key (created when settings become active and
// integrated on a project without an active key) always comes first.
func fleetConfig(projects []string, keysPerProject int, withSettings bool) string {
	quoted := make([]string, len(projects))
	for i, p := range projects {
		quoted[i] = strconv.Quote(p)
	}
	project := fmt.Sprintf("local.projects[floor(count.index / %d)]", keysPerProject)
	settings := ""
	if withSettings {
		project = fmt.Sprintf("gitlab_error_tracking_settings.this[floor(count.index / %d)].project", keysPerProject)
		settings = `
resource "gitlab_error_tracking_settings" "this" {
  count   = length(local.projects)
  project = local.projects[count.index]
  active  = true
}
`
	}
	return fmt.Sprintf(`
locals {
  projects = [%[1]s]
}
%[2]s
resource "gitlab_error_tracking_client_key" "this" {
  count   = %[3]d
  project = %[4]s
}
`, strings.Join(quoted, ", "), settings, len(projects)*keysPerProject, project)
}

// wantDeclaredKeys fails unless, in every project, GitLab holds exactly the
// keys in state plus autoCreated older keys that GitLab made itself: no
// orphan and no duplicate from a create whose answer went wrong.
func wantDeclaredKeys(env *acctest.Env, projects []string, autoCreated int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		declared := map[string][]int64{}
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "gitlab_error_tracking_client_key" {
				continue
			}
			id, err := strconv.ParseInt(rs.Primary.Attributes["key_id"], 10, 64)
			if err != nil {
				return err
			}
			p := rs.Primary.Attributes["project"]
			declared[p] = append(declared[p], id)
		}
		for _, p := range projects {
			pid, ok := env.Server.ProjectByPath(p)
			if !ok {
				return fmt.Errorf("no project %q on the server", p)
			}
			var onServer []int64
			for _, k := range env.Server.Keys(pid) {
				if !k.Active {
					return fmt.Errorf("project %q: key %d is inactive", p, k.ID)
				}
				onServer = append(onServer, k.ID)
			}
			inState := declared[p]
			slices.Sort(inState)
			if len(onServer) != len(inState)+autoCreated || !slices.Equal(onServer[autoCreated:], inState) {
				return fmt.Errorf("project %q: GitLab holds keys %v; want %d created by GitLab itself, then exactly the keys in state %v",
					p, onServer, autoCreated, inState)
			}
		}
		return nil
	}
}

// wantKeyCount fails unless every project holds n keys on the server.
func wantKeyCount(env *acctest.Env, projects []string, n int) resource.TestCheckFunc {
	return stepCheck(func() error {
		for _, p := range projects {
			pid, _ := env.Server.ProjectByPath(p)
			if got := env.Server.Keys(pid); len(got) != n {
				return fmt.Errorf("project %q holds %d keys on the server, want %d: %v", p, len(got), n, got)
			}
		}
		return nil
	})
}

// wantFaults fails unless the emulator injected every named fault at least
// once, so that a test cannot pass without meeting them.
func wantFaults(env *acctest.Env, kinds ...string) resource.TestCheckFunc {
	return stepCheck(func() error {
		seen := map[string]int{}
		for _, r := range env.Server.Requests() {
			seen[r.Fault]++
		}
		for _, k := range kinds {
			if seen[k] == 0 {
				return fmt.Errorf("no %q fault was injected (injected: %v)", k, seen)
			}
		}
		return nil
	})
}

func TestAccReliability_applyThroughThrottlingServerErrorsAndDrops(t *testing.T) {
	env := acctest.New(t)
	projects := []string{"fleet/api", "fleet/web", "fleet/worker", "fleet/mobile"}
	for _, p := range projects {
		env.AddProject(p)
	}
	env.Server.SetFaults(emulator.Faults{Seed: faultSeed, Rate429: 0.15, Rate500: 0.10, RateDrop: 0.05})
	config := env.Config(fleetConfig(projects, 3, true))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// One apply of 4 settings and 12 keys succeeds although three
			// calls in ten fail; GitLab holds the declared keys and its own,
			// nothing else; the plan after it (also through the faults) is empty.
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					wantDeclaredKeys(env, projects, 1),
					wantFaults(env, "429", "500", "drop"),
				),
			},
		},
		// Destroy runs through the faults too: the declared keys go, GitLab's stay.
		CheckDestroy: wantKeyCount(env, projects, 1),
	})
}

func TestAccReliability_lostCreateAnswersLeaveNoOrphans(t *testing.T) {
	env := acctest.New(t)
	projects := []string{"lost/a", "lost/b", "lost/c"}
	for _, p := range projects {
		env.AddProject(p)
	}
	env.Server.SetFaults(emulator.Faults{
		Seed:             faultSeed,
		RateLostResponse: 0.4,
		Match: func(method, path string) bool {
			return method == http.MethodPost && strings.HasSuffix(path, "/error_tracking/client_keys")
		},
	})

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// 12 keys while GitLab creates each key but the answer to 40% of
			// the creates is lost: each lost key is adopted, none created twice.
			{
				Config: env.Config(fleetConfig(projects, 4, false)),
				Check: resource.ComposeAggregateTestCheckFunc(
					wantDeclaredKeys(env, projects, 0),
					wantFaults(env, "lost_response"),
				),
			},
		},
		CheckDestroy: wantKeyCount(env, projects, 0),
	})
}

func TestAccReliability_permanentServerErrorFailsWithoutFalseState(t *testing.T) {
	env := acctest.New(t)
	const project = "acme/down"
	env.AddProject(project)
	config := env.Config(settingsConfig(project, true, "")+`
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
}
`, acctest.ProviderAttrs("retries = 3"))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Every create of a key answers 500: the apply fails and says how
			// often it tried and what GitLab answered last.
			{
				PreConfig: func() {
					env.Server.SetFaults(emulator.Faults{Seed: faultSeed, Rate500: 1, Match: func(method, _ string) bool { return method == http.MethodPost }})
				},
				Config: config,
				ExpectError: acctest.ErrorLike("GitLab kept failing (HTTP 500)", `Could not create a client key for project "acme/down"`,
					"gave up after 4 attempts; last answer: 500 Internal Server Error", "raise the provider's `retries`"),
			},
			// GitLab healthy again: the refresh finds state true to GitLab (no
			// drift), the settings that were applied stay, and only the key
			// that failed is created.
			{
				PreConfig: func() { env.Server.SetFaults(emulator.Faults{}) },
				Config:    config,
				ConfigPlanChecks: preApply(
					expectNoDrift{},
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.this", plancheck.ResourceActionCreate),
				),
				Check: wantDeclaredKeys(env, []string{project}, 1),
			},
		},
	})
}

// expectNoDrift fails when the refresh before a plan found that an object
// in state differs from GitLab, that is when state claimed something false.
type expectNoDrift struct{}

func (expectNoDrift) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceDrift {
		resp.Error = fmt.Errorf("state differed from GitLab: %s changed outside Terraform (%v)", rc.Address, rc.Change.Actions)
		return
	}
}
