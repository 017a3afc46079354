package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// newSettingsDataSource reads a project's error-tracking settings.
func newSettingsDataSource() datasource.DataSource {
	return newProjectDataSource(settingsTypeName,
		"Reads a GitLab project's error-tracking settings. Fails if the project has none.",
		func() map[string]schema.Attribute {
			attrs := settingsSentryAttrs.dataSource(map[string]schema.Attribute{})
			attrs["active"] = schema.BoolAttribute{MarkdownDescription: settingsActiveDescription, Computed: true}
			attrs["integrated"] = schema.BoolAttribute{MarkdownDescription: settingsIntegratedDescription, Computed: true}
			return attrs
		},
		"read the error-tracking settings",
		func(ctx context.Context, client gitlab.API, project string, m *settingsDataSourceModel) error {
			got, err := client.GetSettings(ctx, project)
			if err == nil {
				m.fromAPI(got)
			}
			return err
		})
}
