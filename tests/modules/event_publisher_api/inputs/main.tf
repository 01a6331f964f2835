# Passthrough root for the bad-input tests of modules/event-publisher-api.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.34"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "name_prefix" {
  description = "Passed through."
  type        = string
  default     = "inputs"
}

variable "package_path" {
  description = "Passed through."
  type        = string
}

variable "event_bus_arn" {
  description = "Passed through."
  type        = string
  default     = "arn:aws:events:us-east-1:123456789012:event-bus/inputs-bus"
}

variable "authorization_type" {
  description = "Passed through."
  type        = string
  default     = "AWS_IAM"
}

variable "jwt_issuer" {
  description = "Passed through."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Passed through."
  type        = list(string)
  default     = []
}

variable "throttling_rate_limit" {
  description = "Passed through."
  type        = number
  default     = 10
}

variable "timeout" {
  description = "Passed through."
  type        = number
  default     = 10
}

module "api" {
  source = "../../../../modules/event-publisher-api"

  name_prefix           = var.name_prefix
  package_path          = var.package_path
  event_bus_name        = "inputs-bus"
  event_bus_arn         = var.event_bus_arn
  authorization_type    = var.authorization_type
  jwt_issuer            = var.jwt_issuer
  jwt_audience          = var.jwt_audience
  throttling_rate_limit = var.throttling_rate_limit
  timeout               = var.timeout
  create_kms_key        = false
}
