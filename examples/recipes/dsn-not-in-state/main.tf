# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# A key whose DSN stays out of the state: sentry_dsn and public_key are null
# there. Applications get the DSN from the ephemeral resource
# gitlab_error_tracking_client_key, by key_id, which Terraform never stores.
# A key deleted or deactivated in GitLab is still found by its key_id.
resource "gitlab_error_tracking_client_key" "backend" {
  project   = "acme/web-app"
  store_dsn = false
}

output "backend_key_id" {
  value = gitlab_error_tracking_client_key.backend.key_id
}
