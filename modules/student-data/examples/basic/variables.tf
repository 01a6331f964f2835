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

variable "point_in_time_recovery_enabled" {
  description = "Passed to the module."
  type        = bool
  default     = true
}

variable "deletion_protection_enabled" {
  description = "Passed to the module (true in prod)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Passed to the module: null lets it create its own CMK."
  type        = string
  default     = null
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
