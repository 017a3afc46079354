package provider_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// managedProject is one project of the request-count test: its keys on the
// server, how many of them Terraform manages, and a data source over all.
type managedProject struct {
	name       string // resource and data source name
	path       string
	serverKeys int
	managed    int
	id         int64
	keys       []emulator.Key
}

// managedKey is the server key that the i-th key resource of p manages. The
// managed keys are spread over the whole list, so each page is needed.
func (p *managedProject) managedKey(i int) emulator.Key {
	return p.keys[p.managedIndex(i)]
}

// managedIndex is the position of managedKey(i) in the project's key list.
func (p *managedProject) managedIndex(i int) int {
	return i * len(p.keys) / p.managed
}

func (p *managedProject) keyAddr(i int) string {
	return fmt.Sprintf("gitlab_error_tracking_client_key.%s[%d]", p.name, i)
}

// keyStateName is keyAddr as resource.TestCheckFunc finds it in state.
func (p *managedProject) keyStateName(i int) string {
	return fmt.Sprintf("gitlab_error_tracking_client_key.%s.%d", p.name, i)
}

// config declares the project's settings, its managed keys and a
// gitlab_error_tracking_client_keys data source, with import blocks that
// bring the existing settings and keys under management.
func (p *managedProject) config() string {
	var s strings.Builder
	fmt.Fprintf(&s, `
resource "gitlab_error_tracking_settings" %[1]q {
  project    = %[2]q
  active     = true
  integrated = true
}

import {
  to = gitlab_error_tracking_settings.%[1]s
  id = %[2]q
}

resource "gitlab_error_tracking_client_key" %[1]q {
  count   = %[3]d
  project = %[2]q
}

data "gitlab_error_tracking_client_keys" %[1]q {
  project = %[2]q
}
`, p.name, p.path, p.managed)
	for i := range p.managed {
		fmt.Fprintf(&s, `
import {
  to = %s
  id = "%s:%d"
}
`, p.keyAddr(i), p.path, p.managedKey(i).ID)
	}
	return s.String()
}

// addManagedProjects adds the projects, with their settings and keys, to
// env's GitLab, and returns the configuration that config gives for each.
func addManagedProjects(env *acctest.Env, projects []*managedProject, config func(*managedProject) string) string {
	var s strings.Builder
	for _, p := range projects {
		p.id = env.AddProject(p.path)
		env.Server.SetSettings(p.id, emulator.Settings{Active: true, Integrated: true})
		for range p.serverKeys {
			p.keys = append(p.keys, env.Server.AddKey(p.id))
		}
		s.WriteString(config(p))
	}
	return s.String()
}

// requestTally counts the emulator's log by method and path, e.g.
// "GET /api/v4/projects/perf%2Fbig/error_tracking/client_keys".
func requestTally(reqs []emulator.Request) map[string]int {
	tally := make(map[string]int)
	for _, r := range reqs {
		tally[r.Method+" "+r.Path]++
	}
	return tally
}

// A refresh lists each project's keys once, all pages, however many key
// resources and data sources read them: one settings read and one request
// per 100 keys per project, plus the early auth check, and nothing else.
func TestAccRefreshListsEachProjectsKeysOnce(t *testing.T) {
	env := acctest.New(t)
	projects := []*managedProject{
		{name: "big", path: "perf/big", serverKeys: 250, managed: 30},
		{name: "small", path: "perf/small", serverKeys: 5, managed: 2},
	}
	config := addManagedProjects(env, projects, (*managedProject).config)
	big := projects[0]
	// Deactivated in GitLab's UI before the refresh, so that the refresh
	// has something to find out.
	const deactivated = 7

	// The request floor (docs/guides/performance.md): per project one settings read and
	// one list page per 100 keys, plus GET /user once.
	want := map[string]int{
		"GET /api/v4/user": 1,
		"GET /api/v4/projects/perf%2Fbig/error_tracking/settings":      1,
		"GET /api/v4/projects/perf%2Fbig/error_tracking/client_keys":   3,
		"GET /api/v4/projects/perf%2Fsmall/error_tracking/settings":    1,
		"GET /api/v4/projects/perf%2Fsmall/error_tracking/client_keys": 1,
	}

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Existing settings and keys imported; the data sources see every key.
			{
				Config: env.Config(config),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr("data.gitlab_error_tracking_client_keys.big", "keys", knownvalue.ListSizeExact(250)),
					expectAttr("data.gitlab_error_tracking_client_keys.small", "keys", knownvalue.ListSizeExact(5)),
					expectAttr(big.keyAddr(29), "key_id", knownvalue.Int64Exact(big.managedKey(29).ID)),
				},
			},
			// Refresh of 32 keys, 2 settings and 2 data sources: each
			// project's list is fetched once, and the key deactivated outside
			// Terraform is noticed from that one list.
			{
				PreConfig: func() {
					env.Server.SetKeyActive(big.managedKey(deactivated).ID, false)
					env.Server.ResetRequests()
				},
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					stepCheck(func() error {
						got := requestTally(env.Server.Requests())
						if !maps.Equal(got, want) {
							return fmt.Errorf("the refresh sent\n%s\nwant\n%s", formatTally(got), formatTally(want))
						}
						return nil
					}),
					resource.TestCheckResourceAttr(big.keyStateName(deactivated), "active", "false"),
					resource.TestCheckResourceAttr(big.keyStateName(deactivated+1), "active", "true"),
					resource.TestCheckResourceAttr("data.gitlab_error_tracking_client_keys.big", "keys.#", "250"),
					resource.TestCheckResourceAttr("data.gitlab_error_tracking_client_keys.big",
						fmt.Sprintf("keys.%d.active", big.managedIndex(deactivated)), "false"),
				),
				// The deactivated key is planned for replacement.
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func formatTally(tally map[string]int) string {
	var s strings.Builder
	for _, k := range slices.Sorted(maps.Keys(tally)) {
		fmt.Fprintf(&s, "  %d × %s\n", tally[k], k)
	}
	return s.String()
}

