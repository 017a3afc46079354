package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

var _ managedResource = (*settingsResource)(nil)

func newSettingsResource() resource.Resource {
	return &settingsResource{resourceBase{typeName: settingsTypeName}}
}

type settingsResource struct{ resourceBase }

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
					"`restore` undoes this resource's own writes: it puts back the `active` and `integrated` values found before this resource " +
					"managed the settings, whether it created or imported them, as `baseline` shows them (settings that did not exist are disabled), " +
					"but only where GitLab still has the value this resource last wrote (`last_written`), and `integrated` only where this resource " +
					"wrote it; a value changed in GitLab since is left, with a warning. `disable` sets `active = false`; " +
					"`keep` leaves the settings as they are. " +
					"Defaults to `\"restore\"`, which leaves GitLab as this resource found it.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(onDestroyDefault),
				Validators: []validator.String{onDestroyValidator()},
			},
			"baseline":     baselineAttr(),
			"last_written": lastWrittenAttr(),
		}),
	}
}

func (r *settingsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = settingsIdentitySchema()
}

func onDestroyValidator() validator.String {
	return stringvalidator.OneOf(onDestroyModes...)
}

// ModifyPlan keeps a switch between the ID and the path of one project, and
// says at plan what the apply would otherwise find out by failing or by
// undoing another resource's work (docs/guides/reliability.md, "Plans that
// warn"): a project that is gone, a project claimed by two settings
// resources, Sentry mode on a project without settings, and integrated mode
// that GitLab refused before.
func (r *settingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.planSettingsDestroy(ctx, req, resp)
		return
	}
	var state, plan settingsResourceModel
	if !load(ctx, &resp.Diagnostics, req.Plan, &plan) {
		return
	}
	creating := req.State.Raw.IsNull()
	if !creating {
		if !load(ctx, &resp.Diagnostics, req.State, &state) {
			return
		}
		if r.planProjectSwitch(ctx, state.Project, plan.Project, stateProjectID(ctx, req, r.client, state.Project), resp) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.Project)...)
		}
		if resp.RequiresReplace.Contains(path.Root("project")) {
			return // Terraform plans the new object again, as a create
		}
		warnRefusedBefore(ctx, req, state, plan, resp)
		if settingsChange(state, plan) {
			// The apply records what it writes.
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("last_written"), types.ObjectUnknown(writtenType.attrTypes()))...)
		}
	}

	client, ok := r.readClient()
	if !ok || plan.Project.IsUnknown() {
		return
	}
	project := plan.Project.ValueString()
	var found *gitlab.Project
	if creating || settingsChange(state, plan) {
		planned := "creates its error-tracking settings"
		if !creating {
			planned = "changes its error-tracking settings"
		}
		if found, ok = r.plannedProject(ctx, client, project, planned, resp); !ok ||
			!creating && projectTakenOver(ctx, client, project, found, stateProjectID(ctx, req, r.client, state.Project), &resp.Diagnostics) {
			return
		}
	}
	id, fullPath := int64(0), ""
	if found != nil {
		id, fullPath = found.ID, found.PathWithNamespace
	} else if !creating {
		// The ID the state records, without a request.
		id, _ = knownProjectID(ctx, req.Identity, req.Private, project)
	}
	if !r.claimProject(ctx, req, resp, creating, project, found, id, fullPath) {
		return
	}
	if creating && found != nil {
		checkSentryCreate(ctx, client, project, plan, resp)
	}
}

