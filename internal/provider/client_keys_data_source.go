package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*clientKeysDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*clientKeysDataSource)(nil)
)

func newClientKeysDataSource() datasource.DataSource { return &clientKeysDataSource{} }

type clientKeysDataSource struct {
	dataSourceBase
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
	attrs := dataSourceProjectAttrs(map[string]schema.Attribute{})
	attrs["active"] = schema.BoolAttribute{
		MarkdownDescription: "When set, only keys whose `active` equals this value are listed. When omitted, all keys are listed.",
		Optional:            true,
	}
	attrs["keys"] = schema.ListNestedAttribute{
		MarkdownDescription: "The keys, ordered by `id`.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: clientKeyAttrs.dataSource(map[string]schema.Attribute{
				"id": schema.Int64Attribute{MarkdownDescription: keyIDDescription, Computed: true},
			}),
		},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists a GitLab project's error-tracking client keys (every page), ordered by ID.",
		Attributes:          attrs,
	}
}

func (d *clientKeysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, data, project, ok := begin[clientKeysDataSourceModel](ctx, &d.clientHolder, &resp.Diagnostics, req.Config)
	if !ok {
		return
	}
	keys, err := client.ListClientKeys(ctx, project)
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
