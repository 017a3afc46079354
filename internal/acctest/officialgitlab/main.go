// Command officialgitlab stands in for the official gitlabhq/gitlab provider
// in the migration tests (internal/provider/migrate_test.go). Terraform and
// OpenTofu need every provider named in a state to be installed, and the tests
// run offline, so this provider declares what the official one (v19.2) has for
// error tracking: gitlab_project_error_tracking_settings and
// gitlab_project_error_tracking_client_key at schema version 0, with their
// attributes, flags and sensitivity (docs/guides/migrating-from-gitlabhq-gitlab.md
// lists them), and nothing else.
//
// It never contacts GitLab. Read hands the state back as it is; Create,
// Update and Delete fail, so a test whose recipe would make the official
// provider write or destroy anything fails instead of passing quietly.
//
// It is served as registry.terraform.io/gitlabhq/gitlab (internal/standin)
// and is only ever used through a dev_overrides CLI configuration.
package main

import (
	"context"

	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"

	"github.com/errortracking/terraform-provider-gitlab/internal/standin"
)

func main() { standin.Main(officialProvider) }

var officialProvider = standin.Provider{
	Address:  "registry.terraform.io/gitlabhq/gitlab",
	TypeName: "gitlab",
	Version:  "19.2.1",
	// The two attributes a configuration of the official provider
	// usually sets, so that one written for it is accepted as it is.
	Attributes: map[string]providerschema.Attribute{
		"token":    providerschema.StringAttribute{Optional: true, Sensitive: true},
		"base_url": providerschema.StringAttribute{Optional: true},
	},
	NewResources: []func() resource.Resource{
		func() resource.Resource {
			return standIn{typeName: "_project_error_tracking_settings", schema: settingsSchema()}
		},
		func() resource.Resource {
			return standIn{typeName: "_project_error_tracking_client_key", schema: clientKeySchema()}
		},
	},
}

func settingsSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Stand-in for gitlabhq/gitlab's gitlab_project_error_tracking_settings.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true},
			"project":    schema.StringAttribute{Required: true},
			"active":     schema.BoolAttribute{Required: true},
			"integrated": schema.BoolAttribute{Optional: true, Computed: true},
			"keep_settings_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
			},
			"api_url":             schema.StringAttribute{Computed: true},
			"project_name":        schema.StringAttribute{Computed: true},
			"sentry_external_url": schema.StringAttribute{Computed: true},
		},
	}
}

func clientKeySchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Stand-in for gitlabhq/gitlab's gitlab_project_error_tracking_client_key.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true},
			"project": schema.StringAttribute{
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"active":     schema.BoolAttribute{Computed: true},
			"key_id":     schema.Int64Attribute{Computed: true},
			"public_key": schema.StringAttribute{Computed: true},
			"sentry_dsn": schema.StringAttribute{Computed: true, Sensitive: true},
		},
	}
}

// standIn is one of the official resources: its schema, and no behaviour
// beyond keeping what the state holds.
type standIn struct {
	typeName string
	schema   schema.Schema
}

var _ resource.Resource = standIn{}

func (r standIn) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.typeName
}

func (r standIn) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

// Read leaves resp.State as the framework filled it: the prior state.
func (standIn) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r standIn) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("The gitlabhq/gitlab stand-in does not write", "gitlab"+r.typeName+" would be created.")
}

func (r standIn) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("The gitlabhq/gitlab stand-in does not write", "gitlab"+r.typeName+" would be updated.")
}

func (r standIn) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddError("The gitlabhq/gitlab stand-in does not write", "gitlab"+r.typeName+" would be destroyed.")
}
