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
  description = "Path to build/lambda/notifier.zip (iackit package notifier)."
  type        = string
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

variable "ses_configuration_set" {
  description = "Passed to the ses-email module: enabled = false uses no configuration set (the emulator cannot read one back: tests disable it); event_destination sns, eventbridge or none."
  type = object({
    enabled           = optional(bool, true)
    event_destination = optional(string, "sns")
  })
  default  = {}
  nullable = false
}

variable "ses_dkim_signing_key_length" {
  description = "Easy DKIM key length (null: SES default; the emulator needs null)."
  type        = string
  default     = "RSA_2048_BIT"
}

variable "archive" {
  description = "The bus archive: encrypted_with_cmk = false keeps it on the AWS owned key (the emulator drops the archive key)."
  type = object({
    encrypted_with_cmk = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "students_table" {
  description = "Give the notifier a Students table (else it emails detail.email of enrollments)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "notifier_dead_letter_queue" {
  description = "Give the notifier its DLQ (the emulator keeps no Lambda DeadLetterConfig: tests disable it)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "powertools_layer_arns" {
  description = "Layer ARN(s) with the notifier's dependencies instead of the dependency layer the example publishes (e.g. the AWS-managed Powertools layer of the region); empty publishes build/lambda/python-deps.zip."
  type        = list(string)
  default     = []
}

variable "notifier_kms_key_arn" {
  description = "Customer managed KMS key of the notifier's logs, environment, idempotency table and DLQ; null uses AWS managed keys."
  type        = string
  default     = null
}

variable "layer_package_path" {
  description = "Path to the dependency layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}
