package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

const keyAddr = "gitlab_error_tracking_client_key.this"

func settingsIdentity(projectID int64) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"project_id": knownvalue.Int64Exact(projectID)}
}

// wantLookups fails unless the emulator saw exactly n GET /projects/:id of
// the project, by any of its names.
func wantLookups(env *acctest.Env, projectID int64, path string, n int) resource.TestCheckFunc {
	return stepCheck(func() error {
		got := 0
		for _, name := range []string{emulatorEscape(path), strconv.FormatInt(projectID, 10)} {
			got += requestTally(env.Server.Requests())["GET /api/v4/projects/"+name]
		}
		if got != n {
			return fmt.Errorf("GET /projects/:id of %s sent %d times, want %d; requests:\n%s", path, got, n, formatTally(requestTally(env.Server.Requests())))
		}
		return nil
	})
}

// emulatorEscape is a project path as the request log shows it.
func emulatorEscape(path string) string {
	return strings.ReplaceAll(path, "/", "%2F")
}

// Settings have the identity {project_id}: set on create, kept when
// `project` switches from the path to the ID, and an import block naming
// that identity adopts them with `project` as the full path, planning clean
// against a configuration that writes the path.
func TestAccIdentity_settings(t *testing.T) {
	acctest.SkipBelow(t, acctest.ResourceIdentity)
	env := acctest.New(t)
	const path = "ident/sub/web"
	id := env.AddProject(path)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(settingsConfig(path, true, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(settingsAddr, settingsIdentity(id)),
				},
			},
			{
				ResourceName:    settingsAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					expectPlannedAttr(settingsAddr, "project", knownvalue.StringExact(path)),
				}},
			},
			// The same project by its ID: updated in place, same identity.
			// The check that both spellings name one project looks the
			// project up once in the plan and once in the apply (the answer
			// for the path gives the ID, so the ID costs no request of its
			// own); the identity costs no lookup.
			{
				PreConfig:        env.Server.ResetRequests,
				Config:           env.Config(settingsConfig(strconv.FormatInt(id, 10), true, "")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(settingsAddr, settingsIdentity(id)),
					expectAttr(settingsAddr, "id", knownvalue.StringExact(strconv.FormatInt(id, 10))),
				},
				Check: wantLookups(env, id, path, 2),
			},
		},
	})
}

// A client key has the identity {project_id, key_id}, set on create, read
// and import, and kept when `project` switches between the path and the ID.
func TestAccIdentity_clientKey(t *testing.T) {
	acctest.SkipBelow(t, acctest.ResourceIdentity)
	env := acctest.New(t)
	const path = "ident/sub/api"
	id := env.AddProject(path)
	byID := strconv.FormatInt(id, 10)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(keyConfig("this", path)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValue(keyAddr, tfjsonpath.New("project_id"), knownvalue.Int64Exact(id)),
					statecheck.ExpectIdentityValueMatchesState(keyAddr, tfjsonpath.New("key_id")),
				},
			},
			{
				ResourceName:    keyAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					expectPlannedAttr(keyAddr, "project", knownvalue.StringExact(path)),
				}},
			},
			{
				Config:           env.Config(keyConfig("this", byID)),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(keyAddr, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValue(keyAddr, tfjsonpath.New("project_id"), knownvalue.Int64Exact(id)),
					statecheck.ExpectIdentityValueMatchesState(keyAddr, tfjsonpath.New("key_id")),
				},
			},
			// Back to the path, then a refresh: the identity stays.
			{
				Config: env.Config(keyConfig("this", path)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValue(keyAddr, tfjsonpath.New("project_id"), knownvalue.Int64Exact(id)),
				},
			},
			{
				RefreshState: true,
			},
		},
	})
}

