variable "repository" {
  description = "The GitHub repository (`owner/name`) whose workflows may assume the roles; no other repository can."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.repository))
    error_message = "repository must be `owner/name` without wildcards, e.g. \"acme/student-platform\"."
  }
}

variable "oidc_provider" {
  description = "GitHub's OIDC identity provider (token.actions.githubusercontent.com), one per account: `arn` null creates it, an `arn` reuses the account's existing one."
  type = object({
    arn = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.oidc_provider.arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.oidc_provider.arn))
    error_message = "oidc_provider.arn must be the ARN of the token.actions.githubusercontent.com OIDC provider."
  }
}

variable "state" {
  description = "Where the environments' Terraform state lives: the S3 bucket name (each environment names its object key)."
  type = object({
    bucket = string
  })

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state.bucket))
    error_message = "state.bucket must be an S3 bucket name."
  }
}

variable "environments" {
  description = <<-EOT
    One IAM role per GitHub environment (the map key, e.g. `dev`, `dev-plan`), assumable only
    by this repository's workflow jobs that run in that environment (OIDC `sub` =
    `repo:<repository>:environment:<key>`). `access = "plan"`: read-only (AWS managed
    `ReadOnlyAccess`), reads the state object and may write only its lock file; `access =
    "apply"`: reads and writes the state object and its lock file, plus `policy_arns` (the
    permissions the configuration's resources need; required, `AdministratorAccess` refused).
  EOT
  type = map(object({
    access               = string
    state_key            = string
    policy_arns          = optional(list(string), [])
    max_session_duration = optional(number, 3600)
  }))

  validation {
    condition     = length(var.environments) > 0 && alltrue([for name in keys(var.environments) : can(regex("^[A-Za-z0-9_-]{1,40}$", name))])
    error_message = "environments needs at least one entry, keyed by a GitHub environment name (letters, digits, '-', '_'; at most 40)."
  }
  validation {
    condition     = alltrue([for env in values(var.environments) : contains(["plan", "apply"], env.access)])
    error_message = "environments[*].access must be \"plan\" or \"apply\"."
  }
  validation {
    condition     = alltrue([for env in values(var.environments) : env.access == "plan" || length(env.policy_arns) > 0])
    error_message = "An apply environment needs policy_arns: the permissions its resources need."
  }
  validation {
    condition     = alltrue([for env in values(var.environments) : alltrue([for arn in env.policy_arns : can(regex("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/", arn)) && !endswith(arn, ":policy/AdministratorAccess") && !endswith(arn, ":policy/IAMFullAccess")])])
    error_message = "environments[*].policy_arns must be IAM policy ARNs, and not AdministratorAccess or IAMFullAccess."
  }
  validation {
    condition     = alltrue([for env in values(var.environments) : can(regex("^[A-Za-z0-9!_.*'()/-]+\\.tfstate$", env.state_key)) && !startswith(env.state_key, "/")])
    error_message = "environments[*].state_key must be the state object's key, ending in .tfstate (as in backend.hcl)."
  }
  validation {
    condition     = alltrue([for env in values(var.environments) : env.max_session_duration >= 3600 && env.max_session_duration <= 43200])
    error_message = "environments[*].max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "role_name_prefix" {
  description = "Prefix of the role names: `<prefix>-<environment>`."
  type        = string
  default     = "github"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,20}$", var.role_name_prefix))
    error_message = "role_name_prefix must be 1-20 characters valid in an IAM role name."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary set on every role (recommended for apply roles); null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
