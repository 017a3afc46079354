package provider_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
	accTest(t, resource.TestCase{
		Steps: append([]resource.TestStep{{Config: w.env.Config("")}}, steps...),
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
				{Path: tfjsonpath.New("key_id"), KnownValue: knownvalue.Int64Exact(w.apiKey.ID)},
				{Path: tfjsonpath.New("sentry_dsn"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("public_key"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("store_dsn"), KnownValue: knownvalue.Null()},
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

// Without subgroups, with archived projects, and only active or only
// inactive keys.
func TestAccQuery_groupOptions(t *testing.T) {
	w := newQueryWorld(t)
	addr := func(kind, name string) string { return "gitlab_error_tracking_" + kind + "." + name }
	w.test(t, resource.TestStep{
		Config: listBlock("gitlab_error_tracking_client_key", "top", `group = "acme"
    include_subgroups = false`) +
			listBlock("gitlab_error_tracking_client_key", "archived", `group = "acme"
    include_archived = true`) +
			listBlock("gitlab_error_tracking_client_key", "active", `group = "acme"
    active = true`) +
			listBlock("gitlab_error_tracking_client_key", "inactive", `group = "acme"
    active = false`) +
			listBlock("gitlab_error_tracking_settings", "top", `group = "`+strconv.FormatInt(w.group, 10)+`"
    include_subgroups = false`) +
			listBlock("gitlab_error_tracking_settings", "archived", `group = "acme"
    include_archived = true`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(addr("client_key", "top"), 2),
			querycheck.ExpectIdentity(addr("client_key", "top"), keyIdentity(w.web, w.webKeys[0].ID)),
			querycheck.ExpectIdentity(addr("client_key", "top"), keyIdentity(w.web, w.webKeys[1].ID)),

			querycheck.ExpectLength(addr("client_key", "archived"), 4),
			querycheck.ExpectIdentity(addr("client_key", "archived"), keyIdentity(w.archived, w.archivedKey.ID)),

			querycheck.ExpectLength(addr("client_key", "active"), 2),
			querycheck.ExpectIdentity(addr("client_key", "active"), keyIdentity(w.web, w.webKeys[0].ID)),
			querycheck.ExpectIdentity(addr("client_key", "active"), keyIdentity(w.api, w.apiKey.ID)),
			querycheck.ExpectLength(addr("client_key", "inactive"), 1),
			querycheck.ExpectIdentity(addr("client_key", "inactive"), keyIdentity(w.web, w.webKeys[1].ID)),

			querycheck.ExpectLength(addr("settings", "top"), 1),
			querycheck.ExpectIdentity(addr("settings", "top"), settingsIdentity(w.web)),
			querycheck.ExpectLength(addr("settings", "archived"), 3),
			querycheck.ExpectResourceDisplayName(addr("settings", "archived"), queryfilter.ByResourceIdentity(settingsIdentity(w.archived)),
				knownvalue.StringExact("acme/old")),
		},
	})
}

// `projects` lists the projects named, by ID or path, each once, in the
// order given; a project without settings has none listed.
func TestAccQuery_projects(t *testing.T) {
	w := newQueryWorld(t)
	web := strconv.FormatInt(w.web, 10)
	keys := "gitlab_error_tracking_client_key.some"
	settings := "gitlab_error_tracking_settings.some"
	projects := `projects = ["acme/team/api", "` + web + `", "acme/bare", "acme/web"]`
	w.test(t, resource.TestStep{
		Config: listBlock("gitlab_error_tracking_client_key", "some", projects) +
			listBlock("gitlab_error_tracking_settings", "some", projects),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(keys, 3),
			querycheck.ExpectResourceDisplayName(keys, queryfilter.ByResourceIdentity(keyIdentity(w.web, w.webKeys[1].ID)),
				knownvalue.StringExact("acme/web:"+strconv.FormatInt(w.webKeys[1].ID, 10))),
			querycheck.ExpectResourceKnownValues(keys, queryfilter.ByResourceIdentity(keyIdentity(w.web, w.webKeys[1].ID)), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("project"), KnownValue: knownvalue.StringExact("acme/web")},
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact("acme/web:" + strconv.FormatInt(w.webKeys[1].ID, 10))},
				{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(false)},
			}),
			querycheck.ExpectLength(settings, 2),
			querycheck.ExpectIdentity(settings, settingsIdentity(w.api)),
			querycheck.ExpectResourceDisplayName(settings, queryfilter.ByResourceIdentity(settingsIdentity(w.web)), knownvalue.StringExact("acme/web")),
		},
	})
}

