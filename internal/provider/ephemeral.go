package provider

import (
	"context"
	"fmt"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
)

// Ephemeral resources (Terraform 1.10+, OpenTofu 1.11+) read what a data
// source would, for values that must not be stored: Terraform opens them
// on every plan and apply and keeps their result out of the plan and the
// state. They only read, with the provider's one client of the run, so they
// share each project's one key list with the resources and data sources.

// projectEphemeral is an ephemeral resource that reads one thing of one
// project, as projectRead does for the data sources.
type projectEphemeral[M any, P projectModelPtr[M]] struct {
	projectRead[M, P]
	typeName    string // after the provider's type name
	description string
	attrs       map[string]dschema.Attribute
}

// ephemeralOf is the data source d as an ephemeral resource of the same
// name, arguments and result.
func ephemeralOf[M any, P dataSourceModelPtr[M]](d *projectDataSource[M, P], description string) ephemeral.EphemeralResource {
	return &projectEphemeral[M, P]{
		projectRead: d.projectRead, typeName: d.typeName, description: description,
		attrs: dataSourceProjectAttrs(d.attrs()),
	}
}

func (e *projectEphemeral[M, P]) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + e.typeName
}

func (e *projectEphemeral[M, P]) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{MarkdownDescription: e.description, Attributes: ephemeralAttrs(e.attrs)}
}

func (e *projectEphemeral[M, P]) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.configure(req.ProviderData, &resp.Diagnostics)
}

func (e *projectEphemeral[M, P]) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if data, ok := e.run(ctx, &resp.Diagnostics, req.Config); ok {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &data)...)
	}
}

// ephemeralAttrs are data source attributes as ephemeral resource
// attributes, which have the same fields: an ephemeral resource is declared
// with the data source's attributes, so that the two cannot drift apart.
func ephemeralAttrs(in map[string]dschema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		switch a := a.(type) {
		case dschema.StringAttribute:
			out[name] = schema.StringAttribute(a)
		case dschema.BoolAttribute:
			out[name] = schema.BoolAttribute(a)
		case dschema.Int64Attribute:
			out[name] = schema.Int64Attribute(a)
		case dschema.ListNestedAttribute:
			out[name] = schema.ListNestedAttribute{
				NestedObject: schema.NestedAttributeObject{
					Attributes: ephemeralAttrs(a.NestedObject.Attributes),
					CustomType: a.NestedObject.CustomType,
					Validators: a.NestedObject.Validators,
				},
				CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
				Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription,
				DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
			}
		default:
			// Only a change to this provider's own data source schemas
			// gets here, and every test that starts the provider shows it.
			panic(fmt.Sprintf("attribute %q: no ephemeral resource attribute for %T", name, a))
		}
	}
	return out
}
