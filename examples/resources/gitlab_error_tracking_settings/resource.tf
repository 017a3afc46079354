# Configured by GITLAB_TOKEN and GITLAB_BASE_URL (see the provider's page).
provider "gitlab" {}

# GitLab's integrated error tracking: events go to GitLab itself.
resource "gitlab_error_tracking_settings" "web" {
  project    = "acme/web-app" # or the numeric project ID, "42"
  active     = true
  integrated = true
}

# A project set up with Sentry in GitLab's UI (the Sentry URL and token can
# only be set there): Terraform keeps it switched on and leaves the mode
# alone, and destroying the resource leaves the settings as they are.
resource "gitlab_error_tracking_settings" "api" {
  project    = "acme/platform/api"
  active     = true
  on_destroy = "keep"
}
