package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// projectDataSource is a data source that reads one thing of one project,
// which is what both data sources do: the configuration, the client, one
// call, its diagnostic and the state are written here once;
// settings_data_source.go and client_keys_data_source.go say what each
// reads and which attributes it has.
type projectDataSource[M any, P interface {
	*M
	dataSourceModel
}] struct {
	clientHolder
	typeName    string // after the provider's type name
	description string
	// attrs are the attributes besides `id` and `project`.
	attrs func() map[string]schema.Attribute
	// attempt says what read does, for the diagnostic of its failure.
	attempt string
	// read asks GitLab and fills m, whose configured attributes are set.
	read func(ctx context.Context, client gitlab.API, project string, m P) error
}

var (
	_ datasource.DataSource              = (*projectDataSource[settingsDataSourceModel, *settingsDataSourceModel])(nil)
	_ datasource.DataSourceWithConfigure = (*projectDataSource[settingsDataSourceModel, *settingsDataSourceModel])(nil)
)

func newProjectDataSource[M any, P interface {
	*M
	dataSourceModel
}](typeName, description string, attrs func() map[string]schema.Attribute, attempt string,
	read func(context.Context, gitlab.API, string, P) error,
) datasource.DataSource {
	return &projectDataSource[M, P]{
		typeName: typeName, description: description, attrs: attrs, attempt: attempt, read: read,
	}
}

// dataSourceModel is a data source's model, whose id is its project
// (projectFields.identify).
type dataSourceModel interface {
	projectModel
	identify()
}

func (d *projectDataSource[M, P]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeName
}

func (d *projectDataSource[M, P]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{MarkdownDescription: d.description, Attributes: dataSourceProjectAttrs(d.attrs())}
}

func (d *projectDataSource[M, P]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *projectDataSource[M, P]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, data, project, ok := begin[M, P](ctx, &d.clientHolder, &resp.Diagnostics, req.Config)
	if !ok {
		return
	}
	if err := d.read(ctx, client, project, &data); err != nil {
		resp.Diagnostics.Append(apiDiag(d.attempt, project, err))
		return
	}
	P(&data).identify()
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
