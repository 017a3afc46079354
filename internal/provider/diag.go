package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// This file words failures. What a GitLab failure means is decided in
// internal/gitlab (gitlab.Kind); here each kind gets one wording, shared by
// resources, data sources and the token check at start-up: a short summary,
// then what was attempted (once), the request, what GitLab answered, and
// what to do about it. An import and a list block word a missing project
// themselves (import.go, list_results.go), since what to check there is the
// import ID or the entry of `projects`.

// apiDiag reports a failed API call of a resource or data source.
func apiDiag(action, project string, err error) diag.Diagnostic {
	return attempt{what: fmt.Sprintf("%s for project %q", action, project), onProject: true, project: project}.diagnostic(err)
}

// authCheckError reports a failed token check (GET /user) at configure
// time, on the provider attribute most likely at fault. tokenSource says
// where the token came from; the token itself is never repeated.
func authCheckError(cfg gitlab.Config, tokenSource string, err error) diag.Diagnostic {
	return attempt{what: "check the token", start: &cfg, tokenSource: tokenSource}.diagnostic(err)
}

// attempt is what the provider was doing when GitLab failed, and what it
// knows there about its configuration.
type attempt struct {
	what string // e.g. `create a client key for project "acme/app"`
	// onProject: a resource or data source, whose `project` may be at fault.
	onProject bool
	project   string // with onProject: as configured
	// start: the token check when the provider starts, whose attributes
	// may be at fault.
	start       *gitlab.Config
	tokenSource string // with start: "the `token` attribute" or the variable
}

// wording is how one failure is put to the user.
type wording struct {
	summary string
	fix     string
	// attr is the attribute at fault, if any: `project`, pointed at in a
	// resource or data source, or a provider attribute, pointed at by the
	// token check at start-up (the only time the provider block is the
	// context).
	attr string
}

func (a attempt) diagnostic(err error) diag.Diagnostic {
	w := a.wording(err)
	detail := "Could not " + a.what + answerOf(err) + "."
	if w.fix != "" {
		detail += "\n\n" + w.fix
	}
	if gitlab.KindOf(err) == gitlab.KindProjectNotFound {
		detail += gitSuffixHint(a.project)
	}
	if a.start != nil {
		detail += " This check runs when the provider starts; `early_auth_check = false` skips it."
	}
	// An attribute is pointed at only in its own context.
	inContext := (w.attr == "project" && a.onProject) || (w.attr != "project" && a.start != nil)
	if w.attr == "" || !inContext {
		return diag.NewErrorDiagnostic(w.summary, detail)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(w.attr), w.summary, detail)
}

// answerOf is the request that failed and what came of it, such as
// " (GET https://…/api/v4/user): 401 Unauthorized".
func answerOf(err error) string {
	var e *gitlab.Error
	if !errors.As(err, &e) {
		return ": " + err.Error()
	}
	return fmt.Sprintf(" (%s): %s", e.Request(), strings.TrimSuffix(e.Answer(), "."))
}

const retryLater = "Run the command again once GitLab is healthy, or raise the provider's `retries`."

