package provider_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// The migration tests run the recipes of the guide "Migrating from
// gitlabhq/gitlab" as the guide's template shows them, with the CLI that
// TF_ACC_TERRAFORM_PATH names: terraform-plugin-testing cannot, since it
// serves all its providers under one namespace (both are named gitlab), runs
// `init`, and cannot start from a written state. Both providers come from
// dev_overrides; the official one is the stand-in in
// internal/acctest/officialgitlab.
const migrationGuide = "../../templates/guides/migrating-from-gitlabhq-gitlab.md.tmpl"

// TestAccMigrate_movedBlocks: with Terraform 1.8+ or OpenTofu 1.10+, one
// apply with the guide's moved blocks takes over every official resource
// without a write to GitLab, keeping each key and its DSN.
func TestAccMigrate_movedBlocks(t *testing.T) {
	m := newMigration(t, acctest.CrossProviderMoved)

	// The state written for the test is the one of the guide's "before"
	// configuration: planning it creates and destroys nothing.
	m.writeConfig("before")
	out := m.run("plan", "-input=false", "-no-color")
	for _, unwanted := range []string{"will be created", "must be replaced", "will be destroyed"} {
		if strings.Contains(out, unwanted) {
			t.Fatalf("the written state does not match the guide's starting configuration: %q in\n%s", unwanted, out)
		}
	}

	m.writeConfig("providers", "resources", "moved")
	out = m.apply()
	for _, addr := range []string{"settings.web", "client_key.web", `settings.services["api"]`, `settings.services["jobs"]`,
		`client_key.services["api"]`, `client_key.services["jobs"]`} {
		moved := fmt.Sprintf("gitlab_project_error_tracking_%s has moved to gitlab_error_tracking_%s", addr, addr)
		if !strings.Contains(out, moved) {
			t.Errorf("apply output does not say %q", moved)
		}
	}
	if !strings.Contains(out, "Resources: 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply changed something:\n%s", out)
	}
	if strings.Contains(out, "will restore the settings found at the move") {
		t.Errorf("a warning about the restore record, though the state holds one:\n%s", out)
	}

	// The official record of the settings before gitlabhq/gitlab created
	// them is what on_destroy = "restore" puts back.
	m.checkState(map[string]string{"gitlab_error_tracking_settings.web": `{"active":false,"existed":true,"integrated":false}`})
	m.checkIdentity()
	m.checkNoWrites()
	m.checkPlanEmpty()
}

// TestAccMigrate_removedAndImportBlocks: the Terraform 1.7 recipe, removed
// blocks that forget the official resources and import blocks (for_each)
// that take the same objects over, writes nothing to GitLab.
func TestAccMigrate_removedAndImportBlocks(t *testing.T) {
	m := newMigration(t, acctest.ImportForEach, acctest.RemovedForget)
	m.writeConfig("providers", "resources", "removed")
	out := m.apply()
	m.checkImportedAll(out)
	// An import records the settings found at the import for "restore".
	m.checkState(map[string]string{"gitlab_error_tracking_settings.web": `{"active":true,"existed":true,"integrated":true}`})
	m.checkNoWrites()
	m.checkPlanEmpty()
}

// TestAccMigrate_stateRmAndImportBlocks: the recipe for every CLI from
// Terraform 1.5 on, `state rm` then import blocks with literal IDs, writes
// nothing to GitLab.
func TestAccMigrate_stateRmAndImportBlocks(t *testing.T) {
	m := newMigration(t, acctest.ImportBlocks)
	m.writeConfig("providers", "resources", "import-literal")
	command := strings.Fields(m.recipe("state-rm"))
	if len(command) < 4 || command[0] != "terraform" || command[1] != "state" || command[2] != "rm" {
		t.Fatalf("the guide's state-rm recipe is not one `terraform state rm` command: %q", command)
	}
	m.run(append(command[1:], "-no-color")...)
	out := m.apply()
	m.checkImportedAll(out)
	m.checkState(map[string]string{"gitlab_error_tracking_settings.web": `{"active":true,"existed":true,"integrated":true}`})
	m.checkNoWrites()
	m.checkPlanEmpty()
}

