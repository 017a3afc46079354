package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var (
	_ resource.Resource                = (*clientKeyResource)(nil)
	_ resource.ResourceWithConfigure   = (*clientKeyResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*clientKeyResource)(nil)
	_ resource.ResourceWithImportState = (*clientKeyResource)(nil)
	_ resource.ResourceWithMoveState   = (*clientKeyResource)(nil)
)

func newClientKeyResource() resource.Resource { return &clientKeyResource{} }

type clientKeyResource struct {
	client gitlab.API
}

type clientKeyResourceModel struct {
	ID      types.String `tfsdk:"id"`
	Project types.String `tfsdk:"project"`
	KeyID   types.Int64  `tfsdk:"key_id"`
	clientKeyFields
}

// clientKeyFields are the attributes GitLab reports for a key, shared by the
// resource and the data source.
type clientKeyFields struct {
	Active    types.Bool   `tfsdk:"active"`
	PublicKey types.String `tfsdk:"public_key"`
	SentryDSN types.String `tfsdk:"sentry_dsn"`
}

func (f *clientKeyFields) fromAPI(k *gitlab.ClientKey) {
	f.Active = types.BoolValue(k.Active)
	f.PublicKey = types.StringValue(k.PublicKey)
	f.SentryDSN = types.StringValue(k.SentryDSN)
}

func (r *clientKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_client_key"
}

func (r *clientKeyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An error-tracking client key of a GitLab project: the DSN that a Sentry SDK sends errors with. " +
			"GitLab cannot change a key, so every change replaces it. A key deactivated outside Terraform is replaced on the next apply.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<project>:<key_id>`, the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project": schema.StringAttribute{
				MarkdownDescription: projectDescription + " Changing it to another project replaces the key.",
				Required:            true,
				Validators:          []validator.String{projectValidator{}},
			},
			"key_id": schema.Int64Attribute{
				MarkdownDescription: "GitLab's ID of the key (unique across the instance).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the key accepts errors. Keys are created active; a key deactivated in GitLab's UI is replaced on the next apply.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"public_key": schema.StringAttribute{
				MarkdownDescription: "The key's public part (`glet_...`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"sentry_dsn": schema.StringAttribute{
				MarkdownDescription: "The DSN to configure in a Sentry SDK. Sensitive: it lets anyone send errors to the project.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *clientKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if client, ok := providerClient(req.ProviderData, &resp.Diagnostics); ok {
		r.client = client
	}
}

func (r *clientKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	if st, ok := newRawObject(req.State.Raw); ok {
		if active, known := st.boolean("active"); !known || active {
			if pl, ok := newRawObject(req.Plan.Raw); ok {
				before, _ := st.str("project")
				after, known := pl.str("project")
				if known && before == after {
					return // the common case: nothing to decide
				}
			}
		}
	}

	var state, plan clientKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !state.Active.IsNull() && !state.Active.ValueBool() {
		// GitLab has no way to reactivate a key: the only way back to a
		// working DSN is a new key.
		resp.Diagnostics.AddAttributeWarning(path.Root("active"), "Client key deactivated outside Terraform",
			fmt.Sprintf("Client key %d of project %q is inactive in GitLab, so its DSN no longer accepts errors. "+
				"GitLab cannot reactivate a key; Terraform will replace it with a new active key (and a new DSN).",
				state.KeyID.ValueInt64(), state.Project.ValueString()))
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("active"), true)...)
		resp.RequiresReplace.Append(path.Root("active"))
		return
	}

	if planProjectSwitch(ctx, r.client, state.Project, plan.Project, resp) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"),
			clientKeyID(plan.Project.ValueString(), state.KeyID.ValueInt64()))...)
	}
}

