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
	_ datasource.DataSource              = (*clientKeysDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*clientKeysDataSource)(nil)
)

func newClientKeysDataSource() datasource.DataSource { return &clientKeysDataSource{} }

type clientKeysDataSource struct {
	client gitlab.API
}

type clientKeysDataSourceModel struct {
	ID      types.String     `tfsdk:"id"`
	Project types.String     `tfsdk:"project"`
	Active  types.Bool       `tfsdk:"active"`
	Keys    []clientKeyModel `tfsdk:"keys"`
}

type clientKeyModel struct {
	ID types.Int64 `tfsdk:"id"`
	clientKeyFields
}

func (d *clientKeysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_client_keys"
}

func (d *clientKeysDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists a GitLab project's error-tracking client keys (every page), ordered by ID.",
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
				MarkdownDescription: "When set, only keys whose `active` equals this value are listed. When omitted, all keys are listed.",
				Optional:            true,
			},
			"keys": schema.ListNestedAttribute{
				MarkdownDescription: "The keys, ordered by `id`.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.Int64Attribute{
							MarkdownDescription: "GitLab's ID of the key.",
							Computed:            true,
						},
						"active": schema.BoolAttribute{
							MarkdownDescription: "Whether the key accepts errors.",
							Computed:            true,
						},
						"public_key": schema.StringAttribute{
							MarkdownDescription: "The key's public part (`glet_...`).",
							Computed:            true,
						},
						"sentry_dsn": schema.StringAttribute{
							MarkdownDescription: "The DSN to configure in a Sentry SDK.",
							Computed:            true,
							Sensitive:           true,
						},
					},
				},
			},
		},
	}
}

func (d *clientKeysDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client, ok := providerClient(req.ProviderData, &resp.Diagnostics); ok {
		d.client = client
	}
}

func (d *clientKeysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.client == nil {
		notConfigured(&resp.Diagnostics)
		return
	}
	var data clientKeysDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := data.Project.ValueString()
	keys, err := d.client.ListClientKeys(ctx, project)
	if err != nil {
		resp.Diagnostics.Append(apiDiag("list the client keys", project, err))
		return
	}
	data.ID = data.Project
	data.Keys = make([]clientKeyModel, 0, len(keys))
	for i := range keys {
		if !data.Active.IsNull() && keys[i].Active != data.Active.ValueBool() {
			continue
		}
		m := clientKeyModel{ID: types.Int64Value(keys[i].ID)}
		m.fromAPI(&keys[i])
		data.Keys = append(data.Keys, m)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
