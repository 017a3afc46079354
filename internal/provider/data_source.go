package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// projectRead is what reads one thing of one project from a configuration,
// for a data source and for an ephemeral resource alike: the client, the
// configuration, one call and the diagnostic of its failure are written here
// once, so that both say the same of a project GitLab does not show.
type projectRead[M any, P projectModelPtr[M]] struct {
	clientHolder
	// attempt says what read does, for the diagnostic of its failure.
	attempt string
	// read asks GitLab and fills m, whose configured attributes are set.
	read func(ctx context.Context, client gitlab.API, project string, m P) error
	// finish, if set, completes the model after a successful read.
	finish func(P)
}

// run reads config into a model and fills it from GitLab; false when that
// failed, with the reasons in diags.
func (r *projectRead[M, P]) run(ctx context.Context, diags *diag.Diagnostics, config modelSource) (M, bool) {
	client, data, project, ok := begin[M, P](ctx, &r.clientHolder, diags, config)
	if !ok {
		return data, false
	}
	if err := r.read(ctx, client, project, &data); err != nil {
		var missing *missingKeyError
		if errors.As(err, &missing) {
			diags.Append(missing.diagnostic())
		} else {
			diags.Append(apiDiag(r.attempt, project, err))
		}
		return data, false
	}
	if r.finish != nil {
		r.finish(&data)
	}
	return data, true
}

// projectDataSource is a data source that reads one thing of one project,
// which is what both data sources do: settings_data_source.go and
// client_keys_data_source.go say what each reads and which attributes it
// has. An ephemeral resource may read the same (ephemeral.go).
type projectDataSource[M any, P dataSourceModelPtr[M]] struct {
	projectRead[M, P]
	typeName    string // after the provider's type name
	description string
	// attrs are the attributes besides `id` and `project`.
	attrs func() map[string]schema.Attribute
}

var (
	_ datasource.DataSource              = (*projectDataSource[settingsDataSourceModel, *settingsDataSourceModel])(nil)
	_ datasource.DataSourceWithConfigure = (*projectDataSource[settingsDataSourceModel, *settingsDataSourceModel])(nil)
)

func newProjectDataSource[M any, P dataSourceModelPtr[M]](typeName, description string, attrs func() map[string]schema.Attribute, attempt string,
	read func(context.Context, gitlab.API, string, P) error,
) *projectDataSource[M, P] {
	return &projectDataSource[M, P]{
		projectRead: projectRead[M, P]{attempt: attempt, read: read, finish: P.identify},
		typeName:    typeName, description: description, attrs: attrs,
	}
}

// dataSourceModel is a data source's model, whose id is its project
// (projectFields.identify).
type dataSourceModel interface {
	projectModel
	identify()
}

// dataSourceModelPtr is projectModelPtr for a data source's model.
type dataSourceModelPtr[M any] interface {
	*M
	dataSourceModel
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
	if data, ok := d.run(ctx, &resp.Diagnostics, req.Config); ok {
		resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	}
}

// missingKeyError is a read that found the project but not the key its
// configuration names.
type missingKeyError struct {
	project string
	keyID   int64
	keys    []gitlab.ClientKey // the project's keys
}

func (e *missingKeyError) Error() string {
	return fmt.Sprintf("project %q has no client key %d", e.project, e.keyID)
}

func (e *missingKeyError) diagnostic() diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("key_id"), wordings[gitlab.KindKeyNotFound].summary,
		fmt.Sprintf("Project %q has no client key %d: it was deleted in GitLab, or `key_id` is mistyped. %s\n\n"+
			"Set `key_id` to the key's ID, such as the `key_id` of the gitlab_error_tracking_client_key resource that manages it.",
			e.project, e.keyID, keyIDsOf(e.keys)))
}
