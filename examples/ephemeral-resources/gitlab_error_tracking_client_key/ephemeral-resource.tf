# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

resource "gitlab_error_tracking_client_key" "web" {
  project = "acme/web-app"
}

# The key's DSN, read on every plan and apply and never stored in the plan or
# the state. Naming the resource's key_id reads the new key as soon as a
# rotation replaces it.
ephemeral "gitlab_error_tracking_client_key" "web" {
  project = gitlab_error_tracking_client_key.web.project
  key_id  = gitlab_error_tracking_client_key.web.key_id
}

# Writes the DSN to a file that only its owner can read, once per key: a new
# key_id runs the provisioner again. Any command can take the DSN this way.
resource "terraform_data" "deliver_dsn" {
  triggers_replace = gitlab_error_tracking_client_key.web.key_id

  provisioner "local-exec" {
    command = "umask 077 && printf '%s' \"$SENTRY_DSN\" > web-app.dsn"
    environment = {
      SENTRY_DSN = ephemeral.gitlab_error_tracking_client_key.web.sentry_dsn
    }
  }
}
