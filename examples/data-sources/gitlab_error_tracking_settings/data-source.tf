# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

data "gitlab_error_tracking_settings" "api" {
  project = "acme/platform/api"
}

output "api_error_tracking" {
  value = {
    active     = data.gitlab_error_tracking_settings.api.active
    integrated = data.gitlab_error_tracking_settings.api.integrated
    sentry_url = data.gitlab_error_tracking_settings.api.sentry_external_url
  }
}
