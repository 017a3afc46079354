package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var (
	_ resource.Resource                = (*settingsResource)(nil)
	_ resource.ResourceWithConfigure   = (*settingsResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*settingsResource)(nil)
	_ resource.ResourceWithImportState = (*settingsResource)(nil)
	_ resource.ResourceWithMoveState   = (*settingsResource)(nil)
	_ resource.ResourceWithIdentity    = (*settingsResource)(nil)
)

const (
	onDestroyDisable = "disable"
	onDestroyKeep    = "keep"
	onDestroyRestore = "restore"

	// privateRestoreKey holds, in private state, the settings found before
	// Terraform managed them, for on_destroy = "restore".
	privateRestoreKey = "restore"
)

var onDestroyModes = []string{onDestroyDisable, onDestroyKeep, onDestroyRestore}

func newSettingsResource() resource.Resource { return &settingsResource{} }

type settingsResource struct {
	resourceBase
}

type settingsResourceModel struct {
	ID        types.String `tfsdk:"id"`
	Project   types.String `tfsdk:"project"`
	OnDestroy types.String `tfsdk:"on_destroy"`
	settingsFields
}

// priorSettings is what on_destroy = "restore" puts back.
type priorSettings struct {
	Existed    bool `json:"existed"`
	Active     bool `json:"active"`
	Integrated bool `json:"integrated"`
}

func (r *settingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_settings"
}

func (r *settingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Whether error tracking is on for a GitLab project, and in which mode: GitLab's integrated error tracking " +
			"(`integrated = true`) or a Sentry instance (`integrated = false`). A project has no settings until they are created; " +
			"GitLab has no way to delete them, so destroying this resource disables, keeps or restores them as `on_destroy` says.",
		Attributes: settingsSentryAttrs.resource(map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: idDescription,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project": resourceProjectAttr("the resource"),
			"active": schema.BoolAttribute{
				MarkdownDescription: settingsActiveDescription,
				Required:            true,
			},
			"integrated": schema.BoolAttribute{
				MarkdownDescription: settingsIntegratedDescription + " Configuring `true` needs that flag. " +
					"When omitted, the mode GitLab has is kept; new settings are created integrated, the only mode the API can create.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"on_destroy": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does, since GitLab cannot delete settings: " +
					"`disable` sets `active = false`; `keep` leaves the settings as they are; `restore` puts back the `active` and `integrated` " +
					"values found before this resource managed the settings (or disables them if there were none). Defaults to `\"disable\"`.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(onDestroyDisable),
				Validators: []validator.String{onDestroyValidator()},
			},
		}),
	}
}

func (r *settingsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = settingsIdentitySchema()
}

func onDestroyValidator() validator.String {
	return stringvalidator.OneOf(onDestroyModes...)
}

func (r *settingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var state, plan settingsResourceModel
	if !load(ctx, &resp.Diagnostics, req.State, &state) || !load(ctx, &resp.Diagnostics, req.Plan, &plan) {
		return
	}
	if r.planProjectSwitch(ctx, state.Project, plan.Project, resp) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.Project)...)
	}
}

