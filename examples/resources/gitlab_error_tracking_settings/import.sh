# The import ID is the project: its full path or its numeric ID.
terraform import gitlab_error_tracking_settings.api acme/platform/api
terraform import gitlab_error_tracking_settings.web 42
