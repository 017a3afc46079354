# Terraform 1.12+ and OpenTofu 1.12+: the project's and the key's numeric IDs.
# The import records `project` as the project's full path.
import {
  to       = gitlab_error_tracking_client_key.frontend
  identity = { project_id = 42, key_id = 16 }
}