// An unknown group, and a project the token's user cannot see, fail with
// what to check.
func TestAccQuery_notFound(t *testing.T) {
	w := newQueryWorld(t)
	hidden := w.env.Server.AddProject("elsewhere/secret")
	w.env.Server.SetSettings(hidden, emulator.Settings{Active: true, Integrated: true})
	w.test(t,
		resource.TestStep{
			Config:      listBlock("gitlab_error_tracking_client_key", "missing", `group = "acme/nope"`),
			ExpectError: acctest.ErrorLike(`Group not found`, `list the projects of group "acme/nope"`, `404 Group Not Found`, "Check `group`"),
		},
		resource.TestStep{
			Config:      listBlock("gitlab_error_tracking_settings", "hidden", `projects = ["acme/web", "elsewhere/secret"]`),
			ExpectError: acctest.ErrorLike(`Project not found`, `project "elsewhere/secret", listed in`, "`projects`", `404 Project Not Found`),
		},
	)
}

// A project's path given as `group`, and a group's given in `projects`:
// one more request (for the other kind) tells which it is, and the error
// says which argument takes it.
func TestAccQuery_groupAndProjectSwapped(t *testing.T) {
	w := newQueryWorld(t)
	w.test(t,
		resource.TestStep{
			PreConfig:   w.env.Server.ResetRequests,
			Config:      listBlock("gitlab_error_tracking_client_key", "swapped", `group = "acme/web"`),
			ExpectError: acctest.ErrorLike("Project given as group", "`group` = \"acme/web\" names no group", `but a project: "acme/web" (ID`, "write `projects = [\"acme/web\"]` instead of `group`"),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := w.env.Server.CountRequests("GET", "/projects/acme/web"); n != 1 {
					t.Errorf("telling group = \"acme/web\" apart sent GET /projects/:id %d times, want 1", n)
				}
				w.env.Server.ResetRequests()
			},
			Config:      listBlock("gitlab_error_tracking_settings", "swapped", `projects = ["acme/web", "acme/team"]`),
			ExpectError: acctest.ErrorLike("Group given in projects", "`projects` names \"acme/team\"", `but a group: "acme/team" (ID`, "write `group = \"acme/team\"` instead of `projects`"),
		},
	)
}

// In a group, a project the token's user can see but not manage is skipped
// (with a warning) and the others are listed.
func TestAccQuery_groupProjectNotManaged(t *testing.T) {
	w := newQueryWorld(t)
	const token = "glpat-developer-of-api"
	uid := w.env.Server.AddUser("dev", false)
	w.env.Server.AddToken(uid, token)
	w.env.Server.SetRole(w.api, uid, emulator.RoleDeveloper)
	w.env.Server.SetRole(w.web, uid, emulator.RoleMaintainer)
	w.test(t, resource.TestStep{
		Config: `provider "gitlab" {
  alias = "dev"
  base_url = "` + w.env.Instance + `"
  token = "` + token + `"
}

list "gitlab_error_tracking_client_key" "dev" {
  provider = gitlab.dev
  config {
    group = "acme"
  }
}
`,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("gitlab_error_tracking_client_key.dev", 2),
			querycheck.ExpectIdentity("gitlab_error_tracking_client_key.dev", keyIdentity(w.web, w.webKeys[0].ID)),
		},
	})
}

