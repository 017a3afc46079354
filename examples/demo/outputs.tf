# No DSN: anyone holding one can send errors to the project, so the demo
# shows which keys there are by their IDs. An application reads its key's
# sentry_dsn from the resource (sensitive), or from the ephemeral resource
# gitlab_error_tracking_client_key.
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
