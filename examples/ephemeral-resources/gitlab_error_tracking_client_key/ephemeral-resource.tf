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

# Hands the DSN to a program that stores it where the application reads it,
# once per key: a new key_id runs the provisioner again.
resource "terraform_data" "deliver_dsn" {
  triggers_replace = gitlab_error_tracking_client_key.web.key_id

  provisioner "local-exec" {
    command = "./store-dsn web-app"
    environment = {
      SENTRY_DSN = ephemeral.gitlab_error_tracking_client_key.web.sentry_dsn
    }
  }
}
