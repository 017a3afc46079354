package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var (
	_ datasource.DataSource              = (*settingsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*settingsDataSource)(nil)
)

func newSettingsDataSource() datasource.DataSource { return &settingsDataSource{} }

type settingsDataSource struct {
	client gitlab.API
}

type settingsDataSourceModel struct {
	ID      types.String `tfsdk:"id"`
	Project types.String `tfsdk:"project"`
	settingsFields
}

// settingsFields are the attributes GitLab reports for a project's settings,
// shared by the resource and the data source.
type settingsFields struct {
	Active            types.Bool   `tfsdk:"active"`
	Integrated        types.Bool   `tfsdk:"integrated"`
	ProjectName       types.String `tfsdk:"project_name"`
	SentryExternalURL types.String `tfsdk:"sentry_external_url"`
	APIURL            types.String `tfsdk:"api_url"`
}

func (f *settingsFields) fromAPI(s *gitlab.Settings) {
	f.Active = types.BoolValue(s.Active)
	f.Integrated = types.BoolValue(s.Integrated)
	f.ProjectName = types.StringPointerValue(s.ProjectName)
	f.SentryExternalURL = types.StringPointerValue(s.SentryExternalURL)
	f.APIURL = types.StringPointerValue(s.APIURL)
}

func (d *settingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_settings"
}

func (d *settingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a GitLab project's error-tracking settings. Fails if the project has none.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The project, as configured.",
				Computed:            true,
			},
			"project": schema.StringAttribute{
				MarkdownDescription: projectDescription,
				Required:            true,
				Validators:          []validator.String{projectValidator{}},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether error tracking is enabled.",
				Computed:            true,
			},
			"integrated": schema.BoolAttribute{
				MarkdownDescription: "`true` for GitLab's integrated error tracking, `false` for Sentry (also `false` whenever the `integrated_error_tracking` feature flag is off).",
				Computed:            true,
			},
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The Sentry project name (Sentry mode), or null.",
				Computed:            true,
			},
			"sentry_external_url": schema.StringAttribute{
				MarkdownDescription: "The Sentry project's web URL (Sentry mode), or null.",
				Computed:            true,
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "The Sentry API URL (Sentry mode), or null.",
				Computed:            true,
			},
		},
	}
}

func (d *settingsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client, ok := providerClient(req.ProviderData, &resp.Diagnostics); ok {
		d.client = client
	}
}

func (d *settingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.client == nil {
		notConfigured(&resp.Diagnostics)
		return
	}
	var data settingsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := data.Project.ValueString()
	got, err := d.client.GetSettings(ctx, project)
	if err != nil {
		resp.Diagnostics.Append(apiDiag("read the error-tracking settings", project, err))
		return
	}
	data.ID = data.Project
	data.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
