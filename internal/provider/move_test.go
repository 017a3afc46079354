package provider_test

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/errortracking/terraform-provider-gitlab/internal/provider"
)

const (
	officialTerraform = "registry.terraform.io/gitlabhq/gitlab"
	officialSettings  = "gitlab_project_error_tracking_settings"
	officialKey       = "gitlab_project_error_tracking_client_key"
	ourSettings       = "gitlab_error_tracking_settings"
	ourKey            = "gitlab_error_tracking_client_key"
	testDSN           = "https://glet_0123456789abcdef0123456789abcdef@gitlab.example.com/api/v4/error_tracking/collector/1"
	testPublicKey     = "glet_0123456789abcdef0123456789abcdef"
)

// move sends one MoveResourceState request to a provider that was never
// configured, as Terraform does during a plan with a `moved` block.
type move struct {
	address, sourceType, targetType string
	version                         int64
	state                           map[string]any
	private                         map[string]any // provider private keys, each value stored as JSON
}

type moved struct {
	state    map[string]tftypes.Value // nil when nothing was moved
	identity string                   // the target identity as show prints it; "" when none is set
	private  map[string]json.RawMessage
	diags    []*tfprotov6.Diagnostic
}

func (m move) run(t *testing.T) moved {
	t.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	source, err := json.Marshal(m.state)
	if err != nil {
		t.Fatal(err)
	}
	req := &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: m.address,
		SourceTypeName:        m.sourceType,
		SourceSchemaVersion:   m.version,
		SourceState:           &tfprotov6.RawState{JSON: source},
		TargetTypeName:        m.targetType,
	}
	if m.private != nil {
		// The framework's private state: a JSON object of keys whose values
		// are JSON documents, encoded as base64 strings.
		keys := map[string][]byte{}
		for k, v := range m.private {
			if keys[k], err = json.Marshal(v); err != nil {
				t.Fatal(err)
			}
		}
		if req.SourcePrivate, err = json.Marshal(keys); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := server.MoveResourceState(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	got := moved{diags: resp.Diagnostics, private: map[string]json.RawMessage{}}
	if resp.TargetState != nil {
		v, err := resp.TargetState.Unmarshal(schemas.ResourceSchemas[m.targetType].ValueType())
		if err != nil {
			t.Fatal(err)
		}
		if err := v.As(&got.state); err != nil {
			t.Fatal(err)
		}
	}
	if resp.TargetIdentity != nil && resp.TargetIdentity.IdentityData != nil {
		ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
		if err != nil {
			t.Fatal(err)
		}
		v, err := resp.TargetIdentity.IdentityData.Unmarshal(ids.IdentitySchemas[m.targetType].ValueType())
		if err != nil {
			t.Fatal(err)
		}
		if !v.IsNull() {
			var attrs map[string]tftypes.Value
			if err := v.As(&attrs); err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, name := range []string{"project_id", "key_id"} {
				if a, ok := attrs[name]; ok {
					parts = append(parts, name+" = "+show(a))
				}
			}
			got.identity = strings.Join(parts, ", ")
		}
	}
	if len(resp.TargetPrivate) > 0 {
		var keys map[string][]byte
		if err := json.Unmarshal(resp.TargetPrivate, &keys); err != nil {
			t.Fatalf("target private state %q: %v", resp.TargetPrivate, err)
		}
		for k, v := range keys {
			got.private[k] = v
		}
	}
	return got
}

// want fails unless the moved state holds exactly these attributes; nil
// stands for null.
func (got moved) want(t *testing.T, attrs map[string]any) {
	t.Helper()
	for _, d := range got.diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("move failed: %s: %s", d.Summary, d.Detail)
		}
	}
	if got.state == nil {
		t.Fatal("nothing was moved")
	}
	for name, v := range got.state {
		want, ok := attrs[name]
		if !ok {
			t.Errorf("moved state has %s = %v, which the test does not expect", name, v)
			continue
		}
		if s := show(v); s != show(tftypes.NewValue(v.Type(), want)) {
			t.Errorf("moved state: %s = %s, want %v", name, s, want)
		}
	}
	for name := range attrs {
		if _, ok := got.state[name]; !ok {
			t.Errorf("moved state has no %s", name)
		}
	}
}

func show(v tftypes.Value) string {
	if v.IsNull() {
		return "null"
	}
	if v.Type().Is(tftypes.Number) {
		var f big.Float
		_ = v.As(&f)
		return f.String()
	}
	return v.String()
}

// wantDiag fails unless exactly one diagnostic of the severity was returned,
// holding every part.
func (got moved) wantDiag(t *testing.T, severity tfprotov6.DiagnosticSeverity, parts ...string) {
	t.Helper()
	var found []*tfprotov6.Diagnostic
	for _, d := range got.diags {
		if d.Severity == severity {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one diagnostic of severity %v, got %d: %+v", severity, len(found), got.diags)
	}
	text := found[0].Summary + "\n" + found[0].Detail
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("diagnostic does not say %q:\n%s", p, text)
		}
	}
}