// bigGroup adds the group "big" of n projects, each with error tracking on
// and one key, and returns its ID.
func bigGroup(env *acctest.Env, n int) int64 {
	const path = "big"
	g := env.Server.AddGroup(path)
	env.Server.SetGroupRole(g, env.UserID, emulator.RoleMaintainer)
	for i := range n {
		id := env.Server.AddProject(fmt.Sprintf("%s/p%03d", path, i+1))
		env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
		env.Server.AddKey(id)
	}
	return g
}

// expectRequests is a query check on the requests the emulator saw: the
// count of each "METHOD path-suffix" in want, and nothing else.
type expectRequests struct {
	env  *acctest.Env
	want map[string]int
}

func (e expectRequests) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	got := map[string]int{}
	var other []string
	for _, r := range e.env.Server.Requests() {
		matched := false
		for k := range e.want {
			method, suffix, _ := strings.Cut(k, " ")
			if r.Method == method && strings.HasSuffix(r.Path, suffix) {
				got[k]++
				matched = true
				break
			}
		}
		if !matched {
			other = append(other, r.Method+" "+r.Path)
		}
	}
	if !maps.Equal(got, e.want) || len(other) > 0 {
		resp.Error = fmt.Errorf("the query sent\n%s and %d other requests %v;\nwant\n%s", formatTally(got), len(other), other, formatTally(e.want))
	}
}

// Both list blocks over a group share each page of its projects, and read
// each project's settings and key list once: ⌈P/100⌉ + 2P requests, plus
// the token check.
func TestAccQuery_groupRequestFloor(t *testing.T) {
	env := acctest.New(t)
	const projects = 250
	bigGroup(env, projects)
	w := &queryWorld{env: env}
	w.test(t, resource.TestStep{
		PreConfig: env.Server.ResetRequests,
		Config: bigList("gitlab_error_tracking_client_key", "all", 1000) +
			bigList("gitlab_error_tracking_settings", "all", 1000),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("gitlab_error_tracking_client_key.all", projects),
			querycheck.ExpectLength("gitlab_error_tracking_settings.all", projects),
			expectRequests{env, map[string]int{
				"GET /api/v4/user":                1,
				"GET /api/v4/groups/big/projects": 3,
				"GET /error_tracking/settings":    projects,
				"GET /error_tracking/client_keys": projects,
			}},
		},
	})
}

// A group written as its path in one list block and as its ID in the
// other is one group: its pages are read once, for one lookup that tells
// the second spelling is the same group.
func TestAccQuery_groupTwoSpellings(t *testing.T) {
	env := acctest.New(t)
	const projects = 150
	id := bigGroup(env, projects)
	w := &queryWorld{env: env}
	w.test(t, resource.TestStep{
		PreConfig: env.Server.ResetRequests,
		Config: bigList("gitlab_error_tracking_settings", "all", 1000) +
			strings.Replace(bigList("gitlab_error_tracking_client_key", "all", 1000), `group = "big"`, fmt.Sprintf("group = \"%d\"", id), 1),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("gitlab_error_tracking_client_key.all", projects),
			querycheck.ExpectLength("gitlab_error_tracking_settings.all", projects),
			checkFunc(func() error {
				// Which block reads the pages, and so which spelling is
				// looked up, depends on which runs first.
				got := map[string]int{}
				for _, r := range env.Server.Requests() {
					k := r.Method + " " + r.Path
					switch {
					case strings.HasSuffix(r.Path, "/error_tracking/settings"), strings.HasSuffix(r.Path, "/error_tracking/client_keys"):
						k = r.Method + " " + r.Path[strings.LastIndex(r.Path, "/error_tracking/"):]
					case strings.HasPrefix(r.Path, "/api/v4/groups/") && strings.HasSuffix(r.Path, "/projects"):
						k = "GET a page of the group's projects"
					case r.Path == "/api/v4/groups/big" || r.Path == fmt.Sprintf("/api/v4/groups/%d", id):
						k = "GET the group"
					}
					got[k]++
				}
				want := map[string]int{
					"GET /api/v4/user":                   1,
					"GET a page of the group's projects": 2,
					"GET the group":                      1,
					"GET /error_tracking/settings":       projects,
					"GET /error_tracking/client_keys":    projects,
				}
				if !maps.Equal(got, want) {
					return fmt.Errorf("the query sent\n%s\nwant\n%s", formatTally(got), formatTally(want))
				}
				return nil
			}),
		},
	})
}

