package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// moveOfficialSettings maps the state of the gitlabhq/gitlab provider's
// gitlab_project_error_tracking_settings onto this resource's model.
func moveOfficialSettings(src officialState, diags *diag.Diagnostics) settingsResourceModel {
	project := src.project(diags)
	src.required("active", diags)
	keep := src.boolean("keep_settings_on_destroy", diags)
	return settingsResourceModel{
		projectFields: projectFields{ID: project, Project: project},
		OnDestroy:     types.StringValue(officialOnDestroy(keep)),
		Baseline:      baselineType.null(),
		LastWritten:   writtenType.value(writtenSettings{Active: src.boolean("active", diags).ValueBool(), Integrated: src.boolean("integrated", diags).ValueBoolPointer()}),
		settingsFields: settingsFields{
			Active:     src.boolean("active", diags),
			Integrated: src.boolean("integrated", diags),
			sentryFields: sentryFields{
				ProjectName:       src.str("project_name", diags),
				SentryExternalURL: src.str("sentry_external_url", diags),
				APIURL:            src.str("api_url", diags),
			},
		},
	}
}

// afterSettingsMove sets the identity when the move tells it (see
// setMovedIdentity), and keeps the official provider's record of the settings
// from before it managed them as the ones on_destroy = "restore" puts back.
func afterSettingsMove(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse, target *settingsResourceModel) {
	setMovedIdentity(resp, target.Project.ValueString(), 0)
	prior, found := officialOriginal(ctx, req.SourcePrivate, target.Integrated)
	if found {
		resp.Diagnostics.Append(resp.TargetState.SetAttribute(ctx, path.Root("baseline"), baselineType.value(prior))...)
		return
	}
	// Without a record, Read keeps the values it first finds as the ones to
	// restore (see the settings resource's Read): those of the move.
	if target.OnDestroy.ValueString() == onDestroyRestore {
		resp.Diagnostics.AddWarning("on_destroy = \"restore\" will restore the settings found at the move",
			fmt.Sprintf("%s for project %q had keep_settings_on_destroy = false, which is on_destroy = \"restore\" here. "+
				"Its state holds no readable record of the settings from before the gitlabhq/gitlab provider managed them, "+
				"so destroying gitlab_error_tracking_settings will put back the active and integrated values GitLab reports now, "+
				"at the move. Set `active` and `integrated` to the values to return to and apply before destroying, "+
				"or use on_destroy = \"disable\" or \"keep\".", officialSettingsType, target.Project.ValueString()))
	}
}

// officialOnDestroy maps keep_settings_on_destroy: true (the official
// default, also when unset) leaves the settings alone, false puts back the
// values from before the resource was created.
func officialOnDestroy(keep types.Bool) string {
	if !keep.IsNull() && !keep.ValueBool() {
		return onDestroyRestore
	}
	return onDestroyKeep
}

// officialOriginal reads the settings the official provider found before it
// created the resource. The record is the GitLab settings object as JSON; a
// record without `integrated` leaves the mode as it is now.
func officialOriginal(ctx context.Context, p privateState, integrated types.Bool) (priorSettings, bool) {
	raw, d := p.GetKey(ctx, officialOriginalKey)
	if d.HasError() || raw == nil {
		return priorSettings{}, false
	}
	var original struct {
		Active     *bool `json:"active"`
		Integrated *bool `json:"integrated"`
	}
	if err := json.Unmarshal(raw, &original); err != nil || original.Active == nil {
		return priorSettings{}, false
	}
	prior := priorSettings{Existed: true, Active: *original.Active, Integrated: integrated.ValueBool()}
	if original.Integrated != nil {
		prior.Integrated = *original.Integrated
	}
	return prior, true
}

// MoveState lets a `moved` block switch gitlab_project_error_tracking_settings
// of the gitlabhq/gitlab provider to this resource without a request to
// GitLab: the mover maps what the state holds and leaves lookups to the next
// Read, so it needs no configured client.
func (r *settingsResource) MoveState(context.Context) []resource.StateMover {
	return officialMover(officialSettingsType, moveOfficialSettings, afterSettingsMove)
}
