package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var _ managedResource = (*clientKeyResource)(nil)

func newClientKeyResource() resource.Resource {
	return &clientKeyResource{resourceBase{typeName: clientKeyTypeName}}
}

// The fast path: Read and ModifyPlan run once per key on every plan, and for
// an unchanged key they decide from the raw state and plan values, without
// clientKeyResourceModel (keyPlanUnchanged, keyStateMatches in
// client_key_fast_path.go); Create, Update, Delete, ImportState and every
// case with something to change use the model.
type clientKeyResource struct{ resourceBase }

func (r *clientKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An error-tracking client key of a GitLab project: the DSN that a Sentry SDK sends errors with. " +
			"GitLab cannot change a key, so every change replaces it. A key deactivated in GitLab is replaced on the next apply.",
		Attributes: clientKeyAttrs.resource(clientKeyDSNAttrs(map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<project>:<key_id>`, the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project": resourceProjectAttr("the key"),
			"key_id": schema.Int64Attribute{
				MarkdownDescription: keyIDDescription,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
		})),
	}
}

func (r *clientKeyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = clientKeyIdentitySchema()
}

func (r *clientKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if st, ok := newRawObject(req.State.Raw); ok {
			project, _ := st.str("project")
			projectID, _ := knownProjectID(ctx, req.Identity, req.Private, project)
			resp.Diagnostics.Append(r.conflicts.destroys(keyObject(project, projectID, st.int64("key_id")))...)
		}
		return
	}
	if req.State.Raw.IsNull() {
		// A create: say now if the project is gone.
		var project types.String
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("project"), &project)...)
		if client, ok := r.readClient(); ok && !project.IsUnknown() && !project.IsNull() && !r.projects.hasSeen(project.ValueString()) {
			r.plannedProject(ctx, client, project.ValueString(), "creates a client key", resp)
		}
		planDSN(ctx, req, resp)
		return
	}
	if keyPlanUnchanged(req.State.Raw, req.Plan.Raw) {
		return
	}

	var state, plan clientKeyResourceModel
	if !load(ctx, &resp.Diagnostics, req.State, &state) || !load(ctx, &resp.Diagnostics, req.Plan, &plan) {
		return
	}

	if !state.Active.IsNull() && !state.Active.ValueBool() {
		// GitLab has no way to reactivate a key: the only way back to a
		// working DSN is a new key.
		resp.Diagnostics.AddAttributeWarning(path.Root("active"), "Client key deactivated in GitLab",
			fmt.Sprintf("Client key %d of project %q is inactive in GitLab, so its DSN no longer accepts errors. "+
				"GitLab cannot reactivate a key; this plan replaces it with a new active key (and a new DSN).",
				state.KeyID.ValueInt64(), state.Project.ValueString()))
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("active"), true)...)
		resp.RequiresReplace.Append(path.Root("active"))
		return
	}
	planUnsetStoreDSN(ctx, req, resp, &state)
	planDSN(ctx, req, resp)

	if r.planProjectSwitch(ctx, state.Project, plan.Project, stateProjectID(ctx, req, r.client, state.Project), resp) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"),
			clientKeyID(plan.Project.ValueString(), state.KeyID.ValueInt64()))...)
	}
}

func (r *clientKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, project, ok := begin[clientKeyResourceModel](ctx, &r.clientHolder, &resp.Diagnostics, req.Plan)
	if !ok {
		return
	}
	// Before the POST: a project that cannot be found fails here, with
	// GitLab unchanged.
	if err := r.projectBeforeWrite(ctx, client, project); err != nil {
		resp.Diagnostics.Append(createKeyDiag("read the project", project, err))
		return
	}
	key, err := client.CreateClientKey(ctx, project)
	if err != nil {
		resp.Diagnostics.Append(createKeyDiag("create a client key", project, err))
		return
	}
	plan.setKey(project, key)
	tflog.Debug(ctx, "created client key", map[string]any{"project": project, "key_id": key.ID})
	createIdentity(resp, project, key.ID).keep(ctx, client)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *clientKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	st, ok := newRawObject(req.State.Raw)
	if !ok {
		resp.Diagnostics.AddError("Unreadable state", "The client key's state is not an object. This is a bug in the provider; please report it.")
		return
	}
	project, _ := st.str("project")
	keyID := st.int64("key_id")
	defer readIdentity(req, resp, project, keyID).keep(ctx, r.client)
	client, ok := r.readClient()
	if !ok {
		return
	}

	// GitLab has no endpoint for one key: the project's list is fetched once
	// per run and shared by every key of the project.
	key, err := client.ClientKey(ctx, project, keyID)
	if (err == nil && key == nil) || gitlab.KindOf(err) == gitlab.KindProjectNotFound {
		project, err = followMove(ctx, client, req, &resp.Diagnostics, project, err, func(p string) (bool, error) {
			var e error
			if key, e = client.ClientKey(ctx, p, keyID); gitlab.KindOf(e) == gitlab.KindProjectNotFound {
				return false, nil
			}
			return key != nil, e
		})
	}
	if err != nil {
		if gitlab.KindOf(err) == gitlab.KindProjectNotFound {
			tflog.Warn(ctx, "project gone; removing client key from state", map[string]any{"project": project, "key_id": keyID})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(apiDiag("list the client keys", project, err))
		return
	}
	r.projects.saw(project)
	if key == nil {
		tflog.Warn(ctx, "client key gone; removing from state", map[string]any{"project": project, "key_id": keyID})
		resp.State.RemoveResource(ctx)
		return
	}
	if keyStateMatches(st, project, key) {
		return // the response state already holds the prior state
	}
	var state clientKeyResourceModel
	if !load(ctx, &resp.Diagnostics, req.State, &state) {
		return
	}
	if state.StoreDSN.IsNull() {
		// Imports, moves and states written before store_dsn existed.
		state.StoreDSN = types.BoolValue(true)
	}
	state.Project = types.StringValue(project)
	state.setKey(project, key)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only ever sees a switch between the ID and the path of the same
// project (see ModifyPlan) and a change of store_dsn: GitLab has no way to
// change a key.
func (r *clientKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state clientKeyResourceModel
	if !load(ctx, &resp.Diagnostics, req.Plan, &plan) || !load(ctx, &resp.Diagnostics, req.State, &state) {
		return
	}
	project := plan.Project.ValueString()
	// The identity is the planned one (Terraform 1.12+), else the ID kept
	// in private state: the same project, whichever way it is written.
	client, ok := r.requireClient(&resp.Diagnostics)
	if !ok {
		return
	}
	if !updateIdentity(req, resp, project, state.KeyID.ValueInt64()).keep(ctx, client) {
		return
	}
	state.Project = plan.Project
	state.ID = types.StringValue(clientKeyID(project, state.KeyID.ValueInt64()))
	state.StoreDSN, state.RotationTriggers = plan.StoreDSN, plan.RotationTriggers
	if !applyStoreDSN(ctx, client, &state, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *clientKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client, state, project, ok := begin[clientKeyResourceModel](ctx, &r.clientHolder, &resp.Diagnostics, req.State)
	if !ok {
		return
	}
	err := client.DeleteClientKey(ctx, project, state.KeyID.ValueInt64())
	if err != nil {
		if k := gitlab.KindOf(err); k == gitlab.KindKeyNotFound || k == gitlab.KindProjectNotFound {
			return
		}
		resp.Diagnostics.Append(apiDiag(fmt.Sprintf("delete client key %d", state.KeyID.ValueInt64()), project, err))
	}
}

func (r *clientKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var (
		project   string
		projectID int64
		keyID     int64
	)
	if req.ID == "" && req.Identity != nil {
		id, d := identityImport(req.Identity, "{ project_id = 42, key_id = 7 }")
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		if project = r.importedProjectPath(ctx, id.projectID, resp); project == "" {
			return
		}
		projectID, keyID = id.projectID, id.keyID
	} else {
		var err error
		if project, keyID, err = parseClientKeyID(req.ID); err != nil {
			resp.Diagnostics.AddError("Invalid import ID", err.Error())
			return
		}
	}
	client, _ := r.readClient()
	if resp.Diagnostics.Append(importKeyProblem(ctx, client, project, keyID)...); resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(r.conflicts.takes(keyObject(project, projectID, keyID), "imports")...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("key_id"), keyID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), clientKeyID(project, keyID))...)
}

// setKey records the key GitLab reports, without its DSN and public key
// unless store_dsn says to keep them.
func (m *clientKeyResourceModel) setKey(project string, k *gitlab.ClientKey) {
	m.ID = types.StringValue(clientKeyID(project, k.ID))
	m.KeyID = types.Int64Value(k.ID)
	m.fromAPI(k)
	if !m.storesDSN() {
		m.dropDSN()
	}
}

// keyObject is a client key as plan_conflicts.go knows it: by the project
// as this resource spells it, and by the project's ID where that is known
// without a request (projectID 0 otherwise).
func keyObject(project string, projectID, keyID int64) plannedObject {
	return plannedObject{
		typeName: "gitlab_error_tracking_client_key",
		what:     fmt.Sprintf("client key %d of project %q", keyID, project),
		names:    objectNames("client_key", keyID, project, projectID, ""),
		harm:     "would delete the key it imports: state would then hold a key GitLab no longer has, and the next apply would create a new key, with a new DSN",
	}
}