// A limit stops the listing, and no project or page beyond what it needs is
// read: 100 settings from the first page of 100 projects; 5 keys from 5
// projects. Without `limit`, Terraform's default is 100.
func TestAccQuery_limit(t *testing.T) {
	env := acctest.New(t)
	bigGroup(env, 150)
	w := &queryWorld{env: env}
	w.test(t,
		resource.TestStep{
			PreConfig: env.Server.ResetRequests,
			Config: bigList("gitlab_error_tracking_client_key", "five", 5) +
				listBlock("gitlab_error_tracking_settings", "default", `group = "big"`),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("gitlab_error_tracking_client_key.five", 5),
				querycheck.ExpectLength("gitlab_error_tracking_settings.default", 100),
				expectRequests{env, map[string]int{
					"GET /api/v4/user":                1,
					"GET /api/v4/groups/big/projects": 1,
					"GET /error_tracking/settings":    100,
					"GET /error_tracking/client_keys": 5,
				}},
			},
		},
		resource.TestStep{
			Config: bigList("gitlab_error_tracking_settings", "more", 120),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("gitlab_error_tracking_settings.more", 120),
			},
		},
	)
}

// bigList is a list block over the group "big" with a limit.
func bigList(kind, name string, limit int) string {
	return strings.Replace(listBlock(kind, name, `group = "big"`), "  include_resource = true\n",
		fmt.Sprintf("  include_resource = true\n  limit = %d\n", limit), 1)
}

// A list block's config that cannot list anything fails validation,
// naming what to set.
func TestAccQuery_badConfig(t *testing.T) {
	w := newQueryWorld(t)
	step := func(config string, parts ...string) resource.TestStep {
		return resource.TestStep{
			Config:      listBlock("gitlab_error_tracking_settings", "bad", config),
			ExpectError: acctest.ErrorLike(parts...),
		}
	}
	w.test(t,
		step(`projects = ["acme/web"]
    group = "acme"`, "Both projects and group set", "Remove one of them"),
		step(``, "No projects to list", "Set `projects`", "or `group`"),
		step(`projects = ["acme/web"]
    include_archived = true`, "Only with group", "`include_archived` chooses among the projects of `group`"),
		step(`projects = []`, "projects", "at least 1"),
		step(`projects = ["acme/web", " acme/api"]`, "Invalid project", "leading or trailing spaces"),
		step(`group = "acme%2Fteam"`, "Invalid group", "`group` = \"acme%2Fteam\" cannot name a group"),
		step(`group = "https://gitlab.example.com/acme/team"`, "Invalid group", "`group` = \"https://gitlab.example.com/acme/team\" is a web URL", `"acme/team"`),
	)
}

// The projects' reads overlap, 8 at a time across both list blocks and no
// more, whatever Terraform's parallelism. The settings and key-list reads
// are held at a gate until 8 have arrived (each may have come from either
// block); they are held a little longer, in which a ninth would arrive if
// the provider allowed one, then let go.
func TestAccQuery_parallelReads(t *testing.T) {
	var reads emulator.InFlight
	gate := newReadGate(8, 200*time.Millisecond)
	isRead := func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/error_tracking/") }
	env := acctest.NewServed(t, acctest.ServeOptions{Front: func(next http.Handler) http.Handler {
		return reads.Count(isRead, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isRead(r) {
				gate.enter()
			}
			next.ServeHTTP(w, r)
		}))
	}})
	bigGroup(env, 40)
	w := &queryWorld{env: env}
	w.test(t, resource.TestStep{
		Config: bigList("gitlab_error_tracking_client_key", "all", 1000) +
			bigList("gitlab_error_tracking_settings", "all", 1000),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("gitlab_error_tracking_client_key.all", 40),
			checkFunc(func() error {
				if held, peak := gate.arrivedWhileHeld(), reads.Peak(); held != 8 || peak != 8 {
					return fmt.Errorf("%d settings and key-list reads arrived while the first ones were held, and at most %d were "+
						"in flight at once; want 8 and 8", held, peak)
				}
				return nil
			}),
		},
	})
}

