# Passthrough root for the bad-input tests of modules/event-bus: every input is a variable.
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

variable "rules" {
  description = "Passed through."
  type        = any
  default     = {}
}

variable "targets" {
  description = "Passed through."
  type        = any
  default     = {}
}

variable "schemas" {
  description = "Passed through."
  type        = map(string)
  default     = {}
}

module "events" {
  source = "../../../../modules/event-bus"

  name_prefix              = var.name_prefix
  create_kms_key           = false
  manage_sqs_target_policy = false
  archive_enabled          = false
  schema_registry_enabled  = length(var.schemas) > 0
  schemas                  = var.schemas
  rules                    = var.rules
  targets                  = var.targets
}
