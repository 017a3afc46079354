// Command floorprovider is the "plugin floor" of the benchmark in
// internal/cmd/bench: a provider built with the same terraform-plugin-framework
// as the real one, with one resource, floor_error_tracking_client_key, whose
// schema is that of gitlab_error_tracking_client_key (same attributes, flags,
// plan modifiers and sensitivity) and which does nothing at all: no API calls,
// Create stores fixed values, Read hands the state back untouched, Delete
// forgets it.
//
// What Terraform and the framework cost per resource is what a plan of N
// floor resources takes; anything the real provider takes above that is its
// own per-resource work (API calls, decoding, plan modification).
//
// It is served as registry.terraform.io/errortracking/floor (type name
// "floor"; internal/standin) and is only ever used through a dev_overrides
// CLI configuration.
package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/standin"
)

func main() { standin.Main(floorProvider) }

var floorProvider = standin.Provider{
	Address:      "registry.terraform.io/errortracking/floor",
	TypeName:     "floor",
	Version:      "0.0.0",
	NewResources: []func() resource.Resource{func() resource.Resource { return clientKey{} }},
}

// clientKey mirrors gitlab_error_tracking_client_key's schema and does nothing.
type clientKey struct{}

var _ resource.Resource = clientKey{}

func (clientKey) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_error_tracking_client_key"
}

// Schema is gitlab_error_tracking_client_key's, attribute for attribute.
func (clientKey) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Benchmark floor: the schema of gitlab_error_tracking_client_key, no behaviour.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project": schema.StringAttribute{
				Required: true,
			},
			"key_id": schema.Int64Attribute{
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"active": schema.BoolAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"public_key": schema.StringAttribute{
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"sentry_dsn": schema.StringAttribute{
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"store_dsn": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"rotation_triggers": schema.MapAttribute{
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
		},
	}
}

// Create stores the plan with fixed values for every computed attribute.
func (clientKey) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var project string
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("project"), &project)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.State.Raw = req.Plan.Raw.Copy()
	for name, value := range map[string]any{
		"id":         project + ":1",
		"key_id":     int64(1),
		"active":     true,
		"public_key": "glet_floor",
		"sentry_dsn": "https://glet_floor@floor.invalid/errortracking/api/v1/projects/1",
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
}

// Read leaves resp.State as the framework filled it: the prior state, not
// even decoded.
func (clientKey) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan as it is (only a change of project gets here).
func (clientKey) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw.Copy()
}

// Delete does nothing; the framework removes the resource from state.
func (clientKey) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