// migration is one working directory holding a state written by the
// official provider for the guide's three projects, against an emulated
// GitLab that has those projects, their settings and their keys.
type migration struct {
	t *testing.T
	*cliDir
	env *acctest.Env
	// keys are the emulator's keys by the address our resource gets.
	keys map[string]migratedKey
	// projects are the projects' IDs by path.
	projects map[string]int64
}

type migratedKey struct {
	project string
	emulator.Key
}

func newMigration(t *testing.T, needs ...acctest.Feature) *migration {
	t.Helper()
	t.Parallel()
	for _, f := range needs {
		acctest.SkipBelow(t, f)
	}
	info := acctest.CLI(t)
	m := &migration{t: t, env: acctest.New(t), keys: map[string]migratedKey{}}
	m.cliDir = newCLIDir(t, m.env, cliProvider{"gitlabhq/gitlab", "github.com/errortracking/terraform-provider-gitlab/internal/acctest/officialgitlab"})

	// One hundred keys of another project first, so that the keys to
	// migrate have the IDs the guide's import blocks show: 101, 102, 103.
	legacy := m.env.AddProject("acme/legacy")
	for range 100 {
		m.env.Server.AddKey(legacy)
	}
	projects := map[string]int64{}
	for _, p := range []struct{ path, settings, key string }{
		{"acme/web", "gitlab_error_tracking_settings.web", "gitlab_error_tracking_client_key.web"},
		{"acme/api", `gitlab_error_tracking_settings.services["api"]`, `gitlab_error_tracking_client_key.services["api"]`},
		{"acme/jobs", `gitlab_error_tracking_settings.services["jobs"]`, `gitlab_error_tracking_client_key.services["jobs"]`},
	} {
		id := m.env.AddProject(p.path)
		projects[p.path] = id
		m.env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
		m.keys[p.key] = migratedKey{p.path, m.env.Server.AddKey(id)}
	}
	m.projects = projects
	m.writeOfficialState(info, projects)
	m.env.Server.ResetRequests()
	return m
}

// writeOfficialState writes terraform.tfstate as the official provider
// leaves it: keep_settings_on_destroy false (with its record of the settings
// before it created them, in private state), true, and unset; a project
// written URL-encoded, as the official provider documents it.
func (m *migration) writeOfficialState(info tfcli.Info, projects map[string]int64) {
	host := "registry.terraform.io"
	if info.Product == tfcli.OpenTofu {
		host = "registry.opentofu.org"
	}
	provider := fmt.Sprintf("provider[%q]", host+"/gitlabhq/gitlab")
	original, err := json.Marshal(map[string]any{
		"active": false, "integrated": false, "api_url": nil, "project_name": nil, "sentry_external_url": nil,
	})
	if err != nil {
		m.t.Fatal(err)
	}
	private, err := json.Marshal(map[string][]byte{"gitlab_project_error_tracking_settings_original": original})
	if err != nil {
		m.t.Fatal(err)
	}
	settings := func(path, project string, keep any) map[string]any {
		return map[string]any{
			"id": fmt.Sprint(projects[path]), "project": project, "active": true, "integrated": true,
			"keep_settings_on_destroy": keep, "api_url": nil, "project_name": nil, "sentry_external_url": nil,
		}
	}
	key := func(project string, k migratedKey) map[string]any {
		return map[string]any{
			"id": fmt.Sprintf("%s:%d", project, k.ID), "project": project, "active": k.Active, "key_id": k.ID,
			"public_key": k.PublicKey, "sentry_dsn": k.SentryDSN,
		}
	}
	dsnSensitive := []any{[]any{map[string]any{"type": "get_attr", "value": "sentry_dsn"}}}
	st := tfState{
		Version: 4, TerraformVersion: "1.5.7", Serial: 1, Lineage: "5f0c3c1e-6d2b-4c57-9a8e-0d7f1a2b3c4d",
		Outputs: map[string]any{},
		Resources: []stateResource{
			{Mode: "managed", Type: "gitlab_project_error_tracking_settings", Name: "web", Provider: provider,
				Instances: []stateInstance{{
					Attributes: settings("acme/web", "acme%2Fweb", false), SensitiveAttributes: []any{},
					Private: base64.StdEncoding.EncodeToString(private),
				}}},
			{Mode: "managed", Type: "gitlab_project_error_tracking_client_key", Name: "web", Provider: provider,
				Instances: []stateInstance{{
					Attributes:          key("acme%2Fweb", m.keys["gitlab_error_tracking_client_key.web"]),
					SensitiveAttributes: dsnSensitive,
				}}},
			{Mode: "managed", Type: "gitlab_project_error_tracking_settings", Name: "services", Provider: provider,
				Instances: []stateInstance{
					{IndexKey: "api", Attributes: settings("acme/api", "acme/api", true), SensitiveAttributes: []any{}},
					{IndexKey: "jobs", Attributes: settings("acme/jobs", "acme/jobs", nil), SensitiveAttributes: []any{}},
				}},
			{Mode: "managed", Type: "gitlab_project_error_tracking_client_key", Name: "services", Provider: provider,
				Instances: []stateInstance{
					{IndexKey: "api", Attributes: key("acme/api", m.keys[`gitlab_error_tracking_client_key.services["api"]`]), SensitiveAttributes: dsnSensitive},
					{IndexKey: "jobs", Attributes: key("acme/jobs", m.keys[`gitlab_error_tracking_client_key.services["jobs"]`]), SensitiveAttributes: dsnSensitive},
				}},
		},
	}
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(m.dir, "terraform.tfstate"), raw, 0o600); err != nil {
		m.t.Fatal(err)
	}
}