// ephemeralConfig adds to config an ephemeral client key for each managed
// key and an ephemeral key list, each read as the managed keys are.
func (p *managedProject) ephemeralConfig() string {
	return fmt.Sprintf(`
ephemeral "gitlab_error_tracking_client_key" %[1]q {
  count   = %[2]d
  project = gitlab_error_tracking_client_key.%[1]s[count.index].project
  key_id  = gitlab_error_tracking_client_key.%[1]s[count.index].key_id
}

ephemeral "gitlab_error_tracking_client_keys" %[1]q {
  project = %[3]q
}
`, p.name, p.managed, p.path)
}

// Ephemeral resources read the keys from the same one list per project as
// the resources and data sources: Terraform opens them in every walk, the
// plan's and the apply's, and each walk lists each project's keys once.
func TestAccEphemeralResourcesShareEachProjectsKeyList(t *testing.T) {
	acctest.SkipBelow(t, acctest.EphemeralResources)
	env := acctest.New(t)
	projects := []*managedProject{
		{name: "big", path: "perf/big", serverKeys: 150, managed: 4},
		{name: "small", path: "perf/small", serverKeys: 3, managed: 1},
	}
	config := addManagedProjects(env, projects, func(p *managedProject) string { return p.config() + p.ephemeralConfig() })
	cfg := env.Config(config+`
resource "echo" "this" {}
`, acctest.Echo(`{
    big        = ephemeral.gitlab_error_tracking_client_key.big
    small      = ephemeral.gitlab_error_tracking_client_key.small
    big_list   = ephemeral.gitlab_error_tracking_client_keys.big
    small_list = ephemeral.gitlab_error_tracking_client_keys.small
  }`))

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.EchoProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.this", echoed("big_list", "keys"), knownvalue.ListSizeExact(150)),
					statecheck.ExpectKnownValue("echo.this", echoed("big").AtSliceIndex(3).AtMapKey("key_id"),
						knownvalue.Int64Exact(projects[0].managedKey(3).ID)),
				},
			},
			// terraform plan, then terraform apply of that plan: two walks,
			// each with its own provider process and client. The plan's
			// refresh reads the settings too. The apply creates a second
			// echo resource, so it needs the ephemeral values (OpenTofu
			// skips the apply walk of a plan without changes, and opens no
			// ephemeral resource in one that does not need them).
			{
				PreConfig: env.Server.ResetRequests,
				Config:    cfg + `resource "echo" "again" {}` + "\n",
				Check: stepCheck(func() error {
					const walks = 2
					want := map[string]int{
						"GET /api/v4/user": walks,
						"GET /api/v4/projects/perf%2Fbig/error_tracking/settings":      1,
						"GET /api/v4/projects/perf%2Fbig/error_tracking/client_keys":   walks * 2,
						"GET /api/v4/projects/perf%2Fsmall/error_tracking/settings":    1,
						"GET /api/v4/projects/perf%2Fsmall/error_tracking/client_keys": walks,
					}
					if got := requestTally(env.Server.Requests()); !maps.Equal(got, want) {
						return fmt.Errorf("the plan and apply sent\n%s\nwant\n%s", formatTally(got), formatTally(want))
					}
					return nil
				}),
			},
		},
	})
}
