// Package provider implements the Terraform provider for GitLab error tracking.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var (
	_ provider.Provider                       = (*gitlabProvider)(nil)
	_ provider.ProviderWithListResources      = (*gitlabProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*gitlabProvider)(nil)
)

// New returns a constructor of the provider, as providerserver expects.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &gitlabProvider{providerConfig{version: version}}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

// Option adjusts the provider beyond what its configuration block can say.
type Option func(*gitlabProvider)

// WithClientConfig lets a test or a benchmark change the client settings the
// provider configuration resolved to, for example to shorten retry waits.
func WithClientConfig(f func(*gitlab.Config)) Option {
	return func(p *gitlabProvider) { p.clientConfig = f }
}

type gitlabProvider struct{ providerConfig }

func (p *gitlabProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "gitlab"
	resp.Version = p.version
}

func (p *gitlabProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newSettingsResource,
		newClientKeyResource,
	}
}

func (p *gitlabProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newSettingsList,
		newClientKeyList,
	}
}

func (p *gitlabProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newClientKeyEphemeral,
		newClientKeysEphemeral,
	}
}

func (p *gitlabProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newSettingsDataSource,
		newClientKeysDataSource,
	}
}
