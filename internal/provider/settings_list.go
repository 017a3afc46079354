package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// newSettingsList lists the error-tracking settings of projects, for
// `terraform query`.
func newSettingsList() list.ListResource {
	return &listResource[listScopeModel, *listScopeModel, *gitlab.Settings]{kind: settingsListKind}
}

var settingsListKind = listKind[listScopeModel, *gitlab.Settings]{
	typeName: settingsTypeName,
	what:     func(*listScopeModel) string { return "error-tracking settings" },
	schema: func() listschema.Schema {
		return listschema.Schema{
			MarkdownDescription: "The error-tracking settings of the projects in `projects` or in `group`, for `terraform query` " +
				"(Terraform 1.14 and later). Projects that never had error tracking set up have no settings and are not listed. " +
				"Each result is named by the project's full path; `include_resource` gives the resource with `project` as that path, " +
				"`integrated` left out (GitLab reports `false` whenever its `integrated_error_tracking` flag is off, so writing it " +
				"could switch a project's stored mode) and `on_destroy = \"restore\"`, so destroying an adopted resource puts back what was found.",
			Attributes: listScopeAttrs("error-tracking settings", map[string]listschema.Attribute{}),
		}
	},
	fetch: func(ctx context.Context, b *listBase, p listedProject) (*gitlab.Settings, error) {
		return b.client.SharedSettings(ctx, p.apiRef())
	},
	results: func(run *listRun, _ *listScopeModel, f fetched[*gitlab.Settings], _ int64) (int64, bool) {
		switch {
		case gitlab.KindOf(f.err) == gitlab.KindSettingsNotFound:
			return 0, true
		case f.err != nil:
			return 0, run.failed(f.project, "read the error-tracking settings", f.err)
		case !run.first(f.project):
			return 0, true
		}
		res := run.newResult(f.project.path, objectIdentity{projectID: f.project.id})
		path := types.StringValue(f.project.path)
		model := settingsResourceModel{
			projectFields: projectFields{ID: path, Project: path},
			OnDestroy:     types.StringValue(onDestroyDefault),
			// What an import of these settings records.
			Baseline:    baselineType.value(priorSettings{Existed: true, Active: f.val.Active, Integrated: f.val.Integrated}),
			LastWritten: writtenType.null(),
		}
		model.fromAPI(f.val)
		model.Integrated = types.BoolNull()
		run.withResource(&res, &model)
		return 1, run.push(res)
	},
}
