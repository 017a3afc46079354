# <project>:<key_id>; the project may be a path ("acme/web-app") or an ID ("42").
import {
  to = gitlab_error_tracking_client_key.backend
  id = "acme/web-app:17"
}
