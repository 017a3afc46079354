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
