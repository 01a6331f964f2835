variable "repository" {
  description = "GitHub repository (`owner/name`) whose workflows assume the roles."
  type        = string
  default     = "acme/student-platform"
}

variable "state_bucket" {
  description = "S3 bucket holding the environments' state."
  type        = string
  default     = "acme-terraform-state"
}

variable "role_name_prefix" {
  description = "Prefix of the role and policy names."
  type        = string
  default     = "github"
}

variable "oidc_provider_arn" {
  description = "ARN of the account's existing GitHub OIDC provider; null creates one."
  type        = string
  default     = null
}
