# Every active key of the project, DSNs included, without storing them in the
# plan or the state.
ephemeral "gitlab_error_tracking_client_keys" "web" {
  project = "acme/web-app"
  active  = true
}

# Hands the DSNs to a program that stores them when this is created; run
# `terraform apply -replace=terraform_data.deliver_dsns` to hand them over again.
resource "terraform_data" "deliver_dsns" {
  provisioner "local-exec" {
    command = "./store-dsns web-app"
    environment = {
      SENTRY_DSNS = join(" ", [for key in ephemeral.gitlab_error_tracking_client_keys.web.keys : key.sentry_dsn])
    }
  }
}