// An import block with an identity adopts objects made outside Terraform by
// their numeric IDs alone, and records `project` as the full path GitLab
// gives for that ID: a configuration that writes the path then plans clean.
func TestAccIdentity_importBlockAdoptsByIDs(t *testing.T) {
	acctest.SkipBelow(t, acctest.ResourceIdentity)
	env := acctest.New(t)
	const path = "ident/adopt/app"
	id := env.AddProject(path)
	env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
	key := env.Server.AddKey(id)
	config := env.Config(settingsConfig(path, true, "integrated = true") + keyConfig("this", path) + fmt.Sprintf(`
import {
  to       = gitlab_error_tracking_settings.this
  identity = { project_id = %[1]d }
}

import {
  to       = gitlab_error_tracking_client_key.this
  identity = { project_id = %[1]d, key_id = %[2]d }
}
`, id, key.ID))

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: preApply(
					plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(keyAddr, plancheck.ResourceActionNoop),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(settingsAddr, "project", knownvalue.StringExact(path)),
					statecheck.ExpectIdentity(settingsAddr, settingsIdentity(id)),
					expectAttr(keyAddr, "project", knownvalue.StringExact(path)),
					expectAttr(keyAddr, "id", knownvalue.StringExact(fmt.Sprintf("%s:%d", path, key.ID))),
					expectAttr(keyAddr, "sentry_dsn", knownvalue.StringExact(key.SentryDSN)),
					statecheck.ExpectIdentity(keyAddr, map[string]knownvalue.Check{
						"project_id": knownvalue.Int64Exact(id),
						"key_id":     knownvalue.Int64Exact(key.ID),
					}),
				},
				Check: wantServerKeys(env, id, 1),
			},
		},
	})
}

// An import identity that names nothing fails with what to give instead.
func TestAccIdentity_importBlockBadIdentity(t *testing.T) {
	acctest.SkipBelow(t, acctest.ResourceIdentity)
	env := acctest.New(t)
	const path = "ident/bad/app"
	id := env.AddProject(path)
	importBlock := func(identity string) string {
		return env.Config(keyConfig("this", path) + fmt.Sprintf(`
import {
  to       = gitlab_error_tracking_client_key.this
  identity = %s
}
`, identity))
	}

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      importBlock(fmt.Sprintf("{ project_id = %d, key_id = 0 }", id)),
				ExpectError: acctest.ErrorLike(`Invalid import identity`, `"key_id"`, `{ project_id = 42, key_id = 7 }`),
			},
			{
				Config:      importBlock("{ project_id = 999999, key_id = 7 }"),
				ExpectError: acctest.ErrorLike(`Project not found`, `read project 999999, which the import identity names`),
			},
			{
				Config:      importBlock(fmt.Sprintf("{ project_id = %d, key_id = 424242 }", id)),
				ExpectError: acctest.ErrorLike(`No such client key`, `Project "ident/bad/app" has no client key 424242`),
			},
		},
	})
}

// State written by an earlier version of the provider, which had no
// identity and kept no project ID, gains its identity on the next refresh
// with no change planned; finding the project's ID costs one request for
// all the resources of the project, once. On CLIs that store no identity
// (before 1.12) the ID is kept in private state, and the run after that
// makes no such request either.
func TestAccIdentity_stateFromEarlierVersions(t *testing.T) {
	env := acctest.New(t)
	const path = "ident/legacy/app"
	id := env.AddProject(path)
	config := env.Config(settingsConfig(path, true, "") + keyConfig("this", path) + keyConfig("other", path))
	identity := acctest.Has(t, acctest.ResourceIdentity)
	var identityChecks []statecheck.StateCheck
	if identity {
		identityChecks = []statecheck.StateCheck{
			statecheck.ExpectIdentity(settingsAddr, settingsIdentity(id)),
			statecheck.ExpectIdentityValue(keyAddr, tfjsonpath.New("project_id"), knownvalue.Int64Exact(id)),
			statecheck.ExpectIdentityValueMatchesState(keyAddr, tfjsonpath.New("key_id")),
		}
	}

	var earlier atomic.Bool
	earlier.Store(true)
	current := func() {
		earlier.Store(false)
		env.Server.ResetRequests()
	}

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: earlierVersionFactories(&earlier),
		Steps: []resource.TestStep{
			{
				Config: config,
			},
			{
				PreConfig:    current,
				RefreshState: true,
				Check:        wantLookups(env, id, path, 1),
			},
			{
				PreConfig:         env.Server.ResetRequests,
				Config:            config,
				ConfigPlanChecks:  preApply(plancheck.ExpectEmptyPlan()),
				ConfigStateChecks: identityChecks,
				Check:             wantLookups(env, id, path, 0),
			},
		},
	})
}

