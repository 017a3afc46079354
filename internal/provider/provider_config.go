package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// The provider's configuration: its schema, and Configure, which turns the
// configuration (and the environment variables its attributes default to,
// names.go) into the GitLab client that every resource, data source, list
// and ephemeral resource of the run shares (provider_data.go).

// providerConfig is what the provider knows besides its configuration
// block: its version and the test's or benchmark's change to the client
// settings (WithClientConfig).
type providerConfig struct {
	version      string
	clientConfig func(*gitlab.Config)
}

const (
	defaultRetries = 10
	// defaultRequestTimeout is gitlab.DefaultRequestTimeout as the
	// attribute is written.
	defaultRequestTimeout = "60s"
)

type providerModel struct {
	Token          types.String `tfsdk:"token"`
	BaseURL        types.String `tfsdk:"base_url"`
	CACertFile     types.String `tfsdk:"cacert_file"`
	Insecure       types.Bool   `tfsdk:"insecure"`
	ClientCert     types.String `tfsdk:"client_cert"`
	ClientKey      types.String `tfsdk:"client_key"`
	Headers        types.Map    `tfsdk:"headers"`
	Retries        types.Int64  `tfsdk:"retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	EarlyAuthCheck types.Bool   `tfsdk:"early_auth_check"`
}

func (c *providerConfig) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages GitLab error tracking: per project, whether error tracking is on and in which mode, " +
			"and which client keys (Sentry DSNs) exist. Attribute and environment variable names are those of the official GitLab provider.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: "A GitLab personal, group or project access token with the `api` scope, of a user with at least the Maintainer role " +
					"on the managed projects. Sent as the `PRIVATE-TOKEN` header. Defaults to the `" + envToken + "` environment variable. " +
					"White space around the token (the line end of `file(\"token.txt\")`) is ignored.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "The GitLab instance, with or without the `/api/v4` suffix and the trailing slash, for example " +
					"`https://gitlab.example.com`. Defaults to the `" + envBaseURL + "` environment variable, then to `" + gitlab.DefaultBaseURL + "`.",
				Optional:   true,
				Validators: []validator.String{baseURLValidator()},
			},
			"cacert_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM file of the certificate authorities that GitLab's certificate is verified against, instead of the system's trusted CAs, for an instance with a private CA.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip TLS certificate verification. Defaults to `false`; use only for testing.",
				Optional:            true,
			},
			"client_cert": pairedPathAttr("Path to a PEM client certificate for mutual TLS. Requires `client_key`.",
				pairedWith{other: "client_key", what: "the PEM private key of this certificate"}),
			"client_key": pairedPathAttr("Path to the PEM private key of `client_cert`. Requires `client_cert`.",
				pairedWith{other: "client_cert", what: "the PEM certificate of this key"}),
			"headers": schema.MapAttribute{
				MarkdownDescription: "Extra HTTP headers sent with every request, for example for a proxy in front of GitLab.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Map{headersValidator{}},
			},
			"retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times an idempotent request (GET, PUT, PATCH, DELETE) is retried after a `429`, a `5xx` "+
					"or a connection lost before the answer, with exponential backoff that honours `Retry-After`. Defaults to `%d`; `0` disables retries. "+
					"A connection that cannot be made is tried at most 3 times whatever this says; TLS failures, a plain-HTTP server "+
					"and an unknown host are not retried. Creating a client key is retried only when GitLab certainly did not run it.", defaultRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one attempt of a request may wait for GitLab: for the answer to begin, and then for each further part of it " +
					"(an answer that stops halfway, such as on a connection dropped by a NAT). A duration such as `\"90s\"` or `\"2m\"`; defaults to `\"" +
					defaultRequestTimeout + "\"`, GitLab's own limit on a request. An attempt that times out is tried at most 3 times in all, whatever `retries` says; " +
					"creating a client key is then resolved as for a lost answer.",
				Optional:   true,
				Validators: []validator.String{requestTimeoutValidator()},
			},
			"early_auth_check": schema.BoolAttribute{
				MarkdownDescription: "Check the token once when the provider starts (`GET /user`), so that a bad token fails at once with a clear message. " +
					"Defaults to the `" + envEarlyAuthCheck + "` environment variable, then to `true`.",
				Optional: true,
			},
		},
	}
}

