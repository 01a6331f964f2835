variable "region" {
  description = "AWS region to deploy the example into."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Environment prefix for every name, e.g. dev."
  type        = string
  default     = "example"
}

variable "bucket_name" {
  description = "Passed to the module: null derives the name."
  type        = string
  default     = null
}

variable "export_prefix" {
  description = "Passed to the module."
  type        = string
  default     = "personalize/export/"
}

variable "batch_output_prefix" {
  description = "Passed to the module."
  type        = string
  default     = "personalize/batch/"
}

variable "export_expiration_days" {
  description = "Passed to the module."
  type        = number
  default     = 30
}

variable "access_log_bucket" {
  description = "Passed to the module: an existing bucket for access logs, or null."
  type        = string
  default     = null
}

variable "kms_key" {
  description = "Passed to the module: arn null lets it create its own CMK."
  type = object({
    arn = optional(string)
  })
  default  = {}
  nullable = false
}

variable "personalize_access" {
  description = "Passed to the module."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}