type tfState struct {
	Version          int             `json:"version"`
	TerraformVersion string          `json:"terraform_version"`
	Serial           int             `json:"serial"`
	Lineage          string          `json:"lineage"`
	Outputs          map[string]any  `json:"outputs"`
	Resources        []stateResource `json:"resources"`
}

type stateResource struct {
	Mode      string          `json:"mode"`
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	Provider  string          `json:"provider"`
	Instances []stateInstance `json:"instances"`
}

type stateInstance struct {
	IndexKey            any            `json:"index_key,omitempty"`
	SchemaVersion       int            `json:"schema_version"`
	Attributes          map[string]any `json:"attributes"`
	SensitiveAttributes []any          `json:"sensitive_attributes"`
	Private             string         `json:"private,omitempty"`
	Identity            map[string]any `json:"identity,omitempty"`
}

func (m *migration) recipe(name string) string {
	m.t.Helper()
	return guideBlock(m.t, migrationGuide, name)
}

// writeConfig writes main.tf from the guide's blocks.
func (m *migration) writeConfig(blocks ...string) {
	m.t.Helper()
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		parts[i] = m.recipe(b)
	}
	if err := os.WriteFile(filepath.Join(m.dir, "main.tf"), []byte(strings.Join(parts, "\n\n")+"\n"), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

func (m *migration) apply() string {
	m.t.Helper()
	out := m.run("apply", "-auto-approve", "-input=false", "-no-color")
	for _, unwanted := range []string{"will be created", "must be replaced", "will be destroyed", "Destroying...", "Creating..."} {
		if strings.Contains(out, unwanted) {
			m.t.Errorf("apply output has %q:\n%s", unwanted, out)
		}
	}
	return out
}

// importedAll is the apply summary of an import recipe. Only on_destroy may
// change: an import sets the default, the recipe's configuration the mapped
// value. OpenTofu adds how many official resources it forgot.
var importedAll = regexp.MustCompile(`Resources: 6 imported, 0 added, \d+ changed, 0 destroyed\b`)

func (m *migration) checkImportedAll(out string) {
	m.t.Helper()
	if !importedAll.MatchString(out) {
		m.t.Errorf("apply did not import all six objects without creating or destroying:\n%s", out)
	}
}

// readState reads the state file the CLI wrote.
func (m *migration) readState() tfState {
	m.t.Helper()
	raw, err := os.ReadFile(filepath.Join(m.dir, "terraform.tfstate"))
	if err != nil {
		m.t.Fatal(err)
	}
	var st tfState
	if err := json.Unmarshal(raw, &st); err != nil {
		m.t.Fatal(err)
	}
	return st
}

// checkState fails unless the state holds our six resources and nothing of
// the official provider: each key with its ID and DSN, each project decoded,
// each on_destroy mapped, and the given baselines of settings.
func (m *migration) checkState(baselines map[string]string) {
	m.t.Helper()
	st := m.readState()
	got := map[string]stateInstance{}
	for _, r := range st.Resources {
		if !strings.HasSuffix(r.Provider, `/errortracking/gitlab"]`) {
			m.t.Errorf("%s.%s is still in state with provider %s", r.Type, r.Name, r.Provider)
			continue
		}
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%q]", in.IndexKey)
			}
			got[addr] = in
		}
	}
	for addr, want := range map[string]map[string]any{
		"gitlab_error_tracking_settings.web":              {"id": "acme/web", "project": "acme/web", "on_destroy": "restore", "active": true, "integrated": true},
		`gitlab_error_tracking_settings.services["api"]`:  {"id": "acme/api", "project": "acme/api", "on_destroy": "keep", "active": true, "integrated": true},
		`gitlab_error_tracking_settings.services["jobs"]`: {"id": "acme/jobs", "project": "acme/jobs", "on_destroy": "keep", "active": true, "integrated": true},
	} {
		in, ok := got[addr]
		if !ok {
			m.t.Errorf("%s is not in state", addr)
			continue
		}
		m.wantAttrs(addr, in, want)
		if rec, ok := baselines[addr]; ok {
			if b, _ := json.Marshal(in.Attributes["baseline"]); string(b) != rec {
				m.t.Errorf("%s: baseline %s, want %s", addr, b, rec)
			}
		}
	}
	for addr, k := range m.keys {
		in, ok := got[addr]
		if !ok {
			m.t.Errorf("%s is not in state", addr)
			continue
		}
		m.wantAttrs(addr, in, map[string]any{
			"id": fmt.Sprintf("%s:%d", k.project, k.ID), "project": k.project, "key_id": float64(k.ID), "active": true,
			"public_key": k.PublicKey, "sentry_dsn": k.SentryDSN,
		})
	}
	if len(got) != 6 {
		m.t.Errorf("state holds %d resource instances, want 6", len(got))
	}
}