// wordings holds the wording of each kind that needs nothing from the
// context; attempt.wording words the others.
var wordings = map[gitlab.Kind]wording{
	gitlab.KindForbidden: {summary: "Not allowed to manage error tracking (HTTP 403)",
		fix: "Managing error tracking needs the Maintainer role (or Owner) on the project and a token with the `api` scope; " +
			"a token with only `read_api` can read but not change anything. Ask a project Owner to raise the role, or use another token."},
	gitlab.KindInsufficientScope: {summary: "Not allowed to manage error tracking (HTTP 403)",
		fix: "The token's scopes do not allow this: a token with only `read_api` can read but not change anything. " +
			"Set the provider's `token` to a token with the `api` scope, of a user with the Maintainer role on the project."},
	gitlab.KindProjectNotFound: {summary: "Project not found", attr: "project",
		fix: "GitLab has no project with this ID or path that the token's user can see. Check `project`: " +
			"a numeric ID or a full path such as \"group/subgroup/project\", and that the user is a member of it."},
	gitlab.KindGroupNotFound: {summary: "Group not found",
		fix: "GitLab has no group with this ID or full path that the token's user can see. Check `group`: a numeric ID or " +
			"a full path such as \"acme/platform\", and that the user is a member of the group or of one of its projects."},
	gitlab.KindSettingsNotFound: {summary: "No error-tracking settings", attr: "project",
		fix: "The project has no error-tracking settings yet. Create them with the gitlab_error_tracking_settings resource, " +
			"or enable error tracking once in the project's Settings > Monitor > Error Tracking page."},
	gitlab.KindFeatureUnavailable: {summary: "GitLab cannot create error-tracking settings through its API",
		fix: "The PUT endpoint that creates settings needs GitLab 15.10 or later with the `integrated_error_tracking` " +
			"feature flag enabled for the project (it is off by default on self-managed GitLab). Either ask an administrator " +
			"to enable the flag, or enable error tracking once in the project's Settings > Monitor > Error Tracking page and then run " +
			"the apply again (or import the settings by project: an `import` block, `terraform import` or `tofu import`)."},
	gitlab.KindKeyNotFound: {summary: "Client key not found",
		fix: "The project has no client key with this ID: it was deleted in GitLab, or the ID is mistyped."},
	gitlab.KindStatusError: {summary: "GitLab refused the change",
		fix: "Nothing was changed on GitLab. Correct the configuration and apply again."},
	gitlab.KindSentryNotConfigured: {summary: "GitLab refused the change",
		fix: "Nothing was changed on GitLab. Sentry mode (`integrated = false`) needs a Sentry API URL and auth token, which can only be " +
			"set in the project's Settings > Monitor > Error Tracking page; set them there first, or use `integrated = true` for GitLab's own error tracking."},
	gitlab.KindBadRequest: {summary: "GitLab rejected the request (HTTP 400)",
		fix: "GitLab refused the request's parameters, so nothing was changed."},
	gitlab.KindRateLimited: {summary: "GitLab kept throttling requests (HTTP 429)",
		fix: "Run again later, raise the provider's `retries`, or lower the apply's `-parallelism`."},
	gitlab.KindTLSFailed: {summary: "TLS connection to GitLab failed", attr: "base_url",
		fix: "The TLS handshake with the server at `base_url` failed. Check that `base_url` names GitLab's HTTPS address and port."},
	gitlab.KindPlainHTTP: {summary: "The server at base_url speaks plain HTTP", attr: "base_url",
		fix: "`base_url` starts with https://, but this server speaks plain HTTP; use http:// (or serve GitLab over HTTPS)."},
	gitlab.KindNotTLS: {summary: "The server at base_url does not speak TLS", attr: "base_url",
		fix: "`base_url` starts with https://, but the server's first bytes were not a TLS handshake. If GitLab is served over plain HTTP " +
			"there, use http://; otherwise check that `base_url` names GitLab's HTTPS port, not another service's."},
	gitlab.KindHostNotFound: {summary: "GitLab's host name does not exist", attr: "base_url",
		fix: "The DNS answered that the host name in `base_url` does not exist. Check its spelling (and, for an internal " +
			"instance, that this machine uses the DNS server that knows it)."},
	gitlab.KindUnreachable: {summary: "Cannot reach GitLab", attr: "base_url",
		fix: "No connection could be made to the address above. Check `base_url` and that GitLab is up and reachable " +
			"from this machine. A connection that cannot be made is tried at most 3 times, however high `retries` is."},
	gitlab.KindNoAnswer: {summary: "GitLab did not answer", attr: "base_url",
		fix: "The connection was made, but it ended before GitLab answered, on every attempt. " + retryLater},
	gitlab.KindTimeout: {summary: "GitLab did not answer within request_timeout", attr: "base_url",
		fix: "The connection was made, but GitLab sent no answer, or stopped in the middle of one, within the provider's `request_timeout` " +
			"on every attempt; a request that times out is tried at most 3 times, however high `retries` is. Check that GitLab is up and " +
			"answering at `base_url`, or raise `request_timeout` for a GitLab that is slow to answer."},
	gitlab.KindInvalidRequest: {summary: "Invalid HTTP header",
		fix: "Nothing was sent. Remove the line break or control character from that value in the provider's `headers`."},
}

// otherFailure words what internal/gitlab could not classify.
var otherFailure = wording{summary: "GitLab request failed", attr: "base_url",
	fix: "Check that `base_url` points at the GitLab API of a reachable instance."}