func officialSettingsState(project string, keep any) map[string]any {
	return map[string]any{
		"id": "17", "project": project, "active": true, "integrated": false,
		"keep_settings_on_destroy": keep,
		"api_url":                  "https://sentry.example.com/api/0/projects/acme/web/",
		"project_name":             "web", "sentry_external_url": "https://sentry.example.com/acme/web/",
	}
}

// ourSettingsState is what a move of officialSettingsState makes: the
// official provider wrote active = true and integrated = false, which is what
// last_written records, and no baseline unless the official record of the
// settings from before it says one.
func ourSettingsState(project, onDestroy string) map[string]any {
	return map[string]any{
		"id": project, "project": project, "active": true, "integrated": false, "on_destroy": onDestroy,
		"api_url":      "https://sentry.example.com/api/0/projects/acme/web/",
		"project_name": "web", "sentry_external_url": "https://sentry.example.com/acme/web/",
		"last_written": boolObject(map[string]bool{"active": true, "integrated": false}),
		"baseline":     nil,
	}
}

// withBaseline is state with the given baseline, which on_destroy = "restore"
// puts back.
func withBaseline(state map[string]any, existed, active, integrated bool) map[string]any {
	state["baseline"] = boolObject(map[string]bool{"existed": existed, "active": active, "integrated": integrated})
	return state
}

func boolObject(attrs map[string]bool) map[string]tftypes.Value {
	values := map[string]tftypes.Value{}
	for name, b := range attrs {
		values[name] = tftypes.NewValue(tftypes.Bool, b)
	}
	return values
}

func TestMoveSettings_keepSettingsOnDestroyMapsToOnDestroy(t *testing.T) {
	for _, tc := range []struct {
		name      string
		keep      any
		onDestroy string
	}{
		{"unset, the official default", nil, "keep"},
		{"true", true, "keep"},
		{"false", false, "restore"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := move{
				address: officialTerraform, sourceType: officialSettings, targetType: ourSettings,
				state: officialSettingsState("acme/web", tc.keep),
				private: map[string]any{
					"gitlab_project_error_tracking_settings_original": map[string]any{"active": false, "integrated": true},
				},
			}.run(t)
			// The official record of the settings before the official
			// provider created them is what "restore" puts back.
			got.want(t, withBaseline(ourSettingsState("acme/web", tc.onDestroy), true, false, true))
			if len(got.diags) != 0 {
				t.Errorf("want no diagnostics, got %+v", got.diags)
			}
		})
	}
}

func TestMoveSettings_restoreWithoutOriginalWarnsAndRecordsNothing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		private map[string]any
	}{
		{"no private state", nil},
		{"another key only", map[string]any{"other": map[string]any{"active": true}}},
		{"unreadable record", map[string]any{"gitlab_project_error_tracking_settings_original": "enabled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := move{
				address: officialTerraform, sourceType: officialSettings, targetType: ourSettings,
				state: officialSettingsState("acme/web", false), private: tc.private,
			}.run(t)
			got.want(t, ourSettingsState("acme/web", "restore"))
			got.wantDiag(t, tfprotov6.DiagnosticSeverityWarning, `"restore"`, `"acme/web"`, "keep_settings_on_destroy = false", "at the move")
			// Read then records what GitLab has at the move: the move
			// invents no baseline (ourSettingsState's is null), nor a record
			// in private state.
			if _, ok := got.private["restore"]; ok {
				t.Errorf("a restore record was invented: %s", got.private["restore"])
			}
		})
	}
}

func TestMoveSettings_keepWithoutOriginalIsSilent(t *testing.T) {
	got := move{
		address: officialTerraform, sourceType: officialSettings, targetType: ourSettings,
		state: officialSettingsState("acme/web", true),
	}.run(t)
	got.want(t, ourSettingsState("acme/web", "keep"))
	if len(got.diags) != 0 {
		t.Errorf("want no diagnostics, got %+v", got.diags)
	}
}

func TestMove_urlEncodedProjectIsDecoded(t *testing.T) {
	for _, tc := range []struct{ stored, want string }{
		{"acme%2Fweb", "acme/web"},
		{"acme%2fsub%2Fweb", "acme/sub/web"},
		{"42", "42"},
		{"acme/web", "acme/web"},
	} {
		t.Run(tc.stored, func(t *testing.T) {
			move{
				address: officialTerraform, sourceType: officialSettings, targetType: ourSettings,
				state: officialSettingsState(tc.stored, true),
			}.run(t).want(t, ourSettingsState(tc.want, "keep"))

			move{
				address: officialTerraform, sourceType: officialKey, targetType: ourKey,
				state: map[string]any{
					"id": tc.stored + ":101", "project": tc.stored, "active": true, "key_id": 101,
					"public_key": testPublicKey, "sentry_dsn": testDSN,
				},
			}.run(t).want(t, map[string]any{
				"id": tc.want + ":101", "project": tc.want, "active": true, "key_id": 101,
				"public_key": testPublicKey, "sentry_dsn": testDSN,
				"store_dsn": true, "rotation_triggers": nil,
			})
		})
	}
}

