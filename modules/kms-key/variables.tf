variable "alias" {
  description = "Alias name without the `alias/` prefix, e.g. `dev-ranking-data`."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "alias must be 1-250 characters of letters, digits, '/', '_' or '-', without the alias/ prefix and not in the reserved aws/ namespace."
  }
}

variable "description" {
  description = "What the key protects (shown in the KMS console)."
  type        = string

  validation {
    condition     = length(var.description) > 0 && length(var.description) <= 8192
    error_message = "description must be 1-8192 characters."
  }
}

variable "deletion_window_in_days" {
  description = "Waiting period before a deleted key is destroyed (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "service_principals" {
  description = <<-EOT
    AWS services allowed to use the key, by statement id. `service` is the principal (e.g.
    `logs.us-east-1.amazonaws.com`, `events.amazonaws.com`); `actions` default to encrypt/decrypt/generate/describe; `conditions` scope the statement
    (e.g. an encryption context); `same_account = true` adds `aws:SourceAccount` = this account.
  EOT
  type = map(object({
    service = string
    actions = optional(list(string), ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"])
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
    same_account = optional(bool, false)
  }))
  default = {}

  validation {
    condition     = alltrue([for sid in keys(var.service_principals) : can(regex("^[A-Za-z0-9]+$", sid))])
    error_message = "service_principals keys are statement ids: letters and digits only."
  }

  validation {
    condition     = alltrue([for s in values(var.service_principals) : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s.service))])
    error_message = "service_principals[*].service must be a service principal such as logs.us-east-1.amazonaws.com."
  }

  validation {
    condition     = alltrue([for s in values(var.service_principals) : length(s.actions) > 0 && alltrue([for a in s.actions : startswith(a, "kms:") && a != "kms:*"])])
    error_message = "service_principals[*].actions must be named kms: actions (no kms:*)."
  }
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
