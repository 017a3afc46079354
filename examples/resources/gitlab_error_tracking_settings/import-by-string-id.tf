# Settings someone already configured in GitLab's UI: the ID is the project.
import {
  to = gitlab_error_tracking_settings.api
  id = "acme/platform/api"
}