// State from an earlier version whose object was deleted in GitLab since is
// removed on refresh: settings and key of a project that is gone, although
// nothing can tell the project's ID any more; and a key that is gone,
// without looking its project up, since Terraform drops the identity with
// the state.
func TestAccIdentity_stateFromEarlierVersionsGone(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		config     func(path string) string
		// remove deletes the object in GitLab; wantLookups, when not
		// negative, is how often the refresh then looks the project up.
		remove      func(env *acctest.Env, id int64)
		wantLookups int
	}{
		{
			name: "project", path: "ident/legacy/gone",
			config:      func(path string) string { return settingsConfig(path, true, "") + keyConfig("this", path) },
			remove:      func(env *acctest.Env, id int64) { env.Server.DeleteProject(id) },
			wantLookups: -1,
		},
		{
			name: "key", path: "ident/legacy/key-gone",
			config: func(path string) string { return keyConfig("this", path) },
			remove: func(env *acctest.Env, id int64) {
				for _, k := range env.Server.Keys(id) {
					env.Server.RemoveKey(k.ID)
				}
			},
			wantLookups: 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			id := env.AddProject(tc.path)
			var earlier atomic.Bool
			earlier.Store(true)
			checks := []resource.TestCheckFunc{func(s *terraform.State) error {
				if n := len(s.RootModule().Resources); n != 0 {
					return fmt.Errorf("%d resources left in state, want none", n)
				}
				return nil
			}}
			if tc.wantLookups >= 0 {
				checks = append(checks, wantLookups(env, id, tc.path, tc.wantLookups))
			}

			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: earlierVersionFactories(&earlier),
				Steps: []resource.TestStep{
					{
						Config: env.Config(tc.config(tc.path)),
					},
					{
						PreConfig: func() {
							earlier.Store(false)
							tc.remove(env, id)
							env.Server.ResetRequests()
						},
						RefreshState:       true,
						Check:              resource.ComposeAggregateTestCheckFunc(checks...),
						ExpectNonEmptyPlan: true,
					},
				},
			})
		})
	}
}

// earlierVersionFactories serve the provider as versions before resource
// identity were, while earlier is true: no identity schema, no identity in
// any answer, and no project ID in private state.
func earlierVersionFactories(earlier *atomic.Bool) map[string]func() (tfprotov6.ProviderServer, error) {
	current := acctest.ProviderFactories()["gitlab"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"gitlab": func() (tfprotov6.ProviderServer, error) {
			s, err := current()
			if earlier.Load() {
				return withoutIdentity{s}, err
			}
			return s, err
		},
	}
}

type withoutIdentity struct{ tfprotov6.ProviderServer }

func (w withoutIdentity) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

func (w withoutIdentity) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return earlierAnswer(w.ProviderServer.PlanResourceChange(ctx, req))
}

func (w withoutIdentity) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return earlierAnswer(w.ProviderServer.ApplyResourceChange(ctx, req))
}

func (w withoutIdentity) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return earlierAnswer(w.ProviderServer.ReadResource(ctx, req))
}

func (w withoutIdentity) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return earlierAnswer(w.ProviderServer.ImportResourceState(ctx, req))
}

// earlierAnswer is resp as versions before resource identity gave it: no
// identity, and no project ID in private state.
func earlierAnswer[R any](resp *R, err error) (*R, error) {
	if resp == nil {
		return resp, err
	}
	switch r := any(resp).(type) {
	case *tfprotov6.PlanResourceChangeResponse:
		r.PlannedIdentity, r.PlannedPrivate = nil, withoutProjectID(r.PlannedPrivate)
	case *tfprotov6.ApplyResourceChangeResponse:
		r.NewIdentity, r.Private = nil, withoutProjectID(r.Private)
	case *tfprotov6.ReadResourceResponse:
		r.NewIdentity, r.Private = nil, withoutProjectID(r.Private)
	case *tfprotov6.ImportResourceStateResponse:
		for _, ir := range r.ImportedResources {
			ir.Identity, ir.Private = nil, withoutProjectID(ir.Private)
		}
	}
	return resp, err
}

// withoutProjectID removes the project ID from private state, which the
// framework keeps as a JSON object of base64 values.
func withoutProjectID(private []byte) []byte {
	if len(private) == 0 {
		return private
	}
	var m map[string][]byte
	if err := json.Unmarshal(private, &m); err != nil {
		return private
	}
	delete(m, "project_id")
	if len(m) == 0 {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return private
	}
	return b
}

