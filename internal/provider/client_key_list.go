package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// newClientKeyList lists the client keys of projects, for `terraform query`.
func newClientKeyList() list.ListResource {
	return &listResource[clientKeyListModel, *clientKeyListModel, []gitlab.ClientKey]{kind: clientKeyListKind}
}

type clientKeyListModel struct {
	listScopeModel
	Active types.Bool `tfsdk:"active"`
}

var clientKeyListKind = listKind[clientKeyListModel, []gitlab.ClientKey]{
	typeName: clientKeyTypeName,
	what: func(m *clientKeyListModel) string {
		switch {
		case m.Active.IsNull():
			return "client keys"
		case m.Active.ValueBool():
			return "active client keys"
		}
		return "inactive client keys"
	},
	schema: func() listschema.Schema {
		return listschema.Schema{
			MarkdownDescription: "The client keys of the projects in `projects` or in `group`, for `terraform query` (Terraform 1.14 and later), " +
				"project by project and in key ID order within a project. Each result is named `<project path>:<key_id>`; " +
				"`include_resource` gives the resource with `project` as the project's full path.",
			Attributes: listScopeAttrs("client keys", map[string]listschema.Attribute{
				"active": listschema.BoolAttribute{
					MarkdownDescription: "`true`: only active keys; `false`: only keys deactivated in GitLab's UI. Unset: every key.",
					Optional:            true,
				},
			}),
		}
	},
	fetch: func(ctx context.Context, b *listBase, p listedProject) ([]gitlab.ClientKey, error) {
		// Every page, once per run: the client shares the list.
		return b.client.ListClientKeys(ctx, p.apiRef())
	},
	results: func(run *listRun, m *clientKeyListModel, f fetched[[]gitlab.ClientKey], room int64) (int64, bool) {
		if f.err != nil {
			return 0, run.failed(f.project, "list the client keys", f.err)
		}
		if !run.first(f.project) {
			return 0, true
		}
		var n int64
		for _, k := range f.val {
			if !m.Active.IsNull() && k.Active != m.Active.ValueBool() {
				continue
			}
			if n == room {
				break
			}
			id := clientKeyID(f.project.path, k.ID)
			res := run.newResult(id, objectIdentity{projectID: f.project.id, keyID: k.ID})
			// No DSN and no public key: adopting a key does not need them
			// (the import reads them), and a listing would show them to
			// whoever runs the query. store_dsn is left unset, so that
			// configuration generated from the result keeps the default.
			model := clientKeyResourceModel{
				projectFields:    projectFields{Project: types.StringValue(f.project.path)},
				StoreDSN:         types.BoolNull(),
				RotationTriggers: types.MapNull(types.StringType),
			}
			model.setKey(f.project.path, &k)
			model.dropDSN()
			run.withResource(&res, &model)
			n++
			if !run.push(res) {
				return n, false
			}
		}
		return n, true
	},
}
