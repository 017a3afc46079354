package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*settingsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*settingsDataSource)(nil)
)

func newSettingsDataSource() datasource.DataSource { return &settingsDataSource{} }

type settingsDataSource struct {
	dataSourceBase
}

type settingsDataSourceModel struct {
	ID      types.String `tfsdk:"id"`
	Project types.String `tfsdk:"project"`
	settingsFields
}

func (d *settingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_settings"
}

func (d *settingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceProjectAttrs(settingsSentryAttrs.dataSource(map[string]schema.Attribute{}))
	attrs["active"] = schema.BoolAttribute{MarkdownDescription: settingsActiveDescription, Computed: true}
	attrs["integrated"] = schema.BoolAttribute{MarkdownDescription: settingsIntegratedDescription, Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a GitLab project's error-tracking settings. Fails if the project has none.",
		Attributes:          attrs,
	}
}

func (d *settingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, data, project, ok := begin[settingsDataSourceModel](ctx, &d.clientHolder, &resp.Diagnostics, req.Config)
	if !ok {
		return
	}
	got, err := client.GetSettings(ctx, project)
	if err != nil {
		resp.Diagnostics.Append(apiDiag("read the error-tracking settings", project, err))
		return
	}
	data.ID = data.Project
	data.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
