# The DSNs are sensitive (anyone holding one can send errors to the project);
# a demo shows them.
output "web_dsns" {
  description = "DSN of each client key Terraform manages, to configure in the Sentry SDK of each application."
  value = {
    frontend = nonsensitive(gitlab_error_tracking_client_key.frontend.sentry_dsn)
    backend  = nonsensitive(gitlab_error_tracking_client_key.backend.sentry_dsn)
  }
}

output "web_key_ids" {
  description = "GitLab's IDs of the managed client keys."
  value = {
    frontend = gitlab_error_tracking_client_key.frontend.key_id
    backend  = gitlab_error_tracking_client_key.backend.key_id
  }
}

output "web_active_key_ids" {
  description = "Every active key of the project, including the one GitLab created itself when error tracking was switched on."
  value       = [for key in data.gitlab_error_tracking_client_keys.web.keys : key.id]
}

output "api_error_tracking" {
  description = "The imported settings of project 2."
  value = {
    active     = gitlab_error_tracking_settings.api.active
    integrated = gitlab_error_tracking_settings.api.integrated
    sentry_url = gitlab_error_tracking_settings.api.sentry_external_url
  }
}
