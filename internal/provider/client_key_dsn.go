package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Where the client key's DSN goes: store_dsn keeps it (and the public key,
// its secret part) out of state, and rotation_triggers replaces the key, so
// the DSN, when the user says so.

// clientKeyDSNAttrs are the client key resource's store_dsn and
// rotation_triggers.
func clientKeyDSNAttrs(into map[string]schema.Attribute) map[string]schema.Attribute {
	into["store_dsn"] = schema.BoolAttribute{
		MarkdownDescription: "Whether state keeps `sentry_dsn` and `public_key` (the secret part of the DSN). " +
			"With `false` both are null in state, and the DSN reaches applications through the ephemeral resource " +
			"`gitlab_error_tracking_client_key`; drift (a key deleted or deactivated in GitLab) is still found by `key_id`. " +
			"Changing it to `false` sends no request; changing it back to `true` reads the key once at apply. " +
			"An import, and a move from gitlabhq/gitlab, record `true`, so with `false` in the configuration they plan an in-place change " +
			"that sends no request. Defaults to `true`.",
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(true),
	}
	into["rotation_triggers"] = schema.MapAttribute{
		MarkdownDescription: "Arbitrary strings whose change replaces the key: a new key, and a new DSN, for example every 90 days " +
			"with a `time_rotating` resource's `id`, or whenever a variable changes. Any change replaces the key, setting it on an existing key " +
			"included. With `lifecycle { create_before_destroy = true }` the new key exists before the old one is deleted, " +
			"so applications can switch over to the new DSN before the old one stops working.",
		ElementType:   types.StringType,
		Optional:      true,
		PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
	}
	return into
}

// planDSN plans the DSN and the public key for store_dsn: null for false,
// over the state values that UseStateForUnknown planned; for true, unknown
// where state has none (UseStateForUnknown plans a null state value as null),
// since the apply reads them.
func planDSN(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var store types.Bool
	var planned clientKeyFields
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("store_dsn"), &store)...)
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("public_key"), &planned.PublicKey)...)
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("sentry_dsn"), &planned.SentryDSN)...)
	var value types.String
	switch {
	case store.IsUnknown():
		return
	case !store.IsNull() && !store.ValueBool():
		value = types.StringNull()
	case planned.PublicKey.IsNull() || planned.SentryDSN.IsNull():
		value = types.StringUnknown()
	default:
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("public_key"), value)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("sentry_dsn"), value)...)
}

// planUnsetStoreDSN keeps store_dsn null in a plan without refresh of a
// state written before store_dsn existed, when the configuration leaves it
// unset: that state kept the DSN, as the default does, so there is nothing
// to change; the next refresh records true.
func planUnsetStoreDSN(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, state *clientKeyResourceModel) {
	if !state.StoreDSN.IsNull() {
		return
	}
	var configured types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("store_dsn"), &configured)...)
	if configured.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("store_dsn"), types.BoolNull())...)
	}
}

// applyStoreDSN brings the DSN and the public key in state in line with the
// planned store_dsn: dropped for false, with no request; for true, kept when
// state has them, else read from the project's key list (once per run, shared
// by all its keys), since a state without them has nothing to copy.
func applyStoreDSN(ctx context.Context, client gitlab.API, state *clientKeyResourceModel, diags *diag.Diagnostics) bool {
	if !state.storesDSN() {
		state.dropDSN()
		return true
	}
	if !state.SentryDSN.IsNull() && !state.PublicKey.IsNull() {
		return true
	}
	project, keyID := state.Project.ValueString(), state.KeyID.ValueInt64()
	key, err := client.ClientKey(ctx, project, keyID)
	if err != nil {
		diags.Append(apiDiag("list the client keys", project, err))
		return false
	}
	if key == nil {
		diags.AddAttributeError(path.Root("store_dsn"), "Client key not found",
			fmt.Sprintf("Client key %d of project %q is no longer in GitLab, so its DSN cannot be stored. "+
				"Run `terraform apply` again: the plan then creates a new key.", keyID, project))
		return false
	}
	state.fromAPI(key)
	return true
}
