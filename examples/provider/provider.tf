terraform {
  required_providers {
    gitlab = {
      source  = "errortracking/gitlab"
      version = "~> 0.1"
    }
  }
}

# Reads GITLAB_TOKEN and GITLAB_BASE_URL (default https://gitlab.com/api/v4/).
provider "gitlab" {}

# Every setting, for a self-managed instance behind a private CA and a proxy
# that wants mutual TLS.
variable "gitlab_token" {
  type      = string
  sensitive = true
}

provider "gitlab" {
  alias = "self_managed"

  token            = var.gitlab_token
  base_url         = "https://gitlab.example.com" # "/api/v4/" is added when missing
  cacert_file      = "/etc/ssl/private-ca.pem"
  insecure         = false
  client_cert      = "/etc/ssl/terraform-client.pem"
  client_key       = "/etc/ssl/terraform-client-key.pem"
  headers          = { "X-Team" = "platform" }
  retries          = 10
  request_timeout  = "60s"
  early_auth_check = true
}
