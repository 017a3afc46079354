package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// providerData is what the provider's Configure hands to every resource and
// data source.
//
// The "no client yet" convention: a nil client means the provider
// configuration was not known when Terraform called (planning with a token or
// a base_url that another resource produces). Terraform configures the
// provider again with known values before it applies, so each operation
// treats a missing client in one of three deliberate ways, each with its own
// helper below:
//
//   - readClient, for a resource's Read (refresh): it returns quietly and the
//     state keeps what it holds, so that such a plan still works.
//   - requireClient, for Create, Update, Delete, a data source's Read, an
//     import by identity (which reads the project's path) and a list
//     block's run: they need GitLab, and fail with the "Provider not
//     configured" diagnostic.
//   - planClient, for ModifyPlan's check that two spellings of `project` name
//     one project: without GitLab that cannot be known, so a replacement is
//     planned, the honest plan until the configuration is known.
//
// The checks that ask GitLab at plan and import time (does the project
// exist, does it have what an import names) use readClient too: without a
// client they are left to the apply.
type providerData struct {
	client gitlab.API
	// projects is what this run learns about projects (run_projects.go);
	// nil without a client.
	projects *runProjects
	// conflicts catches a plan that takes over an object at one address
	// and destroys it at another (plan_conflicts.go).
	conflicts *planConflicts
	// listSlots bounds the list resources' reads in flight (list_fetch.go).
	listSlots listSlots
}

// clientHolder keeps the provider data Configure received; resourceBase,
// projectDataSource (data_source.go) and listBase (list_scope.go) embed it
// with their Configure method.
type clientHolder struct {
	providerData
}

// configure takes the client from provider data, guarding a nil or
// wrong-typed value exactly as the framework's scaffolding does.
func (h *clientHolder) configure(data any, diags *diag.Diagnostics) {
	if data == nil {
		return
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return
	}
	h.providerData = *pd
}

// readClient returns the client for a resource's Read and the plan-time
// checks; ok is false, with no diagnostic, while the provider configuration
// is unknown.
func (h *clientHolder) readClient() (gitlab.API, bool) {
	return h.client, h.client != nil
}

// requireClient returns the client for an operation that needs GitLab; without
// one it adds the not-configured error.
func (h *clientHolder) requireClient(diags *diag.Diagnostics) (gitlab.API, bool) {
	if h.client == nil {
		diags.AddError("Provider not configured",
			"The gitlab provider's configuration was not known when this operation ran. Make sure `token` and `base_url` are known before apply.")
		return nil, false
	}
	return h.client, true
}

// begin is how Create, Delete and a data source's Read start: the client
// (requireClient), the model read from src and its project; false when
// either is missing, with the reasons in diags.
func begin[M any, P projectModelPtr[M]](ctx context.Context, h *clientHolder, diags *diag.Diagnostics, src modelSource) (gitlab.API, M, string, bool) {
	var m M
	client, ok := h.requireClient(diags)
	if !ok || !load(ctx, diags, src, &m) {
		return nil, m, "", false
	}
	return client, m, P(&m).projectRef(), true
}

// planClient returns the client for ModifyPlan's project check; without one
// it plans replacing the resource for its `project`.
func (h *clientHolder) planClient(resp *resource.ModifyPlanResponse) (gitlab.API, bool) {
	if h.client == nil {
		resp.RequiresReplace.Append(path.Root("project"))
		return nil, false
	}
	return h.client, true
}

// managedResource is what every resource of this provider implements.
type managedResource interface {
	resource.ResourceWithConfigure
	resource.ResourceWithModifyPlan
	resource.ResourceWithImportState
	resource.ResourceWithMoveState
	resource.ResourceWithIdentity
}

// resourceBase is embedded by every resource for its name and its Configure.
type resourceBase struct {
	typeName string // after the provider's type name
	clientHolder
}

func (b *resourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.typeName
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.configure(req.ProviderData, &resp.Diagnostics)
}
