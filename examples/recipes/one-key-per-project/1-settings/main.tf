# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# First apply: the settings alone. Saving them active and integrated makes
# GitLab create a client key by itself.
resource "gitlab_error_tracking_settings" "web" {
  project    = "acme/web-app"
  active     = true
  integrated = true
}
