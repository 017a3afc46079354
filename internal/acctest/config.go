package acctest

import (
	"fmt"
	"strings"

	"github.com/errortracking/terraform-provider-gitlab/internal/provider"
)

// ProviderNamespace and ProviderSource are the provider's registry address
// without the host (provider.Source): the terraform block of every test
// configuration names it, and the harness serves the provider under it on
// either registry host.
const (
	ProviderNamespace = provider.Namespace
	ProviderSource    = provider.Source
)

// ProviderOption changes the provider block that Config writes.
type ProviderOption func(*providerBlock)

type providerBlock struct {
	baseURL string
	token   *string // nil: no token attribute, the provider reads GITLAB_TOKEN
	attrs   []string
	echo    string // with Echo: the echo provider's data
}

// Token sets the provider's token attribute; "" writes an empty token.
// Without it, the block holds the Env's maintainer token.
func Token(token string) ProviderOption {
	return func(p *providerBlock) { p.token = &token }
}

// TokenFromEnvironment leaves the token attribute out, so that the provider
// reads GITLAB_TOKEN.
func TokenFromEnvironment() ProviderOption {
	return func(p *providerBlock) { p.token = nil }
}

// BaseURL points the provider at another GitLab than the Env's, given as a
// user would write base_url.
func BaseURL(url string) ProviderOption {
	return func(p *providerBlock) { p.baseURL = url }
}

// ProviderAttrs adds provider attributes, given as HCL.
func ProviderAttrs(hcl string) ProviderOption {
	return func(p *providerBlock) { p.attrs = append(p.attrs, hcl) }
}

// Echo adds terraform-plugin-testing's echo provider (EchoProviderFactories
// serves it), configured with data, an expression such as
// "ephemeral.gitlab_error_tracking_client_key.this": a resource "echo" of
// the configuration stores that value when it is created, so that a test
// can check values that Terraform keeps out of the state.
func Echo(data string) ProviderOption {
	return func(p *providerBlock) { p.echo = data }
}

// emptyProviderBlock is the provider block of every example of the
// documentation, configured by GITLAB_TOKEN and GITLAB_BASE_URL.
const emptyProviderBlock = `provider "gitlab" {}`

// Config is a whole test configuration: the terraform block that names the
// provider's source, the provider block for the Env (its instance and
// maintainer token unless opts say otherwise), then body. A body written as
// the documentation writes it, with an empty provider block, has the Env's
// block in its place.
func (e *Env) Config(body string, opts ...ProviderOption) string {
	body = strings.Replace(body, emptyProviderBlock, "", 1)
	token := e.Token
	p := providerBlock{baseURL: e.Instance, token: &token}
	for _, o := range opts {
		o(&p)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `
terraform {
  required_providers {
    gitlab = {
      source = %q
    }
%s  }
}

provider "gitlab" {
  base_url = %q
`, ProviderSource, echoRequirement(p.echo), p.baseURL)
	if p.token != nil {
		fmt.Fprintf(&b, "  token    = %q\n", *p.token)
	}
	for _, a := range p.attrs {
		fmt.Fprintf(&b, "  %s\n", a)
	}
	b.WriteString("}\n")
	if p.echo != "" {
		fmt.Fprintf(&b, "\nprovider \"echo\" {\n  data = %s\n}\n", p.echo)
	}
	b.WriteString(body)
	return b.String()
}

func echoRequirement(data string) string {
	if data == "" {
		return ""
	}
	return fmt.Sprintf("    echo = {\n      source = %q\n    }\n", ProviderNamespace+"/echo")
}