// readGate holds the requests that enter it until want have arrived, and
// for hold more, then lets them and every later one through. It counts the
// requests that arrived while it held them.
type readGate struct {
	want    int
	hold    time.Duration
	full    chan struct{} // closed when want have arrived
	release chan struct{} // closed when the gate opens

	mu      sync.Mutex
	held    int
	started bool
}

func newReadGate(want int, hold time.Duration) *readGate {
	return &readGate{want: want, hold: hold, full: make(chan struct{}), release: make(chan struct{})}
}

// enter returns at once when the gate is open, and else when it opens.
func (g *readGate) enter() {
	g.mu.Lock()
	select {
	case <-g.release:
		g.mu.Unlock()
		return
	default:
	}
	g.held++
	if !g.started {
		g.started = true
		go g.open()
	}
	if g.held == g.want {
		close(g.full)
	}
	g.mu.Unlock()
	<-g.release
}

// open opens the gate hold after want requests have arrived, or, should
// they never all arrive (a provider that allows fewer reads at once), after
// a minute, so that the test ends with the count instead of hanging.
func (g *readGate) open() {
	select {
	case <-g.full:
		<-time.After(g.hold) // the window in which one more read could arrive
	case <-time.After(time.Minute):
	}
	close(g.release)
}

// arrivedWhileHeld is how many requests arrived while the gate held them.
func (g *readGate) arrivedWhileHeld() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// checkFunc is a query check that runs f.
type checkFunc func() error

func (f checkFunc) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	resp.Error = f()
}

// The guide whose recipes these tests run as the page shows them.
const adoptionGuide = "../../templates/guides/adopting-existing-projects.md.tmpl"

// The guide's `terraform query` recipe, driven with the CLI directly since
// terraform-plugin-testing's query mode cannot generate configuration:
// `terraform query -generate-config-out` over a group writes import and
// resource blocks for every active key and every settings object of its
// projects, within the request floor; the plan then only imports, the apply
// writes nothing to GitLab, and the plan after it is empty.
func TestAccAdopt_queryGenerateConfig(t *testing.T) {
	acctest.SkipBelow(t, acctest.Query)
	t.Parallel()
	w := newQueryWorld(t)
	d := newCLIDir(t, w.env)
	d.write("main.tf", guideBlock(t, adoptionGuide, "query-main"))
	d.write("adopt.tfquery.hcl", guideBlock(t, adoptionGuide, "query-list"))
	command := strings.Fields(guideBlock(t, adoptionGuide, "query-command"))
	if len(command) < 2 || command[0] != "terraform" || command[1] != "query" {
		t.Fatalf("the guide's query command is not one `terraform query`: %q", command)
	}

	w.env.Server.ResetRequests()
	d.run(append(command[1:], "-no-color")...)
	// ⌈P/100⌉ + 2P for the 3 projects listed (the archived one is left
	// out), and the token check.
	if got := len(w.env.Server.Requests()); got != 1+1+2*3 {
		t.Errorf("the query sent %d requests, want 8:\n%s", got, formatTally(requestTally(w.env.Server.Requests())))
	}

	generated := d.read("generated.tf")
	// The settings of acme/web and acme/team/api and their active keys;
	// acme/bare has no settings and acme/old is archived.
	if n := strings.Count(generated, "import {"); n != 4 {
		t.Errorf("generated.tf has %d import blocks, want 4:\n%s", n, generated)
	}
	spaces := regexp.MustCompile(`[ \t]+`)
	flat := spaces.ReplaceAllString(generated, " ")
	for _, want := range []string{
		`project = "acme/team/api"`, `on_destroy = "restore"`,
		fmt.Sprintf("key_id = %d", w.apiKey.ID),
		fmt.Sprintf("project_id = %d", w.web),
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("generated.tf lacks %q:\n%s", want, generated)
		}
	}
	if strings.Contains(generated, "integrated") {
		t.Errorf("generated.tf sets integrated, which could overwrite a stored mode:\n%s", generated)
	}
	w.adoptAndCheck(t, d, 4)
}

