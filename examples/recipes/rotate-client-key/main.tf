# A client key that can be rotated without an outage. To rotate it:
#
#   terraform apply -replace=gitlab_error_tracking_client_key.backend
#
# create_before_destroy makes Terraform create the new key first, then update
# everything that uses its DSN (here, the output), and only then delete the
# old key. Without it, the old key is deleted before the new one exists.
resource "gitlab_error_tracking_client_key" "backend" {
  project = "acme/web-app"

  lifecycle {
    create_before_destroy = true
  }
}

output "backend_sentry_dsn" {
  value     = gitlab_error_tracking_client_key.backend.sentry_dsn
  sensitive = true
}
