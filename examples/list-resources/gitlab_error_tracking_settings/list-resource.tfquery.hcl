# The settings of every project of a group that has error tracking set up,
# archived projects included, subgroups left out.
list "gitlab_error_tracking_settings" "acme" {
  provider = gitlab
  limit    = 1000 # Terraform stops at 100 results by default
  config {
    group             = "acme"
    include_subgroups = false
    include_archived  = true
  }
}
