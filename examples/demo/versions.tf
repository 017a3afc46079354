terraform {
  # 1.6 for an import block whose id is a variable.
  required_version = ">= 1.6.0"

  required_providers {
    gitlab = {
      source = "errortracking/gitlab"
    }
  }
}

# Token and instance come from GITLAB_TOKEN and GITLAB_BASE_URL.
provider "gitlab" {}
