resource "gitlab_error_tracking_settings" "web" {
  project    = "acme/web-app"
  active     = true
  integrated = true
}

# One key per application, so one can be rotated without the other.
resource "gitlab_error_tracking_client_key" "frontend" {
  project = gitlab_error_tracking_settings.web.project
}

resource "gitlab_error_tracking_client_key" "backend" {
  project = gitlab_error_tracking_settings.web.project
}

# To rotate a key: terraform apply -replace=gitlab_error_tracking_client_key.backend
# (see "Rotating a key" for create_before_destroy, which avoids an outage).
output "backend_sentry_dsn" {
  value     = gitlab_error_tracking_client_key.backend.sentry_dsn
  sensitive = true
}
