package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/net/http/httpguts"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Validators run at `terraform validate`, before any request: they reject
// what the value alone shows to be wrong, naming the value and the fix.

// stringCheck is a string validator that judges the value alone: problem
// returns what is wrong with it and what to do, or "" when it is fine.
type stringCheck struct {
	description string
	summary     string
	problem     func(v string) string
}

func (c stringCheck) Description(context.Context) string             { return c.description }
func (c stringCheck) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if detail := c.problem(req.ConfigValue.ValueString()); detail != "" {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, detail)
	}
}

// projectValidator rejects an empty or blank project, and a path written with
// the URL encoding GitLab's API needs (the provider encodes it itself).
func projectValidator() validator.String {
	return stringCheck{
		description: "must be a numeric project ID or a full project path such as group/project",
		summary:     "Invalid project",
		problem:     projectProblem,
	}
}

// projectProblem says what is wrong with a project, as configured or as
// given in an import ID (the same words for both), or "" when nothing is.
func projectProblem(v string) string {
	if kind, path, ok := pastedURL(v); ok && strings.TrimSpace(v) == v {
		return urlProblem("project", v, kind, path, "group/project")
	}
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Sprintf("`project` = %q is empty. Set it to the project's numeric ID (for example \"42\") or its full path (for example \"group/project\").", v)
	case strings.TrimSpace(v) != v:
		return fmt.Sprintf("`project` = %q has leading or trailing spaces. Remove them: %q.", v, strings.TrimSpace(v))
	case strings.Contains(strings.ToLower(v), "%2f"):
		return fmt.Sprintf("`project` = %q is URL-encoded. Write the path as it appears in GitLab: %q.", v, strings.ReplaceAll(strings.ReplaceAll(v, "%2F", "/"), "%2f", "/"))
	case strings.Contains(v, ":"):
		return fmt.Sprintf("`project` = %q is not a project: a GitLab path has no colon, and \"<project>:<key_id>\" is the ID of a client key. "+
			"Use the project alone: %q.", v, v[:strings.LastIndex(v, ":")])
	case strings.HasPrefix(v, "/") || strings.HasSuffix(v, "/") || strings.Contains(v, "//"):
		return fmt.Sprintf("`project` = %q is not a valid path. Use the full path without leading or trailing slashes or empty parts, for example \"group/project\", or the numeric ID.", v)
	}
	return ""
}

// baseURLValidator rejects a base_url that cannot name a GitLab API root at
// validate time, so `terraform validate` already shows the mistake.
func baseURLValidator() validator.String {
	return stringCheck{
		description: "must be an http(s) URL of a GitLab instance, optionally ending in /api/v4",
		summary:     "Invalid GitLab base URL",
		problem: func(v string) string {
			if _, err := gitlab.NormalizeBaseURL(v); err != nil {
				return fmt.Sprintf("`base_url` = %q cannot be used: %s.", v, err)
			}
			return ""
		},
	}
}

// requestTimeoutValidator rejects a request_timeout that is not a positive
// duration at validate time.
func requestTimeoutValidator() validator.String {
	return stringCheck{
		description: `must be a positive duration such as "60s" or "2m"`,
		summary:     "Invalid request_timeout",
		problem: func(v string) string {
			if _, err := parseRequestTimeout(v); err != nil {
				return fmt.Sprintf("`request_timeout` = %q %s. Write a positive duration with its unit, such as \"60s\", \"90s\" or \"2m\".", v, err)
			}
			return ""
		},
	}
}

// parseRequestTimeout reads request_timeout; the error completes
// "`request_timeout` = "…" ".
func parseRequestTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	switch {
	case err != nil:
		return 0, errors.New("is not a duration")
	case d <= 0:
		return 0, errors.New("is not positive: it is how long one attempt may wait for GitLab")
	}
	return d, nil
}

// pairedWith rejects client_cert without client_key and the reverse at
// validate time: one is useless without the other.
type pairedWith struct {
	other string
	what  string // what the other attribute must hold
}

func (v pairedWith) Description(context.Context) string {
	return "requires `" + v.other + "`"
}

func (v pairedWith) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v pairedWith) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var other types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.other), &other)...)
	if resp.Diagnostics.HasError() || !other.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Incomplete client certificate",
		fmt.Sprintf("`%s` = %q is set but `%s` is not: a client certificate is sent only together with its private key. "+
			"Also set `%s` to %s, or remove `%s`.", req.Path, req.ConfigValue.ValueString(), v.other, v.other, v.what, req.Path))
}

// headersValidator rejects at validate time what Go's HTTP client would
// refuse to send on every attempt.
type headersValidator struct{}

func (headersValidator) Description(context.Context) string {
	return "keys must be HTTP header names; values must not contain line breaks"
}

func (v headersValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (headersValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for name, value := range req.ConfigValue.Elements() {
		if !httpguts.ValidHeaderFieldName(name) {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(name), "Invalid header name",
				fmt.Sprintf("`headers` has the key %q, which is not an HTTP header name. Use only letters, digits and "+
					"characters such as - and _, without spaces or a colon, for example \"X-Proxy-Auth\".", name))
			continue
		}
		// The value is not repeated: headers often carry credentials.
		if s, ok := value.(types.String); ok && !s.IsUnknown() && strings.ContainsAny(s.ValueString(), "\r\n") {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(name), "Invalid header value",
				fmt.Sprintf("The value of `headers` key %q contains a line break, which an HTTP header cannot hold. Remove it.", name))
		}
	}
}
