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

variable "jwt" {
  description = "Passed to the module (JWT only): issuer and audience."
  type = object({
    issuer   = string
    audience = list(string)
  })
  default = null
}

variable "throttling" {
  description = "Passed to the module."
  type = object({
    burst_limit = optional(number, 40)
    rate_limit  = optional(number, 15)
  })
  default  = {}
  nullable = false
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

variable "kms_key" {
  description = "Passed to the module: arn null lets it create its own CMK."
  type = object({
    arn = optional(string)
  })
  default  = {}
  nullable = false
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
