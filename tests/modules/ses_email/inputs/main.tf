# Passthrough root for the bad-input tests of modules/ses-email.
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

variable "domain" {
  description = "Passed through."
  type        = string
  default     = "mail.inputs.example"
}

variable "sender_email" {
  description = "Passed through."
  type        = string
  default     = "no-reply@mail.inputs.example"
}

variable "event_destination" {
  description = "Passed through."
  type        = string
  default     = "none"
}

variable "event_types" {
  description = "Passed through."
  type        = list(string)
  default     = ["BOUNCE", "COMPLAINT"]
}

variable "create_kms_key" {
  description = "Passed through."
  type        = bool
  default     = true
}

variable "mail_from_subdomain" {
  description = "Passed through."
  type        = string
  default     = null
}

module "email" {
  source = "../../../../modules/ses-email"

  name_prefix         = var.name_prefix
  domain              = var.domain
  sender_email        = var.sender_email
  event_destination   = var.event_destination
  event_types         = var.event_types
  create_kms_key      = var.create_kms_key
  mail_from_subdomain = var.mail_from_subdomain
}
