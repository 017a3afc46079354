# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# A client key whose DSN is never stored in the state (Terraform 1.10+,
# OpenTofu 1.11+): the resource keeps only key_id, the ephemeral resource
# reads the DSN by key_id on every plan and apply, and a provisioner hands it
# to the application. Changing `rotation` replaces the key, and the new DSN is
# handed over before the old key is deleted.
variable "rotation" {
  description = "Change to rotate the backend's DSN, for example to the quarter."
  type        = string
  default     = "2026-q2"
}

resource "gitlab_error_tracking_client_key" "backend" {
  project           = "acme/web-app"
  store_dsn         = false
  rotation_triggers = { rotation = var.rotation }

  lifecycle {
    create_before_destroy = true
  }
}

ephemeral "gitlab_error_tracking_client_key" "backend" {
  project = gitlab_error_tracking_client_key.backend.project
  key_id  = gitlab_error_tracking_client_key.backend.key_id
}

# The destination here is the env file the application's container reads;
# any command can take its place. A new key_id replaces this resource, which
# runs the command again with the new DSN. The DSN reaches the command in its
# environment, never on a command line, and Terraform does not show the
# command's output.
resource "terraform_data" "backend_dsn" {
  triggers_replace = gitlab_error_tracking_client_key.backend.key_id

  provisioner "local-exec" {
    command = "umask 077 && printf 'SENTRY_DSN=%s\\n' \"$SENTRY_DSN\" > backend.env"
    environment = {
      SENTRY_DSN = ephemeral.gitlab_error_tracking_client_key.backend.sentry_dsn
    }
  }
}
