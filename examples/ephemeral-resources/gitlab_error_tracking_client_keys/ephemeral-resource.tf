# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# Every active key of the project, DSNs included, without storing them in the
# plan or the state.
ephemeral "gitlab_error_tracking_client_keys" "web" {
  project = "acme/web-app"
  active  = true
}

# Writes the DSNs to a file, one a line, when this is created; run
# `terraform apply -replace=terraform_data.deliver_dsns` to write them again.
resource "terraform_data" "deliver_dsns" {
  provisioner "local-exec" {
    command = "umask 077 && printf '%s\\n' $SENTRY_DSNS > web-app.dsns"
    environment = {
      SENTRY_DSNS = join(" ", [for key in ephemeral.gitlab_error_tracking_client_keys.web.keys : key.sentry_dsn])
    }
  }
}
