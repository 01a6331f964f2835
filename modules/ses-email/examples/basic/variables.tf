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

variable "domain" {
  description = "Sending domain."
  type        = string
  default     = "mail.example.edu.vn"
}

variable "sender_email" {
  description = "From address."
  type        = string
  default     = "no-reply@mail.example.edu.vn"
}

variable "route53_zone" {
  description = "Create a Route 53 zone for the domain and let the module write the DKIM / MAIL FROM records into it."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "mail_from_subdomain" {
  description = "Custom MAIL FROM subdomain, or null."
  type        = string
  default     = "bounce"
}

variable "dkim_signing_key_length" {
  description = "Easy DKIM key length (null: SES default; the emulator needs null)."
  type        = string
  default     = "RSA_2048_BIT"
}

variable "tags" {
  description = "Tags of the module's resources (the emulator cannot tag SES identities: tests pass {})."
  type        = map(string)
  default     = { example = "ses-email" }
}

variable "configuration_set" {
  description = "Passed to the module: enabled = false uses no configuration set (the emulator cannot read one back: tests disable it); event_destination sns, eventbridge or none."
  type = object({
    enabled           = optional(bool, true)
    event_destination = optional(string, "sns")
  })
  default  = {}
  nullable = false
}
