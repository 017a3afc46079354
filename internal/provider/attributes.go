package provider

import (
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// reported is an attribute that GitLab reports and no configuration sets,
// written once in an object's model file and turned into the resource's and
// the data source's schema attribute here. In a resource it keeps its state
// value across plans (GitLab changes it only when the object is replaced).
type reported struct {
	kind        attrKind
	description string
	sensitive   bool
}

type attrKind int

const (
	stringAttr attrKind = iota
	boolAttr
	int64Attr
)

// reportedAttrs is a set of reported attributes by name.
type reportedAttrs map[string]reported

// resource returns the resource schema attributes, merged into into.
func (rs reportedAttrs) resource(into map[string]schema.Attribute) map[string]schema.Attribute {
	for name, a := range rs {
		switch a.kind {
		case boolAttr:
			into[name] = schema.BoolAttribute{MarkdownDescription: a.description, Computed: true, Sensitive: a.sensitive,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}}
		case int64Attr:
			into[name] = schema.Int64Attribute{MarkdownDescription: a.description, Computed: true, Sensitive: a.sensitive,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}}
		default:
			into[name] = schema.StringAttribute{MarkdownDescription: a.description, Computed: true, Sensitive: a.sensitive,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
		}
	}
	return into
}

// dataSource returns the data source schema attributes, merged into into.
func (rs reportedAttrs) dataSource(into map[string]dschema.Attribute) map[string]dschema.Attribute {
	for name, a := range rs {
		switch a.kind {
		case boolAttr:
			into[name] = dschema.BoolAttribute{MarkdownDescription: a.description, Computed: true, Sensitive: a.sensitive}
		case int64Attr:
			into[name] = dschema.Int64Attribute{MarkdownDescription: a.description, Computed: true, Sensitive: a.sensitive}
		default:
			into[name] = dschema.StringAttribute{MarkdownDescription: a.description, Computed: true, Sensitive: a.sensitive}
		}
	}
	return into
}

// The attributes every data source shares: the project it reads, and an id
// that repeats it.
const idDescription = "The project, as configured."

func dataSourceProjectAttrs(into map[string]dschema.Attribute) map[string]dschema.Attribute {
	into["id"] = dschema.StringAttribute{MarkdownDescription: idDescription, Computed: true}
	into["project"] = dschema.StringAttribute{
		MarkdownDescription: projectDescription,
		Required:            true,
		Validators:          []validator.String{projectValidator()},
	}
	return into
}

// resourceProjectAttr is a resource's `project`; replaced names what another
// project replaces ("the resource", "the key").
func resourceProjectAttr(replaced string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: projectDescription + " Changing it to another project replaces " + replaced + ".",
		Required:            true,
		Validators:          []validator.String{projectValidator()},
	}
}

// projectFields are the `id` and `project` that every resource's and data
// source's model has.
type projectFields struct {
	ID      types.String `tfsdk:"id"`
	Project types.String `tfsdk:"project"`
}

func (p *projectFields) projectRef() string { return p.Project.ValueString() }

// identify sets a data source's id, which is its project.
func (p *projectFields) identify() { p.ID = p.Project }

const projectDescription = "The GitLab project: its numeric ID (`\"42\"`) or its full path (`\"group/subgroup/project\"`). " +
	"Kept in state as configured. Switching between the ID and the path of the same project changes nothing on GitLab."