func TestMoveClientKey_keepsKeyAndDSN(t *testing.T) {
	got := move{
		address: officialTerraform, sourceType: officialKey, targetType: ourKey,
		state: map[string]any{
			"id": "acme/web:7", "project": "acme/web", "active": false, "key_id": 7,
			"public_key": testPublicKey, "sentry_dsn": testDSN,
		},
	}.run(t)
	got.want(t, map[string]any{
		"id": "acme/web:7", "project": "acme/web", "active": false, "key_id": 7,
		"public_key": testPublicKey, "sentry_dsn": testDSN,
		"store_dsn": true, "rotation_triggers": nil,
	})
	if len(got.diags) != 0 || len(got.private) != 0 {
		t.Errorf("want no diagnostics and no private state, got %+v and %v", got.diags, got.private)
	}
}

func TestMove_anyHostOfTheOfficialProvider(t *testing.T) {
	for _, addr := range []string{
		"registry.terraform.io/gitlabhq/gitlab",
		"registry.opentofu.org/gitlabhq/gitlab",
		"terraform.example.com/gitlabhq/gitlab",
		"gitlabhq/gitlab",
		"gitlab",
	} {
		t.Run(addr, func(t *testing.T) {
			move{
				address: addr, sourceType: officialSettings, targetType: ourSettings,
				state: officialSettingsState("acme/web", nil),
			}.run(t).want(t, ourSettingsState("acme/web", "keep"))
		})
	}
}

// OpenTofu sends the later instances of a for_each resource as coming from
// this provider once the first instance has moved (the resource's provider
// in state has changed); their type and state are still the official ones.
func TestMove_laterInstancesOfAForEachSentFromThisProvider(t *testing.T) {
	for _, addr := range []string{
		"registry.opentofu.org/errortracking/gitlab",
		"registry.terraform.io/errortracking/gitlab",
		"errortracking/gitlab",
	} {
		t.Run(addr, func(t *testing.T) {
			got := move{
				address: addr, sourceType: officialSettings, targetType: ourSettings,
				state: officialSettingsState("acme/jobs", false),
				private: map[string]any{
					"gitlab_project_error_tracking_settings_original": map[string]any{"active": false, "integrated": false},
				},
			}.run(t)
			got.want(t, withBaseline(ourSettingsState("acme/jobs", "restore"), true, false, false))

			move{
				address: addr, sourceType: officialKey, targetType: ourKey,
				state: map[string]any{
					"id": "acme/jobs:103", "project": "acme/jobs", "active": true, "key_id": 103,
					"public_key": testPublicKey, "sentry_dsn": testDSN,
				},
			}.run(t).want(t, map[string]any{
				"id": "acme/jobs:103", "project": "acme/jobs", "active": true, "key_id": 103,
				"public_key": testPublicKey, "sentry_dsn": testDSN,
				"store_dsn": true, "rotation_triggers": nil,
			})
		})
	}
}

func TestMove_otherSourcesAreNotMoved(t *testing.T) {
	for _, tc := range []struct {
		name string
		move move
	}{
		{"another provider", move{address: "registry.terraform.io/example/gitlab", sourceType: officialSettings, targetType: ourSettings}},
		{"a fork's namespace", move{address: "registry.terraform.io/notgitlabhq/gitlab", sourceType: officialKey, targetType: ourKey}},
		{"a namespace ending like this provider's", move{address: "registry.terraform.io/noterrortracking/gitlab", sourceType: officialKey, targetType: ourKey}},
		{"this provider's own type", move{address: "registry.opentofu.org/errortracking/gitlab", sourceType: ourSettings, targetType: ourSettings}},
		{"another official resource", move{address: officialTerraform, sourceType: "gitlab_project", targetType: ourSettings}},
		{"the key type to settings", move{address: officialTerraform, sourceType: officialKey, targetType: ourSettings}},
		{"the settings type to a key", move{address: officialTerraform, sourceType: officialSettings, targetType: ourKey}},
		{"a later schema version", move{address: officialTerraform, sourceType: officialSettings, targetType: ourSettings, version: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.move.state = officialSettingsState("acme/web", nil)
			got := tc.move.run(t)
			if got.state != nil {
				t.Fatalf("moved: %v", got.state)
			}
			// The framework's own error when no mover took the request.
			got.wantDiag(t, tfprotov6.DiagnosticSeverityError, "Unable to Move Resource State", tc.move.sourceType)
		})
	}
}

