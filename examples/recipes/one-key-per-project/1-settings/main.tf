# First apply: the settings alone. Saving them active and integrated makes
# GitLab create a client key by itself.
resource "gitlab_error_tracking_settings" "web" {
  project    = "acme/web-app"
  active     = true
  integrated = true
}
