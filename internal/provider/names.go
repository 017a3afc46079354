package provider

// The provider's address: Source is its "namespace/name", as a
// configuration's required_providers writes it, and Address the full one on
// the Terraform registry, which the plugin server is started with.
const (
	Namespace = "errortracking"
	Source    = Namespace + "/gitlab"
	Address   = "registry.terraform.io/" + Source
)

// The environment variables that the provider configuration's attributes
// default to, as the official GitLab provider names them.
const (
	envToken          = "GITLAB_TOKEN"
	envBaseURL        = "GITLAB_BASE_URL"
	envEarlyAuthCheck = "GITLAB_EARLY_AUTH_CHECK"
)