func (r *settingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan settingsResourceModel
	client, ok := r.requireClient(&resp.Diagnostics)
	if !ok || !load(ctx, &resp.Diagnostics, req.Plan, &plan) {
		return
	}
	project := plan.Project.ValueString()
	active := plan.Active.ValueBool()
	// Before any write: a project that cannot be found fails here, with
	// GitLab unchanged.
	if _, ok := keepIdentity(ctx, client, nil, nil, resp.Identity, resp.Private, &resp.Diagnostics, project, 0); !ok {
		return
	}

	var prior priorSettings
	var got *gitlab.Settings
	existing, err := client.GetSettings(ctx, project)
	switch {
	case err == nil:
		prior = priorSettings{Existed: true, Active: existing.Active, Integrated: existing.Integrated}
		got, err = client.PatchSettings(ctx, project, active, boolPtr(plan.Integrated))
		if err != nil {
			resp.Diagnostics.Append(apiDiag("update the error-tracking settings", project, err))
			return
		}
	case gitlab.KindOf(err) == gitlab.KindSettingsNotFound:
		integrated := true
		if !plan.Integrated.IsUnknown() && !plan.Integrated.IsNull() {
			integrated = plan.Integrated.ValueBool()
		}
		got, err = client.PutSettings(ctx, project, active, integrated)
		if err != nil {
			resp.Diagnostics.Append(apiDiag("create the error-tracking settings", project, err))
			return
		}
	default:
		resp.Diagnostics.Append(apiDiag("read the error-tracking settings", project, err))
		return
	}

	resp.Diagnostics.Append(setPriorSettings(ctx, resp.Private, prior)...)
	if d := checkApplied(project, plan.settingsFields, got); d != nil {
		resp.Diagnostics.Append(d)
		return
	}
	plan.ID = plan.Project
	plan.fromAPI(got)
	tflog.Debug(ctx, "created error-tracking settings", map[string]any{"project": project, "existed_before": prior.Existed})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *settingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state settingsResourceModel
	if !load(ctx, &resp.Diagnostics, req.State, &state) {
		return
	}
	project := state.Project.ValueString()
	client, ok := r.readClient()
	if !ok {
		identityWithoutClient(ctx, req.Identity, req.Private, resp.Identity, &resp.Diagnostics, project, 0)
		return
	}
	got, err := client.GetSettings(ctx, project)
	if err != nil {
		if k := gitlab.KindOf(err); k == gitlab.KindSettingsNotFound || k == gitlab.KindProjectNotFound {
			tflog.Warn(ctx, "error-tracking settings gone; removing from state", map[string]any{"project": project})
			setGoneIdentity(ctx, client, req.Identity, req.Private, resp.Identity, project, 0)
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(apiDiag("read the error-tracking settings", project, err))
		return
	}
	if _, ok := keepIdentity(ctx, client, req.Identity, req.Private, resp.Identity, resp.Private, &resp.Diagnostics, project, 0); !ok {
		return
	}

	// After an import there is no record of the settings before Terraform
	// managed them: what is there now is that record.
	if raw, d := req.Private.GetKey(ctx, privateRestoreKey); !d.HasError() && raw == nil {
		resp.Diagnostics.Append(setPriorSettings(ctx, resp.Private,
			priorSettings{Existed: true, Active: got.Active, Integrated: got.Integrated})...)
	}

	if state.OnDestroy.IsNull() {
		state.OnDestroy = types.StringValue(onDestroyDisable)
	}
	state.ID = state.Project
	state.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *settingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state settingsResourceModel
	client, ok := r.requireClient(&resp.Diagnostics)
	if !ok || !load(ctx, &resp.Diagnostics, req.Plan, &plan) || !load(ctx, &resp.Diagnostics, req.State, &state) {
		return
	}
	project := plan.Project.ValueString()
	// The identity is the planned one (Terraform 1.12+), else the ID kept
	// in private state: the same project, whichever way it is written.
	if _, ok := keepIdentity(ctx, client, req.Identity, req.Private, resp.Identity, resp.Private, &resp.Diagnostics, project, 0); !ok {
		return
	}

	if plan.Active.Equal(state.Active) && plan.Integrated.Equal(state.Integrated) {
		// Only on_destroy, or the spelling of the same project, changed:
		// nothing to send to GitLab.
		plan.ID = plan.Project
		plan.settingsFields = state.settingsFields
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}

	// An omitted `integrated` holds the mode GitLab reported, which is false
	// whenever the feature flag is off, whatever is stored
	// (internal/emulator/gitlab-api.md, "Settings"). Sending it back would
	// overwrite the stored mode, and GitLab rejects active Sentry mode without
	// a Sentry URL: only a configured mode is sent.
	var configured types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("integrated"), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := client.PatchSettings(ctx, project, plan.Active.ValueBool(), boolPtr(configured))
	if err != nil {
		resp.Diagnostics.Append(apiDiag("update the error-tracking settings", project, err))
		return
	}
	plan.ID = plan.Project
	if d := checkApplied(project, plan.settingsFields, got); d != nil {
		// State must show what GitLab now has, not what was asked for.
		resp.Diagnostics.Append(d)
		state.fromAPI(got)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	plan.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *settingsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state settingsResourceModel
	client, ok := r.requireClient(&resp.Diagnostics)
	if !ok || !load(ctx, &resp.Diagnostics, req.State, &state) {
		return
	}
	project := state.Project.ValueString()

	var err error
	switch state.OnDestroy.ValueString() {
	case onDestroyKeep:
		tflog.Info(ctx, "on_destroy = keep: leaving error-tracking settings as they are", map[string]any{"project": project})
		return
	case onDestroyRestore:
		prior, d := getPriorSettings(ctx, req.Private)
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		if prior == nil || !prior.Existed {
			resp.Diagnostics.AddWarning("Error-tracking settings disabled, not removed",
				fmt.Sprintf("Project %q had no error-tracking settings before this resource created them, and GitLab cannot delete settings: they were disabled (active = false) instead.", project))
			_, err = client.PatchSettings(ctx, project, false, nil)
		} else {
			// The mode is sent only when it changed: GitLab reports
			// integrated = false for a stored true while the feature flag
			// is off, and writing that back would change the stored mode.
			var integrated *bool
			if state.Integrated.IsNull() || state.Integrated.ValueBool() != prior.Integrated {
				integrated = &prior.Integrated
			}
			_, err = client.PatchSettings(ctx, project, prior.Active, integrated)
		}
	default:
		_, err = client.PatchSettings(ctx, project, false, nil)
	}
	if err != nil {
		if k := gitlab.KindOf(err); k == gitlab.KindSettingsNotFound || k == gitlab.KindProjectNotFound {
			return
		}
		resp.Diagnostics.Append(apiDiag("disable the error-tracking settings", project, err))
	}
}

func (r *settingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project := req.ID
	if project == "" && req.Identity != nil {
		id, d := identityImport(req.Identity, "{ project_id = 42 }")
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		if project = r.importedProjectPath(ctx, id.projectID, resp); project == "" {
			return
		}
	} else if strings.TrimSpace(project) == "" || strings.TrimSpace(project) != project {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID %q is not a project. Use the project's numeric ID or full path, for example `id = \"group/project\"` in an `import` block, or: terraform import gitlab_error_tracking_settings.this group/project (tofu import with OpenTofu)", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), onDestroyDisable)...)
}

// checkApplied reports GitLab storing a mode other than the one asked for:
// with the integrated_error_tracking flag off GitLab accepts integrated = true
// yet reports false (internal/emulator/gitlab-api.md, "Settings"), which
// would otherwise show as a diff on every plan.
func checkApplied(project string, want settingsFields, got *gitlab.Settings) diag.Diagnostic {
	if want.Integrated.IsUnknown() || want.Integrated.IsNull() || want.Integrated.ValueBool() == got.Integrated {
		return nil
	}
	if want.Integrated.ValueBool() {
		return diag.NewAttributeErrorDiagnostic(path.Root("integrated"), "GitLab did not enable integrated error tracking",
			fmt.Sprintf("Project %q was set to integrated = true, but GitLab reports integrated = false. GitLab does this when the "+
				"`integrated_error_tracking` feature flag is off for the project (the default on self-managed GitLab). Ask an administrator "+
				"to enable the flag, or set `integrated = false` and configure Sentry in the project's UI.", project))
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("integrated"), "GitLab did not switch to Sentry mode",
		fmt.Sprintf("Project %q was set to integrated = false, but GitLab still reports integrated = true.", project))
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func setPriorSettings(ctx context.Context, p privateState, prior priorSettings) diag.Diagnostics {
	raw, err := json.Marshal(prior)
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Cannot record prior settings", err.Error())
		return d
	}
	return p.SetKey(ctx, privateRestoreKey, raw)
}

func getPriorSettings(ctx context.Context, p privateState) (*priorSettings, diag.Diagnostics) {
	raw, d := p.GetKey(ctx, privateRestoreKey)
	if d.HasError() || raw == nil {
		return nil, d
	}
	var prior priorSettings
	if err := json.Unmarshal(raw, &prior); err != nil {
		d.AddError("Cannot read prior settings", "The record of the settings before this resource managed them is unreadable: "+err.Error())
		return nil, d
	}
	return &prior, d
}
