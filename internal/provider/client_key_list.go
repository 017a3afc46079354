package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var (
	_ list.ListResource                   = (*clientKeyList)(nil)
	_ list.ListResourceWithConfigure      = (*clientKeyList)(nil)
	_ list.ListResourceWithValidateConfig = (*clientKeyList)(nil)
)

func newClientKeyList() list.ListResource { return &clientKeyList{} }

// clientKeyList lists the client keys of projects, for `terraform query`.
type clientKeyList struct {
	listBase
}

type clientKeyListModel struct {
	listScopeModel
	Active types.Bool `tfsdk:"active"`
}

func (l *clientKeyList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_client_key"
}

func (l *clientKeyList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
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
}

func (l *clientKeyList) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var m clientKeyListModel
	if !load(ctx, &resp.Diagnostics, req.Config, &m) {
		return
	}
	addConfigErrors(resp, validateScope(m.listScopeModel))
}

func (l *clientKeyList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m clientKeyListModel
	run, src, ok := l.start(ctx, req, stream, &m)
	if !ok {
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		run.push = push
		fetchInOrder(ctx, l.reads, src, req.Limit,
			func(ctx context.Context, p listedProject) (listedProject, []gitlab.ClientKey, error) {
				p, err := l.resolve(ctx, p)
				if err != nil {
					return p, nil, err
				}
				// Every page, once per run: the client shares the list.
				keys, err := l.client.ListClientKeys(ctx, p.apiRef())
				return p, keys, err
			},
			func(f fetched[[]gitlab.ClientKey], room int64) (int64, bool) {
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
					model := clientKeyResourceModel{Project: types.StringValue(f.project.path)}
					model.setKey(f.project.path, &k)
					run.withResource(&res, &model)
					n++
					if !push(res) {
						return n, false
					}
				}
				return n, true
			})
	}
}
