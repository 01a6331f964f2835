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

variable "training_package_path" {
  description = "Absolute path to build/lambda/training.zip (built by `make package`)."
  type        = string
}

variable "ranking_package_path" {
  description = "Path to build/lambda/ranking.zip (built by `make package`) for the ranking API."
  type        = string
  default     = "../../../../build/lambda/ranking.zip"
}

variable "ingestion_package_path" {
  description = "Absolute path to build/lambda/ingestion.zip (for the student-data module)."
  type        = string
}

variable "recipe" {
  description = "Passed to the module."
  type        = string
  default     = "aws-user-personalization-v2"
}

variable "deploy_mode" {
  description = "Passed to the module: campaign or batch."
  type        = string
  default     = "batch"
}

variable "min_provisioned_tps" {
  description = "Passed to the module (campaign mode)."
  type        = number
  default     = 1
}

variable "weekly_full_training_day" {
  description = "Passed to the module."
  type        = string
  default     = "SUN"
}

variable "schedule" {
  description = "Passed to the module."
  type = object({
    enabled    = optional(bool, true)
    expression = optional(string, "cron(0 2 * * ? *)")
    timezone   = optional(string, "Asia/Ho_Chi_Minh")
  })
  default  = {}
  nullable = false
}

variable "retry" {
  description = "Passed to the module."
  type = object({
    maximum_retry_attempts       = optional(number, 3)
    maximum_event_age_in_seconds = optional(number, 3600)
  })
  default = {}
}

variable "pipeline_own_key" {
  description = "Let the ranking-pipeline module create its own CMK instead of using the shared example key."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "platform_key_arn" {
  description = "Use this existing key instead of the example's shared key (lets a plan show every policy with known ARNs)."
  type        = string
  default     = null
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