// The guide's recipe for Terraform 1.7 to 1.13 and OpenTofu: import blocks
// with for_each over the projects of a variable and the keys the data source
// finds.
func TestAccAdopt_importForEach(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportForEach)
	t.Parallel()
	w := newQueryWorld(t)
	d := newCLIDir(t, w.env)
	d.write("main.tf", guideBlock(t, adoptionGuide, "query-main")+"\n"+guideBlock(t, adoptionGuide, "for-each"))
	d.write("adopt.auto.tfvars", guideBlock(t, adoptionGuide, "for-each-tfvars"))
	w.adoptAndCheck(t, d, 4)
}

// The guide's freeze step and next batch for the import-block recipe: once
// what was adopted is written out, adopting another batch imports it and
// destroys nothing, and an empty batch changes nothing.
func TestAccAdopt_importForEachNextBatchDestroysNothing(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportForEach)
	t.Parallel()
	w := newQueryWorld(t)
	mobile := w.env.Server.AddProject("acme/mobile")
	w.env.Server.SetSettings(mobile, emulator.Settings{Active: true, Integrated: true})
	w.env.Server.AddKey(mobile)
	d := newCLIDir(t, w.env)
	d.write("main.tf", guideBlock(t, adoptionGuide, "query-main")+"\n"+guideBlock(t, adoptionGuide, "for-each"))
	d.write("adopt.auto.tfvars", guideBlock(t, adoptionGuide, "for-each-tfvars"))
	w.adoptAndCheck(t, d, 4)

	// terraform output -json freeze > FILE && mv FILE TFVARS
	freeze := strings.Fields(guideBlock(t, adoptionGuide, "freeze"))
	if len(freeze) != 10 || freeze[0] != "terraform" || freeze[4] != ">" || freeze[6] != "&&" || freeze[7] != "mv" || freeze[8] != freeze[5] {
		t.Fatalf("the guide's freeze step is not `terraform ... > file && mv file tfvars`: %q", freeze)
	}
	runFreeze := func() {
		d.runTo(freeze[5], freeze[1:4]...)
		if err := os.Rename(filepath.Join(d.dir, freeze[8]), filepath.Join(d.dir, freeze[9])); err != nil {
			t.Fatal(err)
		}
	}
	runFreeze()
	d.write("adopt.auto.tfvars", guideBlock(t, adoptionGuide, "next-batch-tfvars"))
	// acme/mobile's settings and key.
	w.adoptAndCheck(t, d, 2)

	runFreeze()
	d.write("adopt.auto.tfvars", "adopt_projects = []\n")
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
}

// adoptAndCheck plans and applies the adopting configuration in d: n
// imports and nothing else, no write to GitLab, then an empty plan.
func (w *queryWorld) adoptAndCheck(t *testing.T, d *cliDir, n int) {
	t.Helper()
	out := d.run("plan", "-input=false", "-no-color")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", n); !strings.Contains(out, want) {
		t.Fatalf("the plan does more than import (want %q):\n%s", want, out)
	}
	w.env.Server.ResetRequests()
	out = d.run("apply", "-auto-approve", "-input=false", "-no-color")
	if want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", n); !strings.Contains(out, want) {
		t.Fatalf("the apply did more than import (want %q):\n%s", want, out)
	}
	for _, r := range w.env.Server.Requests() {
		if r.Method != "GET" {
			t.Errorf("adopting wrote to GitLab: %s %s", r.Method, r.Path)
		}
	}
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
}
