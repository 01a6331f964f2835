# Passthrough root for the policy and bad-input tests of modules/student-notifier.
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

variable "sender_email" {
  description = "Passed through."
  type        = string
  default     = "no-reply@mail.inputs.example"
}

variable "ses_identity_arns" {
  description = "Passed through."
  type        = list(string)
  default = [
    "arn:aws:ses:us-east-1:123456789012:identity/mail.inputs.example",
    "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.inputs.example",
  ]
}

variable "configuration_set_name" {
  description = "Passed through."
  type        = string
  default     = "inputs-student-email"
}

variable "students_table_name" {
  description = "Passed through."
  type        = string
  default     = "inputs-students"
}

variable "students_table_arn" {
  description = "Passed through."
  type        = string
  default     = "arn:aws:dynamodb:us-east-1:123456789012:table/inputs-students"
}

variable "kms_key_arn" {
  description = "Passed through."
  type        = string
  default     = null
}

variable "dead_letter_queue_enabled" {
  description = "Passed through."
  type        = bool
  default     = true
}

module "notifier" {
  source = "../../../../modules/student-notifier"

  name_prefix            = var.name_prefix
  package_path           = var.package_path
  sender_email           = var.sender_email
  ses_identity_arns      = var.ses_identity_arns
  configuration_set_name = var.configuration_set_name
  students_table_name    = var.students_table_name
  students_table_arn     = var.students_table_arn
  kms_key_arn            = var.kms_key_arn

  dead_letter_queue_enabled = var.dead_letter_queue_enabled
}
