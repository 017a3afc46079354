package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// settingsTypeName follows the provider's type name in the names of the
// settings resource, data source and list resource.
const settingsTypeName = "_error_tracking_settings"

type settingsResourceModel struct {
	projectFields
	OnDestroy types.String `tfsdk:"on_destroy"`
	// Baseline is what on_destroy = "restore" puts back (settings_baseline.go).
	Baseline types.Object `tfsdk:"baseline"`
	// LastWritten is what this resource last wrote (settings_baseline.go).
	LastWritten types.Object `tfsdk:"last_written"`
	settingsFields
}

type settingsDataSourceModel struct {
	projectFields
	settingsFields
}

// settingsFields are the attributes GitLab reports for a project's
// error-tracking settings, shared by the resource and the data source.
type settingsFields struct {
	Active     types.Bool `tfsdk:"active"`
	Integrated types.Bool `tfsdk:"integrated"`
	sentryFields
}

// sentryFields are the Sentry fields, which only the project's UI can set
// (settingsSentryAttrs).
type sentryFields struct {
	ProjectName       types.String `tfsdk:"project_name"`
	SentryExternalURL types.String `tfsdk:"sentry_external_url"`
	APIURL            types.String `tfsdk:"api_url"`
}

// fromAPI writes what GitLab reported, with explicit nulls for the Sentry
// fields GitLab answers null.
func (f *settingsFields) fromAPI(s *gitlab.Settings) {
	f.Active = types.BoolValue(s.Active)
	f.Integrated = types.BoolValue(s.Integrated)
	f.ProjectName = types.StringPointerValue(s.ProjectName)
	f.SentryExternalURL = types.StringPointerValue(s.SentryExternalURL)
	f.APIURL = types.StringPointerValue(s.APIURL)
}

// Descriptions of the settings attributes that the resource configures and
// the data source reports.
const (
	settingsActiveDescription     = "Whether error tracking is enabled for the project."
	settingsIntegratedDescription = "`true` for GitLab's integrated error tracking, `false` for a Sentry instance " +
		"(whose API URL and token are set in the project's UI). GitLab reports `false` whenever the " +
		"`integrated_error_tracking` feature flag is off."
)

// settingsSentryAttrs are the Sentry fields, which only the project's UI can
// set: read-only in the resource and the data source.
var settingsSentryAttrs = reportedAttrs{
	"project_name":        {kind: stringAttr, description: "The Sentry project name (Sentry mode), or null."},
	"sentry_external_url": {kind: stringAttr, description: "The Sentry project's web URL (Sentry mode), or null."},
	"api_url":             {kind: stringAttr, description: "The Sentry API URL (Sentry mode), or null. It can only be set in the project's UI."},
}

// settingsChange reports a plan that writes to GitLab.
func settingsChange(state, plan settingsResourceModel) bool {
	return !plan.Active.Equal(state.Active) || (!plan.Integrated.IsUnknown() && !plan.Integrated.Equal(state.Integrated))
}

const (
	onDestroyDisable = "disable"
	onDestroyKeep    = "keep"
	onDestroyRestore = "restore"

	// onDestroyDefault leaves GitLab as Terraform found it: created
	// settings are disabled, imported ones put back.
	onDestroyDefault = onDestroyRestore
)

var onDestroyModes = []string{onDestroyDisable, onDestroyKeep, onDestroyRestore}

// settingsGone reports a read that found no settings, or no project.
func settingsGone(err error) bool {
	k := gitlab.KindOf(err)
	return k == gitlab.KindSettingsNotFound || k == gitlab.KindProjectNotFound
}
