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
  description = "Path to build/lambda/publisher.zip (iackit package publisher)."
  type        = string
}

variable "authorization_type" {
  description = "NONE, AWS_IAM or JWT."
  type        = string
  default     = "AWS_IAM"
}

variable "jwt" {
  description = "JWT issuer, audiences and the scopes naming the roles (for JWT)."
  type = object({
    issuer   = string
    audience = list(string)
    scopes = optional(object({
      student = optional(string, "student")
      teacher = optional(string, "teacher")
      admin   = optional(string, "admin")
    }), {})
  })
  default = null
}

variable "throttling" {
  description = "Burst and rate limit of the default route settings."
  type = object({
    burst_limit = optional(number, 20)
    rate_limit  = optional(number, 10)
  })
  default  = {}
  nullable = false
}

variable "kms_key" {
  description = "Passed to the module: enabled = false uses AWS owned keys instead of its own key for logs and environment."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
