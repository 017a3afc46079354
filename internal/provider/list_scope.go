package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The list resources (`terraform query`, Terraform 1.14+) list the settings
// and client keys of the projects their `config` block names: `projects`, a
// list of IDs or paths, or `group`, every project of a group. This file has
// what both share: the scope's attributes and its validation;
// list_resource.go runs a listing over the projects of the scope, which
// list_fetch.go reads;
// settings_list.go and client_key_list.go say what each reads and which
// results it makes.

// listScopeModel is the scope part of a list block's `config`.
type listScopeModel struct {
	Projects         types.List   `tfsdk:"projects"`
	Group            types.String `tfsdk:"group"`
	IncludeSubgroups types.Bool   `tfsdk:"include_subgroups"`
	IncludeArchived  types.Bool   `tfsdk:"include_archived"`
}

// listScopeAttrs are the scope's attributes, merged into into; what names
// the objects listed ("settings", "client keys").
func listScopeAttrs(what string, into map[string]listschema.Attribute) map[string]listschema.Attribute {
	into["projects"] = listschema.ListAttribute{
		MarkdownDescription: "The projects whose " + what + " to list, each a numeric ID (`\"42\"`) or a full path (`\"acme/web-app\"`), " +
			"in this order. Set this or `group`.",
		ElementType: types.StringType,
		Optional:    true,
		Validators: []validator.List{
			listvalidator.SizeAtLeast(1),
			listvalidator.ValueStringsAre(projectValidator()),
		},
	}
	into["group"] = schemaGroupAttr(what)
	into["include_subgroups"] = listschema.BoolAttribute{
		MarkdownDescription: "With `group`: also the projects of its subgroups, at any depth. Defaults to `true`.",
		Optional:            true,
	}
	into["include_archived"] = listschema.BoolAttribute{
		MarkdownDescription: "With `group`: also archived projects. Defaults to `false`; the archived projects left out are named in the list's warning.",
		Optional:            true,
	}
	return into
}

func schemaGroupAttr(what string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "The group whose projects' " + what + " to list: its numeric ID or its full path (`\"acme/platform\"`). " +
			"Its own projects are listed, oldest first, not those other groups share with it; only those the token's user can see. Set this or `projects`.",
		Optional:   true,
		Validators: []validator.String{groupValidator()},
	}
}

// validateScope checks the combination of the scope's attributes.
func validateScope(s listScopeModel) (diags []diagAt) {
	hasProjects, hasGroup := !s.Projects.IsNull(), !s.Group.IsNull()
	switch {
	case hasProjects && hasGroup:
		diags = append(diags, diagAt{"group", "Both projects and group set",
			"A list block lists either the projects in `projects` or those of `group`, not both. Remove one of them."})
	case !hasProjects && !hasGroup:
		diags = append(diags, diagAt{"", "No projects to list",
			"Set `projects` to a list of project IDs or full paths, for example [\"acme/web-app\", \"42\"], or `group` to a group's ID or full path, for example \"acme\"."})
	}
	for _, a := range []struct {
		name string
		v    types.Bool
	}{{"include_subgroups", s.IncludeSubgroups}, {"include_archived", s.IncludeArchived}} {
		if hasProjects && !a.v.IsNull() {
			diags = append(diags, diagAt{a.name, "Only with group",
				fmt.Sprintf("`%s` chooses among the projects of `group`; with `projects`, exactly the projects listed there are read. Remove `%s`.", a.name, a.name)})
		}
	}
	return diags
}

// diagAt is an error on a configuration attribute ("" for the block).
type diagAt struct{ attr, summary, detail string }

func addConfigErrors(to *diag.Diagnostics, diags []diagAt) {
	for _, d := range diags {
		if d.attr == "" {
			to.AddError(d.summary, d.detail)
		} else {
			to.AddAttributeError(path.Root(d.attr), d.summary, d.detail)
		}
	}
}

// resolve finds the ID and full path of a project given in `projects`: one
// GET /projects/:id, shared with everything else of the run.
func (b *listBase) resolve(ctx context.Context, p listedProject) (listedProject, error) {
	if p.id != 0 {
		return p, nil
	}
	got, err := b.client.Project(ctx, p.ref)
	if err != nil {
		return p, err
	}
	p.id, p.path = got.ID, got.PathWithNamespace
	return p, nil
}

// listBase is embedded by every list resource: the client and the bound on
// reads in flight.
type listBase struct {
	clientHolder
}

func (b *listBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.configure(req.ProviderData, &resp.Diagnostics)
}

// groupValidator rejects what cannot name a group.
func groupValidator() validator.String {
	return stringCheck{
		description: "must be a numeric group ID or a full group path such as acme/platform",
		summary:     "Invalid group",
		problem: func(v string) string {
			if kind, path, ok := pastedURL(v); ok && strings.TrimSpace(v) == v {
				return urlProblem("group", v, kind, path, "acme/platform")
			}
			if p := projectProblem(v); p != "" {
				return fmt.Sprintf("`group` = %q cannot name a group. Set it to the group's numeric ID (for example \"7\") or its full path (for example \"acme/platform\"), "+
					"without spaces around it, URL encoding or empty path parts.", v)
			}
			return ""
		},
	}
}

// scopeModel is a list block's config model, which holds the scope.
type scopeModel interface {
	listScope() listScopeModel
}

func (m *listScopeModel) listScope() listScopeModel { return *m }