func (r *settingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, project, ok := begin[settingsResourceModel](ctx, &r.clientHolder, &resp.Diagnostics, req.Plan)
	if !ok {
		return
	}
	active := plan.Active.ValueBool()
	want := plan.settingsFields
	// Before any write: a project that cannot be found fails here, with
	// GitLab unchanged.
	if !createIdentity(resp, project, 0).keep(ctx, client) {
		return
	}

	names := stateProjectNames(ctx, resp.Identity, resp.Private, project)
	resp.Diagnostics.Append(forgetClaim(ctx, resp.Private)...)
	var prior priorSettings
	var got *gitlab.Settings
	// The mode the write asks for: an unset integrated is true in a create
	// with PUT, and with PATCH keeps what GitLab stores, which it hides
	// while the flag is off, so it may be true.
	integrated := want.Integrated.IsUnknown() || want.Integrated.IsNull() || want.Integrated.ValueBool()
	existing, err := client.GetSettings(ctx, project)
	switch {
	case err == nil:
		prior = priorSettings{Existed: true, Active: existing.Active, Integrated: existing.Integrated}
	case gitlab.KindOf(err) != gitlab.KindSettingsNotFound:
		resp.Diagnostics.Append(apiDiag("read the error-tracking settings", project, err))
		return
	}
	// Settings this create replaces, destroyed earlier in this run, keep
	// their baseline; and a destroy later in this run
	// (create_before_destroy) must not undo this write (settings_run.go).
	baseline, replacing := r.projects.forSettings().find(destroyedIn, names)
	if !replacing {
		baseline = prior
	}
	plan.keepBaseline(baseline)
	r.projects.forSettings().wrote(names, baselineType.of(plan.Baseline))
	if existing != nil {
		plan.wrote(writtenType.null(), active, boolPtr(plan.Integrated))
		got, err = client.PatchSettings(ctx, project, active, boolPtr(plan.Integrated))
		if err != nil {
			resp.Diagnostics.Append(recordUncertainCreate(ctx, client, resp, plan, integrated, prior,
				apiDiag("update the error-tracking settings", project, err), err))
			return
		}
	} else {
		plan.wrote(writtenType.null(), active, &integrated)
		got, err = client.PutSettings(ctx, project, active, integrated)
		if err != nil {
			resp.Diagnostics.Append(recordUncertainCreate(ctx, client, resp, plan, integrated, prior,
				apiDiag("create the error-tracking settings", project, err), err))
			return
		}
	}

	plan.ID = plan.Project
	plan.fromAPI(got)
	if d := checkApplied(project, want, got); d != nil {
		// GitLab has changed, and no rollback could be complete (it hides
		// the stored mode while the flag is off): state records what GitLab
		// has, the error makes Terraform mark it tainted, and the baseline
		// and any key GitLab created stay with it.
		failed := failedCreate{CreatedKeyID: got.CreatedKeyID}
		resp.Diagnostics.Append(setPrivate(ctx, resp.Private, privateFailedCreateKey, failed)...)
		resp.Diagnostics.Append(setRefused(ctx, resp.Private, wantsIntegrated(want))...)
		resp.Diagnostics.Append(withDetail(d, failedCreateDetail(project, prior, got, failed)))
	} else {
		tflog.Debug(ctx, "created error-tracking settings", map[string]any{"project": project, "existed_before": prior.Existed})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *settingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state settingsResourceModel
	if !load(ctx, &resp.Diagnostics, req.State, &state) {
		return
	}
	project := state.Project.ValueString()
	defer readIdentity(req, resp, project, 0).keep(ctx, r.client)
	client, ok := r.readClient()
	if !ok {
		return
	}
	got, err := client.GetSettings(ctx, project)
	if settingsGone(err) {
		project, err = followMove(ctx, client, req, &resp.Diagnostics, project, err, func(p string) (bool, error) {
			var e error
			if got, e = client.GetSettings(ctx, p); settingsGone(e) {
				return false, nil
			}
			return e == nil, e
		})
		state.Project = types.StringValue(project)
	}
	if err != nil {
		if settingsGone(err) {
			tflog.Warn(ctx, "error-tracking settings gone; removing from state", map[string]any{"project": project})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(apiDiag("read the error-tracking settings", project, err))
		return
	}
	r.projects.saw(project)

	// After an import there is no record of the settings before Terraform
	// managed them: what is there now is that record. A state written before
	// the baseline was an attribute has it in private state.
	if state.Baseline.IsNull() {
		if w := stateWritten(ctx, state, req.Private); w != nil {
			state.LastWritten = writtenType.value(*w)
		}
		if prior := stateBaseline(ctx, state, req.Private); prior != nil {
			state.Baseline = baselineType.value(*prior)
		} else {
			state.Baseline = baselineType.value(priorSettings{Existed: true, Active: got.Active, Integrated: got.Integrated})
		}
	}

	_, failed := getFailedCreate(ctx, req.Private)
	if failed {
		r.projects.forSettings().countLeftover(stateProjectNames(ctx, req.Identity, req.Private, project), false)
	}
	if got.Integrated {
		resp.Diagnostics.Append(setRefused(ctx, resp.Private, false)...)
	} else if failed && refused(ctx, req.Private) {
		// The plan of tainted settings is a create, which cannot see this
		// record: the warning comes from the refresh.
		resp.Diagnostics.AddWarning("Settings left tainted by a failed create",
			refusedDetail(project, "The next apply replaces the settings, and the create will fail the same way unless that has changed."))
	}

	if state.OnDestroy.IsNull() {
		state.OnDestroy = types.StringValue(onDestroyDefault)
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
	if !updateIdentity(req, resp, project, 0).keep(ctx, client) {
		return
	}

	resp.Diagnostics.Append(forgetClaim(ctx, resp.Private)...)
	if !settingsChange(state, plan) {
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
	plan.wrote(state.LastWritten, plan.Active.ValueBool(), boolPtr(configured))
	state.LastWritten = plan.LastWritten
	r.projects.forSettings().wrote(stateProjectNames(ctx, resp.Identity, resp.Private, project), stateBaseline(ctx, state, req.Private))
	got, err := client.PatchSettings(ctx, project, plan.Active.ValueBool(), boolPtr(configured))
	if err != nil {
		resp.Diagnostics.Append(apiDiag("update the error-tracking settings", project, err))
		return
	}
	plan.ID = plan.Project
	if d := checkApplied(project, plan.settingsFields, got); d != nil {
		// State must show what GitLab now has, not what was asked for; the
		// refusal is remembered for the next plan.
		resp.Diagnostics.Append(d)
		resp.Diagnostics.Append(setRefused(ctx, resp.Private, wantsIntegrated(plan.settingsFields))...)
		state.fromAPI(got)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	resp.Diagnostics.Append(setRefused(ctx, resp.Private, false)...)
	plan.fromAPI(got)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *settingsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client, state, project, ok := begin[settingsResourceModel](ctx, &r.clientHolder, &resp.Diagnostics, req.State)
	if !ok {
		return
	}

	var err error
	onDestroy := state.OnDestroy.ValueString()
	names, baseline := stateProjectNames(ctx, req.Identity, req.Private, project), stateBaseline(ctx, state, req.Private)
	if successor, ok := r.projects.forSettings().find(writtenBy, names); ok && onDestroy != onDestroyKeep {
		resp.Diagnostics.Append(replacedByEarlierWrite(project, onDestroy, baseline, successor)...)
		return
	}
	// A create of the same project later in this run replaces these settings.
	r.projects.forSettings().record(destroyedIn, names, baseline)
	switch onDestroy {
	case onDestroyKeep:
		tflog.Info(ctx, "on_destroy = keep: leaving error-tracking settings as they are", map[string]any{"project": project})
		return
	case onDestroyRestore:
		resp.Diagnostics.Append(restoreSettings(ctx, client, project, baseline, stateWritten(ctx, state, req.Private))...)
		return
	default:
		_, err = client.PatchSettings(ctx, project, false, nil)
	}
	if err != nil && !settingsGone(err) {
		resp.Diagnostics.Append(apiDiag("disable the error-tracking settings", project, err))
	}
}

func (r *settingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, projectID := req.ID, int64(0)
	if project == "" && req.Identity != nil {
		id, d := identityImport(req.Identity, "{ project_id = 42 }")
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		if project, projectID = r.importedProjectPath(ctx, id.projectID, resp), id.projectID; project == "" {
			return
		}
	}
	client, _ := r.readClient()
	if resp.Diagnostics.Append(importSettingsProblem(ctx, client, project)...); resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(r.conflicts.takes(settingsObject(project, projectID, ""), "imports")...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), onDestroyDefault)...)
}
