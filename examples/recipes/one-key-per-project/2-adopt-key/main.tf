# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# Second apply: the key GitLab created is imported instead of a second key
# being created. An import block whose id is an expression needs Terraform
# 1.6 or later; on 1.5, read the key's ID from the data source and write the
# id as a literal, "acme/web-app:<key_id>".
resource "gitlab_error_tracking_settings" "web" {
  project    = "acme/web-app"
  active     = true
  integrated = true
}

data "gitlab_error_tracking_client_keys" "web" {
  project = "acme/web-app"
  active  = true
}

import {
  to = gitlab_error_tracking_client_key.web
  id = "acme/web-app:${data.gitlab_error_tracking_client_keys.web.keys[0].id}"
}

resource "gitlab_error_tracking_client_key" "web" {
  project = gitlab_error_tracking_settings.web.project
}
