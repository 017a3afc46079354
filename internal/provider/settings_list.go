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
	_ list.ListResource                   = (*settingsList)(nil)
	_ list.ListResourceWithConfigure      = (*settingsList)(nil)
	_ list.ListResourceWithValidateConfig = (*settingsList)(nil)
)

func newSettingsList() list.ListResource { return &settingsList{} }

// settingsList lists the error-tracking settings of projects, for
// `terraform query`.
type settingsList struct {
	listBase
}

func (l *settingsList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_settings"
}

func (l *settingsList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "The error-tracking settings of the projects in `projects` or in `group`, for `terraform query` " +
			"(Terraform 1.14 and later). Projects that never had error tracking set up have no settings and are not listed. " +
			"Each result is named by the project's full path; `include_resource` gives the resource with `project` as that path, " +
			"`integrated` left out (GitLab reports `false` whenever its `integrated_error_tracking` flag is off, so writing it " +
			"could switch a project's stored mode) and `on_destroy = \"restore\"`, so destroying an adopted resource puts back what was found.",
		Attributes: listScopeAttrs("error-tracking settings", map[string]listschema.Attribute{}),
	}
}

func (l *settingsList) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var m listScopeModel
	if !load(ctx, &resp.Diagnostics, req.Config, &m) {
		return
	}
	addConfigErrors(resp, validateScope(m))
}

func (l *settingsList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m listScopeModel
	run, src, ok := l.start(ctx, req, stream, &m)
	if !ok {
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		run.push = push
		fetchInOrder(ctx, l.reads, src, req.Limit,
			func(ctx context.Context, p listedProject) (listedProject, *gitlab.Settings, error) {
				p, err := l.resolve(ctx, p)
				if err != nil {
					return p, nil, err
				}
				s, err := l.reads.settingsOf(ctx, l.client, p.id, p.apiRef())
				return p, s, err
			},
			func(f fetched[*gitlab.Settings], _ int64) (int64, bool) {
				switch {
				case gitlab.KindOf(f.err) == gitlab.KindSettingsNotFound:
					return 0, true
				case f.err != nil:
					return 0, run.failed(f.project, "read the error-tracking settings", f.err)
				case !run.first(f.project):
					return 0, true
				}
				res := run.newResult(f.project.path, objectIdentity{projectID: f.project.id})
				model := settingsResourceModel{
					ID:        types.StringValue(f.project.path),
					Project:   types.StringValue(f.project.path),
					OnDestroy: types.StringValue(onDestroyDefault),
				}
				model.fromAPI(f.val)
				model.Integrated = types.BoolNull()
				run.withResource(&res, &model)
				return 1, push(res)
			})
	}
}
