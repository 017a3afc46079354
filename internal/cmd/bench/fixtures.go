package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

const benchToken = "glpat-bench-maintainer-token"

// fixture is a terraform working directory whose state is ready for plans,
// with the emulator it talks to (none for the floors).
type fixture struct {
	name       string
	dir        string
	env        []string // GITLAB_BASE_URL and GITLAB_TOKEN for the provider
	resources  int
	em         *emulator.Server
	srv        *httptest.Server
	projects   []int64
	warnedDiff bool
	posts      emulator.InFlight // POST .../client_keys being served
}

func (f *fixture) close() {
	if f.srv != nil {
		f.srv.Close()
		f.srv = nil
	}
}

// newEmulator starts an emulator with one user, a Maintainer of every
// project added through addProject.
func (b *bench) newEmulator(name string) (*fixture, int64) {
	em := emulator.New(emulator.Options{DefaultIntegratedFlag: true})
	uid := em.AddUser("bench", false)
	em.AddToken(uid, benchToken)
	f := &fixture{name: name, em: em}
	f.srv = httptest.NewServer(f.posts.Count(func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/error_tracking/client_keys")
	}, em))
	f.env = []string{"GITLAB_BASE_URL=" + f.srv.URL, "GITLAB_TOKEN=" + benchToken}
	b.servers = append(b.servers, f)
	return f, uid
}

// addProject creates a project whose error tracking is on (integrated), as
// if switched on in GitLab's UI, without the key GitLab would create then.
func (f *fixture) addProject(path string, uid int64) int64 {
	pid := f.em.AddProject(path)
	f.em.SetRole(pid, uid, emulator.RoleMaintainer)
	f.em.SetSettings(pid, emulator.Settings{Active: true, Integrated: true})
	f.projects = append(f.projects, pid)
	return pid
}

func (b *bench) mkdir(name string) (string, error) {
	dir := filepath.Join(b.work, name)
	return dir, os.MkdirAll(dir, 0o755)
}

func writeFile(dir, name, content string) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
}

func projectPath(i int) string { return fmt.Sprintf("bench/p%03d", i+1) }

// gitlabConfig declares, for P projects with K keys each, one
// gitlab_error_tracking_settings per project and P × K
// gitlab_error_tracking_client_key, keys numbered project by project.
func gitlabConfig(l layout) string {
	var s strings.Builder
	s.WriteString(terraformBlock("gitlab") + `
locals {
  projects = [
`)
	for i := range l.projects {
		fmt.Fprintf(&s, "    %q,\n", projectPath(i))
	}
	fmt.Fprintf(&s, `  ]
}

resource "gitlab_error_tracking_settings" "p" {
  count      = %d
  project    = local.projects[count.index]
  active     = true
  integrated = true
}

resource "gitlab_error_tracking_client_key" "k" {
  count   = %d
  project = local.projects[floor(count.index / %d)]
}
`, l.projects, l.projects*l.keys, l.keys)
	return s.String()
}

// dataSourceConfig adds one gitlab_error_tracking_client_keys per project.
func dataSourceConfig(l layout) string {
	return fmt.Sprintf(`data "gitlab_error_tracking_client_keys" "p" {
  count   = %d
  project = local.projects[count.index]
}
`, l.projects)
}

// gitlabFixture is an emulator with P projects of K keys, and a state that
// holds every key and every project's settings. The keys are created in the
// emulator and brought into state by a first apply with import blocks,
// which is much faster than creating them through Terraform.
func (b *bench) gitlabFixture(ctx context.Context, l layout) (*fixture, error) {
	if f, ok := b.gitlab[l]; ok {
		return f, nil
	}
	name := fmt.Sprintf("gitlab-%dx%d", l.projects, l.keys)
	f, uid := b.newEmulator(name)
	f.resources = l.projects * (1 + l.keys)
	var imports strings.Builder
	for i := range l.projects {
		path := projectPath(i)
		pid := f.addProject(path, uid)
		fmt.Fprintf(&imports, "import {\n  to = gitlab_error_tracking_settings.p[%d]\n  id = %q\n}\n", i, path)
		for k := range l.keys {
			key := f.em.AddKey(pid)
			fmt.Fprintf(&imports, "import {\n  to = gitlab_error_tracking_client_key.k[%d]\n  id = \"%s:%d\"\n}\n", i*l.keys+k, path, key.ID)
		}
	}
	var err error
	if f.dir, err = b.mkdir(name); err != nil {
		return nil, err
	}
	if err := writeFile(f.dir, "main.tf", gitlabConfig(l)); err != nil {
		return nil, err
	}
	if err := writeFile(f.dir, "imports.tf", imports.String()); err != nil {
		return nil, err
	}
	b.logf("%s: importing %d resources (%s)", name, f.resources, l)
	res, err := b.apply(ctx, f.dir, f.env)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(f.dir, "imports.tf")); err != nil {
		return nil, err
	}
	b.logf("%s: imported in %s", name, res.Wall.Round(100*time.Millisecond))
	if b.gitlab == nil {
		b.gitlab = map[layout]*fixture{}
	}
	b.gitlab[l] = f
	return f, nil
}

// floorFixture is a state of n resources of the plugin floor provider,
// created by an apply.
func (b *bench) floorFixture(ctx context.Context, n int) (*fixture, error) {
	return b.localFixture(ctx, fmt.Sprintf("floor-%d", n), n, keysConfig("floor", n))
}

// terraformBlock takes the provider name ("gitlab", "floor") from
// errortracking/<name>.
func terraformBlock(name string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    %s = {
      source = "errortracking/%[1]s"
    }
  }
}
`, name)
}

// keysConfig declares n client keys of the provider name in one project:
// gitlab_error_tracking_client_key, or the plugin floor's (name "floor").
func keysConfig(name string, n int) string {
	return terraformBlock(name) + fmt.Sprintf(`
resource "%s_error_tracking_client_key" "k" {
  count   = %d
  project = %q
}
`, name, n, projectPath(0))
}

// terraformDataFixture is a state of n terraform_data resources: Terraform
// with no plugin at all.
func (b *bench) terraformDataFixture(ctx context.Context, n int) (*fixture, error) {
	return b.localFixture(ctx, fmt.Sprintf("terraform-data-%d", n), n, fmt.Sprintf(`resource "terraform_data" "k" {
  count = %d
  input = %q
}
`, n, projectPath(0)))
}

func (b *bench) localFixture(ctx context.Context, name string, n int, config string) (*fixture, error) {
	f := &fixture{name: name, resources: n}
	var err error
	if f.dir, err = b.mkdir(name); err != nil {
		return nil, err
	}
	if err := writeFile(f.dir, "main.tf", config); err != nil {
		return nil, err
	}
	b.logf("%s: creating %d resources", name, n)
	res, err := b.apply(ctx, f.dir, nil)
	if err != nil {
		return nil, err
	}
	b.logf("%s: created in %s", name, res.Wall.Round(100*time.Millisecond))
	return f, nil
}