func TestMove_unreadableSourceNamesTheAttribute(t *testing.T) {
	key := func(change map[string]any) map[string]any {
		st := map[string]any{
			"id": "acme/web:7", "project": "acme/web", "active": true, "key_id": 7,
			"public_key": testPublicKey, "sentry_dsn": testDSN,
		}
		for k, v := range change {
			if v == nil {
				delete(st, k)
			} else {
				st[k] = v
			}
		}
		return st
	}
	settings := func(attr string, v any) map[string]any {
		st := officialSettingsState("acme/web", nil)
		st[attr] = v
		return st
	}
	for _, tc := range []struct {
		name  string
		move  move
		parts []string
	}{
		{"settings active is a string", move{sourceType: officialSettings, targetType: ourSettings, state: settings("active", "yes")},
			[]string{"`active` = \"yes\"", "not true or false"}},
		{"settings active missing", move{sourceType: officialSettings, targetType: ourSettings, state: settings("active", nil)},
			[]string{"no `active`"}},
		{"settings keep is a number", move{sourceType: officialSettings, targetType: ourSettings, state: settings("keep_settings_on_destroy", 1)},
			[]string{"`keep_settings_on_destroy` = 1"}},
		{"settings project missing", move{sourceType: officialSettings, targetType: ourSettings, state: settings("project", nil)},
			[]string{"no `project`"}},
		{"settings project badly encoded", move{sourceType: officialSettings, targetType: ourSettings, state: settings("project", "acme%zzweb")},
			[]string{"`project` = \"acme%zzweb\"", "URL-encoded"}},
		{"key_id a string", move{sourceType: officialKey, targetType: ourKey, state: key(map[string]any{"key_id": "seven"})},
			[]string{"`key_id` = \"seven\"", "whole number"}},
		{"key_id a fraction", move{sourceType: officialKey, targetType: ourKey, state: key(map[string]any{"key_id": 7.5})},
			[]string{"`key_id` = 7.5", "whole number"}},
		{"key_id zero", move{sourceType: officialKey, targetType: ourKey, state: key(map[string]any{"key_id": 0})},
			[]string{"`key_id` = 0", "positive"}},
		{"key_id missing", move{sourceType: officialKey, targetType: ourKey, state: key(map[string]any{"key_id": nil})},
			[]string{"no `key_id`"}},
		{"key project a number", move{sourceType: officialKey, targetType: ourKey, state: key(map[string]any{"project": 42})},
			[]string{"`project` = 42", "not a string"}},
		{"sentry_dsn not a string", move{sourceType: officialKey, targetType: ourKey, state: key(map[string]any{"sentry_dsn": []int{1}})},
			[]string{"`sentry_dsn` = (sensitive value)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.move.address = officialTerraform
			got := tc.move.run(t)
			if got.state != nil {
				t.Fatalf("moved despite the error: %v", got.state)
			}
			got.wantDiag(t, tfprotov6.DiagnosticSeverityError, append([]string{"Cannot move " + tc.move.sourceType, "Nothing was moved"}, tc.parts...)...)
		})
	}
}

func TestMove_sourceStateNotAnObject(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.MoveResourceState(ctx, &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: officialTerraform, SourceTypeName: officialKey, TargetTypeName: ourKey,
		SourceState: &tfprotov6.RawState{JSON: []byte(`["acme/web", 7]`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	moved{diags: resp.Diagnostics}.wantDiag(t, tfprotov6.DiagnosticSeverityError, "Cannot move "+officialKey, "not a JSON object")
}

// A project written as its numeric ID gives the moved object its identity
// at once; a path is left for the next Read, since the move sends no
// request.
func TestMove_identityFromANumericProject(t *testing.T) {
	key := func(project string) map[string]any {
		return map[string]any{"id": project + ":7", "project": project, "active": true, "key_id": 7,
			"public_key": testPublicKey, "sentry_dsn": testDSN}
	}
	for _, tc := range []struct {
		name, sourceType, targetType string
		state                        map[string]any
		want                         string
	}{
		{"settings by ID", officialSettings, ourSettings, officialSettingsState("17", nil), "project_id = 17"},
		{"settings by path", officialSettings, ourSettings, officialSettingsState("acme/web", nil), ""},
		{"key by ID", officialKey, ourKey, key("17"), "project_id = 17, key_id = 7"},
		{"key by path", officialKey, ourKey, key("acme/web"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := move{address: officialTerraform, sourceType: tc.sourceType, targetType: tc.targetType, state: tc.state}.run(t)
			if got.state == nil {
				t.Fatalf("nothing was moved: %v", got.diags)
			}
			if got.identity != tc.want {
				t.Errorf("identity after the move %q, want %q", got.identity, tc.want)
			}
		})
	}
}
