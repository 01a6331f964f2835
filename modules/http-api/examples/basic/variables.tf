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
  description = "Path to a Lambda package, e.g. build/lambda/publisher.zip (`make package`)."
  type        = string
}

variable "jwt_issuer" {
  description = "JWT issuer (https:// URL): POST /items then takes a JWT. Null: both routes are AWS_IAM."
  type        = string
  default     = null
}
