package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Import checks that what the ID names exists before Terraform reads it:
// otherwise Terraform says only "Cannot import non-existent remote object".
// The import ID's project is checked with the words of the configuration
// validator (projectProblem). Without a client (the provider configuration
// is not known yet) the checks are left to the apply.

// importSettingsProblem checks the settings import ID, the project, and that
// the project has settings to import.
func importSettingsProblem(ctx context.Context, client gitlab.API, id string) diag.Diagnostics {
	var diags diag.Diagnostics
	if problem := projectProblem(id); problem != "" {
		diags.AddError("Invalid import ID",
			fmt.Sprintf("The import ID %q is not a project: %s Use the project's numeric ID or full path, for example "+
				"`id = \"group/project\"` in an `import` block, or: terraform import gitlab_error_tracking_settings.this group/project "+
				"(tofu import with OpenTofu)", id, problem))
		return diags
	}
	if client == nil {
		return diags
	}
	_, err := client.GetSettings(ctx, id)
	if err == nil {
		return diags
	}
	switch gitlab.KindOf(err) {
	case gitlab.KindProjectNotFound:
		diags.Append(importProjectNotFound(id, err))
		return diags
	case gitlab.KindSettingsNotFound:
		diags.AddError("No error-tracking settings to import",
			fmt.Sprintf("Project %q has no error-tracking settings, so there is nothing to import. Reading them%s.\n\n"+
				"Declare the gitlab_error_tracking_settings resource without importing it: applying it creates the settings.",
				id, answerOf(err)))
		return diags
	}
	diags.Append(apiDiag("import the error-tracking settings", id, err))
	return diags
}

// importKeyProblem checks that the project exists and has the key; when it
// has not, it lists the keys the project has.
func importKeyProblem(ctx context.Context, client gitlab.API, project string, keyID int64) diag.Diagnostics {
	var diags diag.Diagnostics
	if problem := projectProblem(project); problem != "" {
		diags.AddError("Invalid import ID",
			fmt.Sprintf("The import ID %q does not start with a project: %s The ID is \"<project>:<key_id>\", for example \"group/project:7\".",
				clientKeyID(project, keyID), problem))
		return diags
	}
	if client == nil {
		return diags
	}
	key, err := client.ClientKey(ctx, project, keyID)
	switch {
	case err == nil && key != nil:
		return diags
	case gitlab.KindOf(err) == gitlab.KindProjectNotFound:
		diags.Append(importProjectNotFound(project, err))
		return diags
	case err != nil:
		diags.Append(apiDiag("import a client key", project, err))
		return diags
	}
	keys, err := client.ListClientKeys(ctx, project)
	if err != nil {
		diags.Append(apiDiag("list the client keys", project, err))
		return diags
	}
	diags.AddError("No such client key",
		fmt.Sprintf("Project %q has no client key %d, so there is nothing to import. %s "+
			"Import one of these as %q, or declare the key resource without importing it to create a new key.",
			project, keyID, keyIDsOf(keys), project+":<key_id>"))
	return diags
}

func importProjectNotFound(project string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Project not found",
		fmt.Sprintf("GitLab has no project %q that the token's user can see, so there is nothing to import. Reading it%s.\n\n"+
			"Check the import ID: the project's numeric ID or its full path, such as \"group/subgroup/project\"; "+
			"and that the token's user is a member of the project.%s", project, answerOf(err), gitSuffixHint(project)))
}
