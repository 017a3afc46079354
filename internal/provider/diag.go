package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// apiDiag turns a GitLab failure into one diagnostic with uniform wording: a
// short summary, then what was attempted, on which project, what GitLab
// answered and what to do about it.
func apiDiag(action, project string, err error) diag.Diagnostic {
	answered := answerOf(err)
	attempted := fmt.Sprintf("Could not %s for project %q: %s.", action, project, answered)

	switch gitlab.KindOf(err) {
	case gitlab.KindUnauthorized:
		return diag.NewAttributeErrorDiagnostic(path.Root("token"), "GitLab rejected the token (HTTP 401)",
			attempted+"\n\nThe token is missing, expired or revoked. Set the provider's `token` (or "+envToken+
				") to a valid access token with the `api` scope.")
	case gitlab.KindForbidden:
		return diag.NewErrorDiagnostic("Not allowed to manage error tracking (HTTP 403)",
			attempted+"\n\nManaging error tracking needs the Maintainer role (or Owner) on the project and a token with the `api` scope; "+
				"a token with only `read_api` can read but not change anything. Ask a project Owner to raise the role, or use another token.")
	case gitlab.KindProjectNotFound:
		return diag.NewAttributeErrorDiagnostic(path.Root("project"), "Project not found",
			attempted+"\n\nGitLab has no project with this ID or path that the token's user can see. Check `project`: "+
				"a numeric ID or a full path such as \"group/subgroup/project\", and that the user is a member of it.")
	case gitlab.KindSettingsNotFound:
		return diag.NewAttributeErrorDiagnostic(path.Root("project"), "No error-tracking settings",
			attempted+"\n\nThe project has no error-tracking settings yet. Create them with the gitlab_error_tracking_settings resource, "+
				"or enable error tracking once in the project's Settings > Monitor > Error Tracking page.")
	case gitlab.KindFeatureUnavailable:
		return diag.NewErrorDiagnostic("GitLab cannot create error-tracking settings through its API",
			attempted+"\n\nThe PUT endpoint that creates settings needs GitLab 15.10 or later with the `integrated_error_tracking` "+
				"feature flag enabled for the project (it is off by default on self-managed GitLab). Either ask an administrator "+
				"to enable the flag, or enable error tracking once in the project's Settings > Monitor > Error Tracking page and then run "+
				"`terraform apply` again (or `terraform import` the settings by project).")
	case gitlab.KindStatusError:
		fix := "Nothing was changed on GitLab. Correct the configuration and apply again."
		if lower := strings.ToLower(answered); strings.Contains(lower, "api url") || strings.Contains(lower, "token is a required") {
			fix = "Nothing was changed on GitLab. Sentry mode (`integrated = false`) needs a Sentry API URL and auth token, which can only be " +
				"set in the project's Settings > Monitor > Error Tracking page; set them there first, or use `integrated = true` for GitLab's own error tracking."
		}
		return diag.NewErrorDiagnostic("GitLab refused the change", attempted+"\n\n"+fix)
	case gitlab.KindRateLimited:
		return diag.NewErrorDiagnostic("GitLab kept throttling requests (HTTP 429)",
			attempted+"\n\nRun again later, raise the provider's `retries`, or lower Terraform's -parallelism.")
	case gitlab.KindBadRequest:
		return diag.NewErrorDiagnostic("GitLab rejected the request (HTTP 400)", attempted)
	default:
		return diag.NewErrorDiagnostic("GitLab request failed",
			attempted+"\n\nCheck that `base_url` points at a reachable GitLab instance; transient failures are retried up to `retries` times.")
	}
}

// answerOf says what GitLab answered, without Go error chains a user cannot act on.
func answerOf(err error) string {
	var e *gitlab.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	return e.Error()
}

func configError(err error) diag.Diagnostic {
	msg := err.Error()
	attr := ""
	switch {
	case strings.Contains(msg, "CA"), strings.Contains(msg, "cacert"):
		attr = "cacert_file"
	case strings.Contains(msg, "client key"), strings.Contains(msg, "client_key"):
		attr = "client_key"
	case strings.Contains(msg, "client cert"), strings.Contains(msg, "client_cert"):
		attr = "client_cert"
	}
	if attr == "" {
		return diag.NewErrorDiagnostic("Invalid provider configuration", msg)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Invalid provider configuration",
		fmt.Sprintf("The `%s` setting cannot be used: %s.", attr, msg))
}

func authCheckError(baseURL string, err error) diag.Diagnostic {
	if gitlab.KindOf(err) == gitlab.KindUnauthorized {
		return diag.NewAttributeErrorDiagnostic(path.Root("token"), "GitLab rejected the token (HTTP 401)",
			fmt.Sprintf("GitLab at %s answered 401 Unauthorized to the token check (GET /user): the token is missing, expired or revoked. "+
				"Set the provider's `token` (or %s) to a valid access token with the `api` scope. "+
				"To skip this check, set `early_auth_check = false`.", baseURL, envToken))
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("base_url"), "Cannot reach GitLab",
		fmt.Sprintf("The token check (GET /user) against %s failed: %s. Check `base_url` and the TLS settings "+
			"(`cacert_file`, `insecure`, `client_cert`, `client_key`); to skip this check, set `early_auth_check = false`.", baseURL, answerOf(err)))
}
