// Package standin serves the small providers that stand in for another one
// in the repository's tests and benchmark (internal/acctest/officialgitlab,
// internal/cmd/bench/floorprovider): a fixed type name and version, a
// provider schema that is accepted and ignored, fixed resources, no data
// sources. Each is only ever used through a dev_overrides CLI configuration.
package standin

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Provider is a provider with nothing to configure.
type Provider struct {
	Address  string // the registry address it is served under: registry.terraform.io/ns/name
	TypeName string // "gitlab": the prefix of its resource type names
	Version  string
	// Attributes are the provider block's; their values are ignored.
	Attributes   map[string]schema.Attribute
	NewResources []func() resource.Resource
}

var _ provider.Provider = Provider{}

// Main serves p as a provider binary's main function does: with -debug,
// for debuggers like delve.
func Main(p Provider) {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return p },
		providerserver.ServeOpts{Address: p.Address, Debug: debug})
	if err != nil {
		log.Fatal(err.Error())
	}
}

func (p Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.TypeName
	resp.Version = p.Version
}

func (p Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: p.Attributes}
}

func (Provider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (p Provider) Resources(context.Context) []func() resource.Resource { return p.NewResources }

func (Provider) DataSources(context.Context) []func() datasource.DataSource { return nil }
