# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

resource "gitlab_error_tracking_settings" "web" {
  project    = "acme/web-app"
  active     = true
  integrated = true
}

# One key per application, so one can be rotated without the other.
resource "gitlab_error_tracking_client_key" "frontend" {
  project = gitlab_error_tracking_settings.web.project
}

# To rotate a key: terraform apply -replace=gitlab_error_tracking_client_key.backend
# create_before_destroy makes Terraform create the new key first, then update
# everything that uses its DSN (here, the output), and only then delete the
# old key. Without it, the old key is deleted before the new one exists.
resource "gitlab_error_tracking_client_key" "backend" {
  project = gitlab_error_tracking_settings.web.project

  lifecycle {
    create_before_destroy = true
  }
}

output "backend_sentry_dsn" {
  value     = gitlab_error_tracking_client_key.backend.sentry_dsn
  sensitive = true
}
