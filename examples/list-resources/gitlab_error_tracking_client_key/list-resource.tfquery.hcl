# Every active key of every project of a group and its subgroups:
# terraform query -generate-config-out=generated.tf writes an import block
# and a resource block for each.
list "gitlab_error_tracking_client_key" "acme" {
  provider = gitlab
  limit    = 1000 # Terraform stops at 100 results by default
  config {
    group  = "acme"
    active = true
  }
}

# The keys of named projects, by full path or numeric ID.
list "gitlab_error_tracking_client_key" "some" {
  provider = gitlab
  config {
    projects = ["acme/web-app", "42"]
  }
}