// GitLab moves a managed project from acme/app to other/app: the former
// path keeps reaching it, and the plan is empty. Once a new project takes
// acme/app over, a refresh finds the managed project by its ID, records its
// new path and warns. A configuration that names the new path then changes
// nothing; one that keeps acme/app replaces both resources in the project
// that path names now, in the plan for all to see.
func TestAccIdentity_projectMovedInGitLab(t *testing.T) {
	keyAddr := "gitlab_error_tracking_client_key.this"
	for _, tc := range []struct {
		name, then string
		action     plancheck.ResourceActionType
		// want checks GitLab: the moved project and the one that took its
		// former path over, with the keys the moved project had before and
		// the managed key now.
		want func(env *acctest.Env, moved, taker int64, before []int64, managed int64) error
	}{
		{"configuration names the new path", "other/app", plancheck.ResourceActionNoop,
			func(env *acctest.Env, moved, taker int64, before []int64, managed int64) error {
				if got := keyIDs(env, moved); !slices.Equal(got, before) || !slices.Contains(got, managed) {
					return fmt.Errorf("the moved project holds keys %v, want %v, with the managed key %d", got, before, managed)
				}
				if got := keyIDs(env, taker); len(got) != 0 {
					return fmt.Errorf("the project at the former path holds keys %v, want none", got)
				}
				return errors.Join(wantSettings(env, moved, true, true)(nil), wantNoSettings(env, taker)(nil))
			}},
		{"configuration keeps the former path", "acme/app", plancheck.ResourceActionDestroyBeforeCreate,
			func(env *acctest.Env, moved, taker int64, before []int64, managed int64) error {
				if got := keyIDs(env, moved); len(got) != len(before)-1 || slices.Contains(before, managed) {
					return fmt.Errorf("the moved project holds keys %v, want %v without the managed key, now %d", got, before, managed)
				}
				if got := keyIDs(env, taker); !slices.Contains(got, managed) {
					return fmt.Errorf("the project at the former path holds keys %v, without the managed key %d", got, managed)
				}
				// The moved project had no settings before Terraform: restored, they are disabled.
				return errors.Join(wantSettings(env, moved, false, true)(nil), wantSettings(env, taker, true, true)(nil))
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.New(t)
			id := env.AddProject("acme/app")
			config := func(project string) string {
				return env.Config(settingsConfig(project, true, "integrated = true") + `
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
}
`)
			}
			var w warnings
			var before []int64
			var taker int64
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: w.factories(),
				Steps: []resource.TestStep{
					{Config: config("acme/app"), Check: stepCheck(func() error { before = keyIDs(env, id); return nil })},
					{
						PreConfig: func() {
							if _, err := env.Server.MoveProject(id, env.Server.AddGroup("other")); err != nil {
								t.Fatal(err)
							}
						},
						Config:   config("acme/app"),
						PlanOnly: true,
					},
					{
						PreConfig: func() {
							taker = env.AddProject("acme/app")
							w.reset()
						},
						Config: config(tc.then),
						ConfigPlanChecks: preApply(
							plancheck.ExpectResourceAction(settingsAddr, tc.action),
							plancheck.ExpectResourceAction(keyAddr, tc.action),
							w.expect("Project moved in GitLab", "`project` = \"acme/app\"", fmt.Sprintf("(ID %d)", id),
								`moved that project to "other/app"`, "Set `project = \"other/app\"`"),
						),
						Check: func(s *terraform.State) error {
							managed, err := strconv.ParseInt(s.RootModule().Resources[keyAddr].Primary.Attributes["key_id"], 10, 64)
							if err != nil {
								return err
							}
							return tc.want(env, id, taker, before, managed)
						},
					},
				},
			})
		})
	}
}

// keyIDs are the IDs of the project's keys in GitLab, in order.
func keyIDs(env *acctest.Env, project int64) []int64 {
	var ids []int64
	for _, k := range env.Server.Keys(project) {
		ids = append(ids, k.ID)
	}
	return ids
}

// A key deleted in GitLab while its project, moved, is still reached at
// its former path is gone, as any deleted key: the next apply creates one,
// and nothing says the project moved.
func TestAccIdentity_keyDeletedInMovedProject(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
	config := env.Config(`
resource "gitlab_error_tracking_client_key" "this" {
  project = "acme/app"
}
`)
	var w warnings
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{Config: config, Check: wantServerKeys(env, id, 1)},
			{
				PreConfig: func() {
					if _, err := env.Server.MoveProject(id, env.Server.AddGroup("other")); err != nil {
						t.Fatal(err)
					}
					env.Server.RemoveKey(env.Server.Keys(id)[0].ID)
					w.reset()
				},
				Config:           config,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction("gitlab_error_tracking_client_key.this", plancheck.ResourceActionCreate)),
				Check:            resource.ComposeTestCheckFunc(wantServerKeys(env, id, 1), w.none()),
			},
		},
	})
}

