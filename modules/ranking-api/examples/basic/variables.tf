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

variable "package_path" {
  description = "Absolute path to build/lambda/ranking.zip (built by `make package`)."
  type        = string
}

variable "deploy_mode" {
  description = "Passed to the module: campaign or batch."
  type        = string
  default     = "batch"
}

variable "recipe" {
  description = "Passed to the module."
  type        = string
  default     = "aws-user-personalization-v2"
}

variable "authorization_type" {
  description = "Passed to the module: NONE, AWS_IAM or JWT."
  type        = string
  default     = "AWS_IAM"
}

variable "jwt_issuer" {
  description = "Passed to the module (JWT only)."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Passed to the module (JWT only)."
  type        = list(string)
  default     = []
}

variable "throttling_burst_limit" {
  description = "Passed to the module."
  type        = number
  default     = 40
}

variable "throttling_rate_limit" {
  description = "Passed to the module."
  type        = number
  default     = 15
}

variable "fallback_limit" {
  description = "Passed to the module."
  type        = number
  default     = 10
}

variable "timeout" {
  description = "Passed to the module."
  type        = number
  default     = 10
}

variable "kms_key_arn" {
  description = "Passed to the module: null lets it create its own CMK."
  type        = string
  default     = null
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
