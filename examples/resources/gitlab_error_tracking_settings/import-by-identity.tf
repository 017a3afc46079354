# Terraform 1.12+ and OpenTofu 1.12+: the project's numeric ID, which never
# changes. The import records `project` as the project's full path.
import {
  to       = gitlab_error_tracking_settings.web
  identity = { project_id = 42 }
}
