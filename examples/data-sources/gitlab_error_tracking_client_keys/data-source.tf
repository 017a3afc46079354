# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# Every active key of the project, including keys created in GitLab's UI and
# the one GitLab creates when integrated error tracking is switched on.
data "gitlab_error_tracking_client_keys" "web" {
  project = "acme/web-app"
  active  = true
}

output "web_key_ids" {
  value = [for key in data.gitlab_error_tracking_client_keys.web.keys : key.id]
}

output "web_sentry_dsns" {
  value     = { for key in data.gitlab_error_tracking_client_keys.web.keys : key.id => key.sentry_dsn }
  sensitive = true
}
