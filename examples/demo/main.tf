# Project 1: integrated error tracking, managed from scratch. Switching it on
# makes GitLab create a client key of its own; the two below come on top.
resource "gitlab_error_tracking_settings" "web" {
  project    = var.web_project
  active     = true
  integrated = true
}

resource "gitlab_error_tracking_client_key" "frontend" {
  project = gitlab_error_tracking_settings.web.project
}

resource "gitlab_error_tracking_client_key" "backend" {
  project = gitlab_error_tracking_settings.web.project
}

# Project 2: settings someone made in GitLab's UI (a Sentry instance), taken
# over without changing them. `integrated` is left out, so the mode GitLab has
# is kept; on destroy, the settings stay as they were.
import {
  to = gitlab_error_tracking_settings.api
  id = var.api_project
}

resource "gitlab_error_tracking_settings" "api" {
  project    = var.api_project
  active     = true
  on_destroy = "keep"
}

# Every active key of project 1, whoever created it.
data "gitlab_error_tracking_client_keys" "web" {
  project = gitlab_error_tracking_settings.web.project
  active  = true

  depends_on = [
    gitlab_error_tracking_client_key.frontend,
    gitlab_error_tracking_client_key.backend,
  ]
}
