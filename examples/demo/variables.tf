variable "web_project" {
  description = "Full path (or ID) of the project whose error tracking Terraform switches on: integrated mode, two client keys."
  type        = string
  default     = "demo/web-app"
}

variable "api_project" {
  description = "Full path (or ID) of a project whose error tracking was already set up in GitLab's UI; Terraform imports it."
  type        = string
  default     = "demo/platform/api"
}
