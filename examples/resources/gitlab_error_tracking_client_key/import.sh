# The import ID is <project>:<key_id>; the project is a full path or a numeric
# ID. Find key IDs with the gitlab_error_tracking_client_keys data source or
# GET /projects/:id/error_tracking/client_keys.
terraform import gitlab_error_tracking_client_key.backend acme/web-app:17
terraform import gitlab_error_tracking_client_key.frontend 42:16
