package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// The official gitlabhq/gitlab provider's error-tracking resources, which a
// `moved` block can move to ours (docs/guides/migrating-from-gitlabhq-gitlab.md).
// Both are at schema version 0; a later version may change the state's shape,
// so it is not moved.
const (
	officialSettingsType  = "gitlab_project_error_tracking_settings"
	officialClientKeyType = "gitlab_project_error_tracking_client_key"

	// officialOriginalKey is where the official provider keeps, in private
	// state, the settings found before it created the resource (its
	// `<resource type>_original` convention).
	officialOriginalKey = officialSettingsType + "_original"
)

// movingFromOfficial reports whether a move request comes from typeName of the
// official provider. The address is matched without its host: Terraform sends
// registry.terraform.io/gitlabhq/gitlab, OpenTofu registry.opentofu.org/... or,
// as has been seen, just the type name.
//
// This provider's own address is taken too. OpenTofu (1.12 at least) reads
// the source address of an instance's move from the resource's provider in
// the state, which the first moved instance of a for_each resource has
// already switched to this provider; every later instance of that resource
// then comes "from" here, with the official type name and state. This
// provider has no resource of that type name, so such a request can only be
// that.
func movingFromOfficial(req resource.MoveStateRequest, typeName string) bool {
	if req.SourceTypeName != typeName || req.SourceSchemaVersion != 0 {
		return false
	}
	addr := strings.ToLower(req.SourceProviderAddress)
	for _, source := range []string{"gitlabhq/gitlab", Source} {
		if addr == source || strings.HasSuffix(addr, "/"+source) {
			return true
		}
	}
	return addr == "gitlab"
}

// officialMover moves typeName of the official provider: move maps the
// source state to M, adding an error for each attribute it cannot read;
// without an error the result is the target state, and then after
// completes the move. No request is sent to GitLab, so a mover needs no
// configured client.
func officialMover[M any](typeName string, move func(src officialState, diags *diag.Diagnostics) M,
	after func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse, target *M),
) []resource.StateMover {
	return []resource.StateMover{{StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
		if !movingFromOfficial(req, typeName) {
			return
		}
		src, diags := readOfficialState(req)
		if diags.HasError() {
			resp.Diagnostics.Append(diags...)
			return
		}
		target := move(src, &diags)
		if diags.HasError() {
			resp.Diagnostics.Append(diags...)
			return
		}
		resp.Diagnostics.Append(resp.TargetState.Set(ctx, &target)...)
		after(ctx, req, resp, &target)
	}}}
}

// officialState is the state of one official resource being moved, read from
// its JSON without a schema so that every unreadable attribute can be named.
type officialState struct {
	typeName string
	attrs    map[string]json.RawMessage
}

func readOfficialState(req resource.MoveStateRequest) (officialState, diag.Diagnostics) {
	s := officialState{typeName: req.SourceTypeName}
	var diags diag.Diagnostics
	if req.SourceRawState == nil || req.SourceRawState.JSON == nil {
		diags.Append(s.unreadable("no state in JSON form"))
		return s, diags
	}
	if err := json.Unmarshal(req.SourceRawState.JSON, &s.attrs); err != nil || s.attrs == nil {
		diags.Append(s.unreadable("a state that is not a JSON object"))
		return s, diags
	}
	return s, diags
}

func (s officialState) unreadable(problem string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Cannot move "+s.typeName,
		fmt.Sprintf("The %s being moved has %s. Nothing was moved and GitLab was not contacted. "+
			"Refresh it with the gitlabhq/gitlab provider (`terraform apply -refresh-only`, or `tofu apply -refresh-only`) and try again, or switch with "+
			"`import` blocks instead, as the guide \"Migrating from gitlabhq/gitlab\" shows.", s.typeName, problem))
}

// badAttr is the error for an attribute of the wrong type. The value is
// quoted unless the attribute is sensitive.
func (s officialState) badAttr(name, want string) diag.Diagnostic {
	shown := string(s.attrs[name])
	if name == "sentry_dsn" {
		shown = "(sensitive value)"
	}
	return s.unreadable(fmt.Sprintf("`%s` = %s, which is not %s", name, shown, want))
}

// null reports an attribute that is absent or null.
func (s officialState) null(name string) bool {
	raw, ok := s.attrs[name]
	return !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// decodeAttr reads an attribute; nil when it is absent or null, or, with an
// error that says it is not want, when it is not a T.
func decodeAttr[T any](s officialState, name, want string, diags *diag.Diagnostics) *T {
	if s.null(name) {
		return nil
	}
	var v T
	if err := json.Unmarshal(s.attrs[name], &v); err != nil {
		diags.Append(s.badAttr(name, want))
		return nil
	}
	return &v
}

func (s officialState) str(name string, diags *diag.Diagnostics) types.String {
	return types.StringPointerValue(decodeAttr[string](s, name, "a string", diags))
}

func (s officialState) boolean(name string, diags *diag.Diagnostics) types.Bool {
	return types.BoolPointerValue(decodeAttr[bool](s, name, "true or false", diags))
}

func (s officialState) int64(name string, diags *diag.Diagnostics) types.Int64 {
	n := decodeAttr[json.Number](s, name, "a whole number", diags)
	if n == nil {
		return types.Int64Null()
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		diags.Append(s.badAttr(name, "a whole number"))
		return types.Int64Null()
	}
	return types.Int64Value(v)
}

// required adds an error when an attribute the move needs is absent or null.
func (s officialState) required(name string, diags *diag.Diagnostics) {
	if s.null(name) {
		diags.Append(s.unreadable(fmt.Sprintf("no `%s`", name)))
	}
}

// project is the source's `project` as ours takes it. The official provider
// documents it as "the ID or URL-encoded path", so `acme%2Fweb` may be in
// state; moved as is, our validator would reject it, and a lookup would
// escape it twice, miss, and replace a key with a new DSN.
func (s officialState) project(diags *diag.Diagnostics) types.String {
	s.required("project", diags)
	p := s.str("project", diags)
	if p.IsNull() || !strings.Contains(p.ValueString(), "%") {
		return p
	}
	decoded, err := url.PathUnescape(p.ValueString())
	if err != nil || strings.TrimSpace(decoded) == "" {
		diags.Append(s.badAttr("project", "a project ID or a valid URL-encoded project path"))
		return types.StringNull()
	}
	return types.StringValue(decoded)
}

// setMovedIdentity sets the identity of a moved object when its project is
// written as its numeric ID; keyID is 0 for settings. A project written as
// a path is left for the next Read, which looks its ID up: the mover sends
// no request.
func setMovedIdentity(resp *resource.MoveStateResponse, project string, keyID int64) {
	if id, ok := gitlab.NumericID(project); ok {
		setIdentity(resp.TargetIdentity, objectIdentity{projectID: id, keyID: keyID})
	}
}