// checkIdentity fails unless, on a CLI that stores resource identity, each
// of our six resources has its identity in state: the project's ID, and
// the key's.
func (m *migration) checkIdentity() {
	m.t.Helper()
	if !acctest.Has(m.t, acctest.ResourceIdentity) {
		return
	}
	st := m.readState()
	want := map[string]map[string]any{
		"gitlab_error_tracking_settings.web":              {"project_id": float64(m.projects["acme/web"])},
		`gitlab_error_tracking_settings.services["api"]`:  {"project_id": float64(m.projects["acme/api"])},
		`gitlab_error_tracking_settings.services["jobs"]`: {"project_id": float64(m.projects["acme/jobs"])},
	}
	for addr, k := range m.keys {
		want[addr] = map[string]any{"project_id": float64(m.projects[k.project]), "key_id": float64(k.ID)}
	}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%q]", in.IndexKey)
			}
			if w, ok := want[addr]; ok && !maps.Equal(in.Identity, w) {
				m.t.Errorf("%s: identity %v, want %v", addr, in.Identity, w)
			}
			delete(want, addr)
		}
	}
	for addr := range want {
		m.t.Errorf("%s is not in state", addr)
	}
}

func (m *migration) wantAttrs(addr string, in stateInstance, want map[string]any) {
	m.t.Helper()
	for name, v := range want {
		if got := in.Attributes[name]; got != v {
			m.t.Errorf("%s: %s = %v, want %v", addr, name, got, v)
		}
	}
}

// checkNoWrites fails if GitLab got anything but reads since the state was written.
func (m *migration) checkNoWrites() {
	m.t.Helper()
	reads := 0
	for _, r := range m.env.Server.Requests() {
		if r.Method != "GET" {
			m.t.Errorf("GitLab got a write: %s %s", r.Method, r.Path)
			continue
		}
		reads++
	}
	if reads == 0 {
		m.t.Error("GitLab got no request at all: the refresh after the switch did not read")
	}
}

func (m *migration) checkPlanEmpty() {
	m.t.Helper()
	m.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
}