func (c *providerConfig) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if configHasUnknown(cfg) {
		// A value comes from a resource not created yet. Terraform calls
		// Configure again at apply time with known values.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		resp.DataSourceData = &providerData{}
		resp.ResourceData = &providerData{conflicts: newPlanConflicts()}
		resp.ListResourceData = &providerData{}
		resp.EphemeralResourceData = &providerData{}
		return
	}

	token, err := gitlab.CleanToken(stringOr(cfg.Token, os.Getenv(envToken)))
	if err != nil {
		resp.Diagnostics.Append(tokenError(sourceOf(cfg.Token, "token", envToken), err))
		return
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing GitLab token",
			"No GitLab token was configured. Set the provider's `token` attribute or the "+envToken+
				" environment variable to an access token with the `api` scope.")
		return
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
	ctx = tflog.MaskMessageStrings(ctx, token)

	rawBaseURL := stringOr(cfg.BaseURL, os.Getenv(envBaseURL))
	baseURL, err := gitlab.NormalizeBaseURL(rawBaseURL)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid GitLab base URL",
			fmt.Sprintf("The base URL %q (from %s) cannot be used: %s.", rawBaseURL, sourceOf(cfg.BaseURL, "base_url", envBaseURL), err))
		return
	}

	earlyAuthCheck := true
	if !cfg.EarlyAuthCheck.IsNull() {
		earlyAuthCheck = cfg.EarlyAuthCheck.ValueBool()
	} else if v := os.Getenv(envEarlyAuthCheck); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("early_auth_check"), "Invalid "+envEarlyAuthCheck,
				fmt.Sprintf("The environment variable %s is %q; set it to true or false.", envEarlyAuthCheck, v))
			return
		}
		earlyAuthCheck = b
	}

	retries := int64(defaultRetries)
	if !cfg.Retries.IsNull() {
		retries = cfg.Retries.ValueInt64()
	}

	requestTimeout, err := parseRequestTimeout(stringOr(cfg.RequestTimeout, defaultRequestTimeout))
	if err != nil {
		// The validator has said so already.
		resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", err.Error())
		return
	}

	headers := map[string]string{}
	resp.Diagnostics.Append(cfg.Headers.ElementsAs(ctx, &headers, false)...)
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg := gitlab.Config{
		Token:      token,
		BaseURL:    baseURL,
		CACertFile: cfg.CACertFile.ValueString(),
		Insecure:   cfg.Insecure.ValueBool(),
		ClientCert: cfg.ClientCert.ValueString(),
		ClientKey:  cfg.ClientKey.ValueString(),
		Headers:    headers,
		Retries:    int(retries),
		UserAgent:  "terraform-provider-gitlab/" + c.version,

		RequestTimeout: requestTimeout,
	}
	if c.clientConfig != nil {
		c.clientConfig(&clientCfg)
	}
	client, err := gitlab.New(ctx, clientCfg)
	if err != nil {
		resp.Diagnostics.Append(configError(err))
		return
	}

	if earlyAuthCheck {
		if err := client.CurrentUser(ctx); err != nil {
			resp.Diagnostics.Append(authCheckError(clientCfg, sourceOf(cfg.Token, "token", envToken), err))
			return
		}
	}

	tflog.Debug(ctx, "configured GitLab client", map[string]any{"base_url": baseURL, "retries": retries})
	data := &providerData{client: client, projects: newRunProjects(), conflicts: newPlanConflicts(), listSlots: newListSlots()}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	resp.EphemeralResourceData = data
}

func configHasUnknown(cfg providerModel) bool {
	return cfg.Token.IsUnknown() || cfg.BaseURL.IsUnknown() || cfg.CACertFile.IsUnknown() ||
		cfg.Insecure.IsUnknown() || cfg.ClientCert.IsUnknown() || cfg.ClientKey.IsUnknown() ||
		cfg.Headers.IsUnknown() || cfg.Retries.IsUnknown() || cfg.RequestTimeout.IsUnknown() || cfg.EarlyAuthCheck.IsUnknown()
}

func stringOr(v types.String, fallback string) string {
	if v.IsNull() || v.IsUnknown() {
		return fallback
	}
	return v.ValueString()
}

func sourceOf(v types.String, attr, env string) string {
	if v.IsNull() {
		return "the " + env + " environment variable"
	}
	return "the `" + attr + "` attribute"
}

// pairedPathAttr is an optional, non-empty file path that needs the
// attribute its pairing names.
func pairedPathAttr(description string, pairing pairedWith) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1), pairing},
	}
}
