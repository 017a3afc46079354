# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# A client key that can be rotated without an outage. To rotate it, change
# `rotation` (terraform apply -var rotation=2026-q3), or feed rotation_triggers
# from a time_rotating resource for a rotation on a schedule. Any change of
# rotation_triggers replaces the key: a new key, and a new DSN.
#
# create_before_destroy makes Terraform create the new key first, then update
# everything that uses its DSN (here, the output), and only then delete the
# old key. Without it, the old key is deleted before the new one exists.
# `terraform apply -replace=gitlab_error_tracking_client_key.backend` rotates
# the same way.
variable "rotation" {
  description = "Change to rotate the backend's DSN, for example the quarter."
  type        = string
  default     = "2026-q2"
}

resource "gitlab_error_tracking_client_key" "backend" {
  project           = "acme/web-app"
  rotation_triggers = { rotation = var.rotation }

  lifecycle {
    create_before_destroy = true
  }
}

output "backend_sentry_dsn" {
  value     = gitlab_error_tracking_client_key.backend.sentry_dsn
  sensitive = true
}
