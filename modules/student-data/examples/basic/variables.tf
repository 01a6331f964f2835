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

variable "ingestion_package_path" {
  description = "Absolute path to build/lambda/ingestion.zip (built by `make package`)."
  type        = string
}

variable "point_in_time_recovery" {
  description = "Passed to the module."
  type = object({
    enabled = optional(bool, true)
  })
  # Spelled out rather than {} so that Checkov can evaluate CKV_AWS_28 (PITR on).
  default  = { enabled = true }
  nullable = false
}

variable "deletion_protection" {
  description = "Passed to the module (enabled in prod)."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "kms_key" {
  description = "Passed to the module: arn null lets it create its own CMK."
  type = object({
    arn = optional(string)
  })
  default  = {}
  nullable = false
}

variable "event_rule_arns" {
  description = "Passed to the module: rules allowed to invoke the ingestion function."
  type        = map(string)
  default     = {}
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