func (a attempt) wording(err error) wording {
	switch k := gitlab.KindOf(err); k {
	case gitlab.KindForbidden, gitlab.KindInsufficientScope:
		if methodOf(err) == http.MethodGet {
			return readRefused(k)
		}
	case gitlab.KindUnauthorized:
		// Never on an attribute: Terraform would quote the configuration
		// line of `token`, which may hold the token itself.
		token := "The token"
		if a.tokenSource != "" {
			token += " from " + a.tokenSource
		}
		return wording{summary: "GitLab rejected the token (HTTP 401)",
			fix: token + " is missing, expired or revoked. Set the provider's `token` (or " + envToken +
				") to a valid access token with the `api` scope."}
	case gitlab.KindServerError, gitlab.KindProxyError:
		fix := "GitLab answered with a server error on every attempt. "
		if k == gitlab.KindProxyError {
			fix = "The answer was an HTML page, not GitLab's JSON: a proxy or load balancer in front of GitLab failed on every attempt. "
		}
		return wording{summary: fmt.Sprintf("GitLab kept failing (HTTP %d)", statusOf(err)), fix: fix + retryLater}
	case gitlab.KindTLSUntrusted:
		against := ""
		if a.start != nil {
			against = " against the system's trusted CAs"
			if a.start.CACertFile != "" {
				against = fmt.Sprintf(" against the CA in `cacert_file` = %q", a.start.CACertFile)
			}
		}
		return wording{summary: "GitLab's TLS certificate is not trusted", attr: "cacert_file",
			fix: "The certificate GitLab presented could not be verified" + against + ". Set the provider's `cacert_file` to the PEM file " +
				"of the CA that signed GitLab's certificate (and check that `base_url` names the host the certificate is for); " +
				"`insecure = true` skips the verification, for test instances only."}
	case gitlab.KindTLSRejected:
		fix := "Set `client_cert` and `client_key` to the PEM client certificate and key issued for this."
		if a.start != nil && a.start.ClientCert != "" {
			fix = fmt.Sprintf("It refused `client_cert` = %q: use a certificate issued by a CA the server trusts.", a.start.ClientCert)
		}
		return wording{summary: "GitLab refused the TLS connection", attr: "client_cert",
			fix: "GitLab, or a proxy in front of it, ended the TLS handshake: it requires a client certificate it trusts. " + fix}
	case gitlab.KindNotGitLabAPI:
		return wording{summary: "base_url does not point at the GitLab API", attr: "base_url",
			fix: urlOf(err) + " is not GitLab's API. `base_url` is the instance root, such as \"https://gitlab.example.com\", " +
				"or ends in /api/v4, such as \"https://gitlab.example.com/api/v4\"."}
	}
	if w, ok := wordings[gitlab.KindOf(err)]; ok {
		return w
	}
	if w, ok := interruptWordings[gitlab.KindOf(err)]; ok {
		return w
	}
	return otherFailure
}

// readRefused words a read that GitLab refused with 403: unlike a write,
// the role is at fault, not the scope, unless the token cannot read the API
// at all.
func readRefused(k gitlab.Kind) wording {
	if k == gitlab.KindInsufficientScope {
		return wording{summary: "Not allowed to read error tracking (HTTP 403)",
			fix: "The token's scopes do not allow reading GitLab's API. Set the provider's `token` to a token with the `read_api` scope " +
				"(enough for reading) or the `api` scope (needed for changes), of a user with the Maintainer role on the project."}
	}
	return wording{summary: "Not allowed to read error tracking (HTTP 403)",
		fix: "GitLab lets only Maintainers and Owners of a project use its error-tracking API, reads included (the `admin_operations` " +
			"permission), and the token's user has a lower role on this project. The token's scope is not at fault: `read_api` is enough " +
			"for reading. Ask a project Owner to make the user a Maintainer, or use the token of a Maintainer."}
}

func methodOf(err error) string {
	var e *gitlab.Error
	if errors.As(err, &e) {
		return e.Method
	}
	return ""
}

func statusOf(err error) int {
	var e *gitlab.Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

func urlOf(err error) string {
	var e *gitlab.Error
	if errors.As(err, &e) && e.URL != "" {
		return "The URL tried, " + e.URL + ","
	}
	return "The URL tried"
}

// tokenError reports a token that cannot be sent, naming where it came
// from (source) and never the token. Not an attribute error: Terraform
// would quote the configuration line, which may hold the token itself.
func tokenError(source string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid GitLab token",
		fmt.Sprintf("The token from %s %s.\n\nWhite space around the token, such as the line end of a file read with file(), is ignored; "+
			"inside it, nothing but the token may be. Set %s to the token alone, as GitLab showed it when it was created.",
			source, err, source))
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

// interruptWordings word the interrupted requests of every resource and
// data source (attempt.wording); a key create words its own (createKeyDiag).
var interruptWordings = map[gitlab.Kind]wording{
	gitlab.KindNotSent: {summary: "Interrupted",
		fix: "The run was interrupted before this request was sent: it changed nothing in GitLab."},
	gitlab.KindInterrupted: {summary: "Interrupted",
		fix: "The run was interrupted after this request was sent, before GitLab answered. A read changes nothing; " +
			"a change may have been carried out all the same: the next plan's refresh shows what GitLab has."},
}