func (r *clientKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if r.client == nil {
		notConfigured(&resp.Diagnostics)
		return
	}
	var plan clientKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := plan.Project.ValueString()
	key, err := r.client.CreateClientKey(ctx, project)
	if err != nil {
		resp.Diagnostics.Append(apiDiag("create a client key", project, err))
		return
	}
	plan.setKey(project, key)
	tflog.Debug(ctx, "created client key", map[string]any{"project": project, "key_id": key.ID})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *clientKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if r.client == nil {
		return
	}
	st, ok := newRawObject(req.State.Raw)
	if !ok {
		resp.Diagnostics.AddError("Unreadable state", "The client key's state is not an object. This is a bug in the provider; please report it.")
		return
	}
	project, _ := st.str("project")
	keyID, _ := st.int64("key_id")

	// GitLab has no endpoint for one key: the project's list is fetched once
	// per run and shared by every key of the project.
	key, err := r.client.ClientKey(ctx, project, keyID)
	if err != nil {
		if gitlab.KindOf(err) == gitlab.KindProjectNotFound {
			tflog.Warn(ctx, "project gone; removing client key from state", map[string]any{"project": project, "key_id": keyID})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(apiDiag("list the client keys", project, err))
		return
	}
	if key == nil {
		tflog.Warn(ctx, "client key gone; removing from state", map[string]any{"project": project, "key_id": keyID})
		resp.State.RemoveResource(ctx)
		return
	}
	if stateMatches(st, project, key) {
		return // the response state already holds the prior state
	}
	state := clientKeyResourceModel{Project: types.StringValue(project)}
	state.setKey(project, key)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func stateMatches(st rawObject, project string, k *gitlab.ClientKey) bool {
	id, _ := st.str("id")
	active, activeKnown := st.boolean("active")
	publicKey, _ := st.str("public_key")
	dsn, _ := st.str("sentry_dsn")
	return id == clientKeyID(project, k.ID) && activeKnown && active == k.Active && publicKey == k.PublicKey && dsn == k.SentryDSN
}

// Update only ever sees a switch between the ID and the path of the same
// project (see ModifyPlan): GitLab has no way to change a key.
func (r *clientKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state clientKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Project = plan.Project
	state.ID = types.StringValue(clientKeyID(plan.Project.ValueString(), state.KeyID.ValueInt64()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *clientKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.client == nil {
		notConfigured(&resp.Diagnostics)
		return
	}
	var state clientKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := state.Project.ValueString()
	err := r.client.DeleteClientKey(ctx, project, state.KeyID.ValueInt64())
	if err != nil {
		if k := gitlab.KindOf(err); k == gitlab.KindKeyNotFound || k == gitlab.KindProjectNotFound {
			return
		}
		resp.Diagnostics.Append(apiDiag(fmt.Sprintf("delete client key %d", state.KeyID.ValueInt64()), project, err))
	}
}

func (r *clientKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, keyID, err := parseClientKeyID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("key_id"), keyID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), clientKeyID(project, keyID))...)
}

func (m *clientKeyResourceModel) setKey(project string, k *gitlab.ClientKey) {
	m.ID = types.StringValue(clientKeyID(project, k.ID))
	m.KeyID = types.Int64Value(k.ID)
	m.fromAPI(k)
}

func clientKeyID(project string, keyID int64) string {
	return project + ":" + strconv.FormatInt(keyID, 10)
}

// parseClientKeyID splits "<project>:<key_id>" on the last colon, since a
// project path may itself hold any character but a colon is never in a key id.
func parseClientKeyID(id string) (string, int64, error) {
	const form = `expected "<project>:<key_id>", for example "42:7" or "group/subgroup/project:7"`
	i := strings.LastIndex(id, ":")
	if i < 0 {
		return "", 0, fmt.Errorf("the import ID %q has no colon; %s", id, form)
	}
	project, rawKey := id[:i], id[i+1:]
	if strings.TrimSpace(project) == "" || strings.TrimSpace(project) != project {
		return "", 0, fmt.Errorf("the import ID %q has no project before the colon; %s", id, form)
	}
	keyID, err := strconv.ParseInt(rawKey, 10, 64)
	if err != nil || keyID <= 0 {
		return "", 0, fmt.Errorf("the key id %q in the import ID %q is not a positive whole number; %s", rawKey, id, form)
	}
	return project, keyID, nil
}
