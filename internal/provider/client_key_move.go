package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// moveOfficialClientKey maps the state of the gitlabhq/gitlab provider's
// gitlab_project_error_tracking_client_key onto this resource's model.
func moveOfficialClientKey(src officialState, diags *diag.Diagnostics) clientKeyResourceModel {
	project := src.project(diags)
	src.required("key_id", diags)
	keyID := src.int64("key_id", diags)
	if !keyID.IsNull() && keyID.ValueInt64() <= 0 {
		diags.Append(src.badAttr("key_id", "a positive whole number"))
	}
	return clientKeyResourceModel{
		// The official id is "<project>:<key_id>" with the project as
		// written there, possibly URL-encoded; ours is built from the
		// decoded project.
		projectFields: projectFields{ID: types.StringValue(clientKeyID(project.ValueString(), keyID.ValueInt64())), Project: project},
		KeyID:         keyID,
		clientKeyFields: clientKeyFields{
			Active:    src.boolean("active", diags),
			PublicKey: src.str("public_key", diags),
			SentryDSN: src.str("sentry_dsn", diags),
		},
		// The official state holds the DSN: a configuration with
		// store_dsn = false plans dropping it, with no request.
		StoreDSN:         types.BoolValue(true),
		RotationTriggers: types.MapNull(types.StringType),
	}
}

// MoveState lets a `moved` block switch gitlab_project_error_tracking_client_key
// of the gitlabhq/gitlab provider to this resource. The key keeps its
// key_id, public_key and sentry_dsn: it is the same key on GitLab, so every
// deployed DSN keeps working. No request is sent; the next Read checks the key.
func (r *clientKeyResource) MoveState(context.Context) []resource.StateMover {
	return officialMover(officialClientKeyType, moveOfficialClientKey,
		func(_ context.Context, _ resource.MoveStateRequest, resp *resource.MoveStateResponse, target *clientKeyResourceModel) {
			setMovedIdentity(resp, target.Project.ValueString(), target.KeyID.ValueInt64())
		})
}
