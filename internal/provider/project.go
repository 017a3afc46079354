package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

const projectDescription = "The GitLab project: its numeric ID (`\"42\"`) or its full path (`\"group/subgroup/project\"`). " +
	"Kept in state as configured. Switching between the ID and the path of the same project changes nothing on GitLab."

// projectValidator rejects an empty or blank project, and a path written with
// the URL encoding GitLab's API needs (the provider encodes it itself).
type projectValidator struct{}

func (projectValidator) Description(context.Context) string {
	return "must be a numeric project ID or a full project path such as group/project"
}

func (v projectValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (projectValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	switch {
	case strings.TrimSpace(v) == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid project",
			fmt.Sprintf("`project` = %q is empty. Set it to the project's numeric ID (for example \"42\") or its full path (for example \"group/project\").", v))
	case strings.TrimSpace(v) != v:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid project",
			fmt.Sprintf("`project` = %q has leading or trailing spaces. Remove them: %q.", v, strings.TrimSpace(v)))
	case strings.Contains(strings.ToLower(v), "%2f"):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid project",
			fmt.Sprintf("`project` = %q is URL-encoded. Write the path as it appears in GitLab: %q.", v, strings.ReplaceAll(strings.ReplaceAll(v, "%2F", "/"), "%2f", "/")))
	case strings.HasPrefix(v, "/") || strings.HasSuffix(v, "/") || strings.Contains(v, "//"):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid project",
			fmt.Sprintf("`project` = %q is not a valid path. Use the full path without leading or trailing slashes or empty parts, for example \"group/project\", or the numeric ID.", v))
	}
}

// planProjectSwitch keeps a resource when its `project` changes only between
// the ID and the path of one project; replacing a client key would change the
// DSN every deployed application uses. Both strings are resolved only when they
// differ, so ordinary plans make no extra request.
func planProjectSwitch(ctx context.Context, client gitlab.API, state, plan types.String, resp *resource.ModifyPlanResponse) bool {
	if state.IsNull() || plan.IsNull() || state.Equal(plan) {
		return false
	}
	if plan.IsUnknown() || client == nil {
		resp.RequiresReplace.Append(path.Root("project"))
		return false
	}
	same, err := sameProject(ctx, client, state.ValueString(), plan.ValueString())
	if err != nil {
		// The old project may be gone; a replacement is then the honest plan.
		resp.RequiresReplace.Append(path.Root("project"))
		return false
	}
	if !same {
		resp.RequiresReplace.Append(path.Root("project"))
		return false
	}
	return true
}

func sameProject(ctx context.Context, client gitlab.API, a, b string) (bool, error) {
	if a == b {
		return true, nil
	}
	pa, err := client.Project(ctx, a)
	if err != nil {
		return false, err
	}
	pb, err := client.Project(ctx, b)
	if err != nil {
		return false, err
	}
	return pa.ID == pb.ID, nil
}

// providerClient extracts the client from provider data, guarding a nil or
// wrong-typed value exactly as the framework's scaffolding does.
func providerClient(data any, diags *diag.Diagnostics) (gitlab.API, bool) {
	if data == nil {
		return nil, false
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil, false
	}
	return pd.client, true
}

// notConfigured is the error for a write attempted while the provider
// configuration is still unknown, which Terraform does not normally allow.
func notConfigured(diags *diag.Diagnostics) {
	diags.AddError("Provider not configured",
		"The gitlab provider's configuration was not known when this operation ran. Make sure `token` and `base_url` are known before apply.")
}