// GitLab moves a managed project, and a project with settings of its own
// takes the former path over: a refresh at that path reads the newcomer's
// settings, but a plan that would write them stops, naming the managed
// project's new path. With `project` set to it, the plan changes the managed
// project in place; the newcomer is never written.
func TestAccIdentity_pathTakenOverByProjectWithSettings(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	var taker int64
	takerUnchanged := stepCheck(func() error { return wantSettings(env, taker, false, true)(nil) })
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(settingsConfig("acme/app", true, "integrated = true")), Check: wantSettings(env, id, true, true)},
			{
				PreConfig: func() {
					if _, err := env.Server.MoveProject(id, env.Server.AddGroup("other")); err != nil {
						t.Fatal(err)
					}
					taker = env.AddProject("acme/app")
					env.Server.SetSettings(taker, emulator.Settings{Active: false, Integrated: true})
				},
				Config: env.Config(settingsConfig("acme/app", true, "integrated = true")),
				// The newcomer gets the next project ID.
				ExpectError: acctest.ErrorLike("Another project took the project's path over", fmt.Sprintf("`project` = \"acme/app\" names project %d", id+1),
					fmt.Sprintf("manages project %d", id), fmt.Sprintf("Set `project` to its new path, \"other/app\", or its ID, %d", id)),
			},
			{
				PreConfig: func() {
					if err := takerUnchanged(nil); err != nil {
						t.Fatalf("after the refused plan: %v", err)
					}
				},
				Config:           env.Config(settingsConfig("other/app", true, "integrated = true")),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				Check:            resource.ComposeTestCheckFunc(wantSettings(env, id, true, true), takerUnchanged),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(wantSettings(env, id, false, true), takerUnchanged),
	})
}

// A managed project deleted in GitLab, and a new one made at its path with
// settings of its own: the new one is the project the configuration names,
// and a plan that changes the settings changes them there, as before.
func TestAccIdentity_projectDeletedAndMadeAgainAtItsPath(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	config := env.Config(settingsConfig("acme/app", true, "integrated = true"))
	var again int64
	wantAgain := stepCheck(func() error { return wantSettings(env, again, true, true)(nil) })
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, Check: wantSettings(env, id, true, true)},
			{
				PreConfig: func() {
					env.Server.DeleteProject(id)
					again = env.AddProject("acme/app")
					env.Server.SetSettings(again, emulator.Settings{Active: false, Integrated: true})
				},
				Config:           config,
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionUpdate)),
				Check:            wantAgain,
			},
		},
	})
}

// Project IDs belong to one GitLab instance. A state moved to another
// instance (base_url changed) whose project path has no settings there is
// not followed by its old ID to whatever project has that ID there: the
// settings are gone from state, and the plan creates them at the path.
func TestAccIdentity_otherInstanceIsNotFollowedByID(t *testing.T) {
	first, second := acctest.New(t), acctest.New(t)
	first.AddProject("acme/app")
	unrelated := second.AddProject("zzz/unrelated")
	second.Server.SetSettings(unrelated, emulator.Settings{Active: true, Integrated: true})
	app := second.AddProject("acme/app")
	body := settingsConfig("acme/app", true, "integrated = true")
	var w warnings
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: w.factories(),
		Steps: []resource.TestStep{
			{Config: first.Config(body)},
			{
				PreConfig: func() {
					if unrelated != 1 {
						t.Fatalf("the unrelated project has ID %d, not the managed project's 1", unrelated)
					}
					w.reset()
				},
				Config:           second.Config(body),
				ConfigPlanChecks: preApply(plancheck.ExpectResourceAction(settingsAddr, plancheck.ResourceActionCreate)),
				Check:            resource.ComposeTestCheckFunc(wantSettings(second, unrelated, true, true), wantSettings(second, app, true, true), w.none()),
			},
		},
		CheckDestroy: wantSettings(second, unrelated, true, true),
	})
}
