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

variable "jwt_issuer" {
  description = "JWT issuer (for JWT)."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "JWT audiences (for JWT)."
  type        = list(string)
  default     = []
}

variable "throttling_burst_limit" {
  description = "Burst limit of the default route settings."
  type        = number
  default     = 20
}

variable "throttling_rate_limit" {
  description = "Rate limit of the default route settings."
  type        = number
  default     = 10
}

variable "create_kms_key" {
  description = "Let the module create its key for logs and environment."
  type        = bool
  default     = true
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
