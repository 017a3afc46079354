package provider

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
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
		// Not an attribute error: Terraform would quote the configuration
		// line of `token`, which may hold the token itself.
		return diag.NewErrorDiagnostic("GitLab rejected the token (HTTP 401)",
			attempted+"\n\nThe token is missing, expired or revoked. Set the provider's `token` (or "+envToken+
				") to a valid access token with the `api` scope.")
	case gitlab.KindForbidden:
		if strings.Contains(answered, "insufficient_scope") {
			return diag.NewErrorDiagnostic("Not allowed to manage error tracking (HTTP 403)",
				attempted+"\n\nThe token's scopes do not allow this: a token with only `read_api` can read but not change anything. "+
					"Set the provider's `token` to a token with the `api` scope, of a user with the Maintainer role on the project.")
		}
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
	}
	if e, ok := asAPIError(err); ok && e.StatusCode >= 500 {
		fix := "GitLab answered with a server error on every attempt."
		if strings.HasPrefix(e.Message, "<") {
			fix = "The answer was an HTML page, not GitLab's JSON: a proxy or load balancer in front of GitLab failed on every attempt."
		}
		return diag.NewErrorDiagnostic(fmt.Sprintf("GitLab kept failing (HTTP %d)", e.StatusCode),
			attempted+"\n\n"+fix+" Run the command again once GitLab is healthy, or raise the provider's `retries`.")
	}
	switch {
	case untrustedCertificate(err):
		return diag.NewErrorDiagnostic("GitLab's TLS certificate is not trusted",
			attempted+"\n\nSet the provider's `cacert_file` to the PEM file of the CA that signed GitLab's certificate; "+
				"`insecure = true` skips the verification, for test instances only.")
	case rejectedByPeer(err):
		return diag.NewErrorDiagnostic("GitLab refused the TLS connection",
			attempted+"\n\nGitLab, or a proxy in front of it, ended the TLS handshake: it requires a client certificate it trusts. "+
				"Set the provider's `client_cert` and `client_key`.")
	}
	return diag.NewErrorDiagnostic("GitLab request failed",
		attempted+"\n\nCheck that `base_url` points at a reachable GitLab instance; transient failures are retried up to `retries` times.")
}

func asAPIError(err error) (*gitlab.Error, bool) {
	var e *gitlab.Error
	ok := errors.As(err, &e)
	return e, ok
}

// answerOf says what GitLab answered, without Go error chains a user cannot act on.
func answerOf(err error) string {
	if e, ok := asAPIError(err); ok {
		return e.Error()
	}
	return err.Error()
}

// configError reports a TLS setting that cannot be used, on that setting.
func configError(err error) diag.Diagnostic {
	var ce *gitlab.ConfigError
	if !errors.As(err, &ce) {
		return diag.NewErrorDiagnostic("Invalid provider configuration", err.Error()+".")
	}
	fix := "Set `client_cert` and `client_key` to the paths of a readable PEM client certificate and of its PEM private key."
	if ce.Setting == "cacert_file" {
		fix = "Set `cacert_file` to the path of a readable PEM file with the certificate of the CA that signed GitLab's certificate, " +
			"or remove it to trust the system's CAs."
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(ce.Setting), "Invalid provider configuration",
		fmt.Sprintf("`%s` = %q cannot be used: %s.\n\n%s", ce.Setting, ce.Value, err, fix))
}

// authCheckError reports a failed token check (GET /user) at configure
// time, on the setting most likely at fault. tokenSource says where the
// token came from; the token itself is never repeated.
func authCheckError(cfg gitlab.Config, tokenSource string, err error) diag.Diagnostic {
	check := fmt.Sprintf("The token check (GET /user) against %s failed: %s.", cfg.BaseURL, answerOf(err))
	skip := " To skip this check, set `early_auth_check = false`."
	switch {
	case gitlab.KindOf(err) == gitlab.KindUnauthorized:
		// Not an attribute error: Terraform would quote the configuration
		// line of `token`, which may hold the token itself.
		return diag.NewErrorDiagnostic("GitLab rejected the token (HTTP 401)",
			fmt.Sprintf("GitLab at %s answered 401 Unauthorized to the token check (GET /user): the token from %s is missing, expired or revoked. "+
				"Set the provider's `token` (or %s) to a valid access token with the `api` scope.%s", cfg.BaseURL, tokenSource, envToken, skip))
	case untrustedCertificate(err):
		trusted := "the system's trusted CAs"
		if cfg.CACertFile != "" {
			trusted = fmt.Sprintf("the CA in `cacert_file` = %q", cfg.CACertFile)
		}
		return diag.NewAttributeErrorDiagnostic(path.Root("cacert_file"), "GitLab's TLS certificate is not trusted",
			fmt.Sprintf("%s\n\nThe certificate GitLab presented could not be verified against %s. Set `cacert_file` to the PEM file of the CA "+
				"that signed GitLab's certificate (and check that `base_url` names the host the certificate is for); `insecure = true` "+
				"skips the verification, for test instances only.", check, trusted))
	case rejectedByPeer(err):
		detail := "GitLab, or a proxy in front of it, ended the TLS handshake: it requires a client certificate it trusts. "
		if cfg.ClientCert == "" {
			detail += "Set `client_cert` and `client_key` to the PEM client certificate and key issued for this."
		} else {
			detail += fmt.Sprintf("It refused `client_cert` = %q: use a certificate issued by a CA the server trusts.", cfg.ClientCert)
		}
		return diag.NewAttributeErrorDiagnostic(path.Root("client_cert"), "GitLab refused the TLS connection", check+"\n\n"+detail)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("base_url"), "Cannot reach GitLab",
		check+" Check `base_url` and the TLS settings (`cacert_file`, `insecure`, `client_cert`, `client_key`)."+skip)
}

// untrustedCertificate reports a server certificate that failed verification.
func untrustedCertificate(err error) bool {
	var (
		verification     *tls.CertificateVerificationError
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
	)
	return errors.As(err, &verification) || errors.As(err, &unknownAuthority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// rejectedByPeer reports a TLS alert from the server, which is how a server
// that requires a client certificate refuses a client without a good one.
func rejectedByPeer(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "remote error"
}
