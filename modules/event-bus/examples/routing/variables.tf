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

variable "create_kms_key" {
  description = "Let the module create its customer managed key for the bus, archive and DLQs."
  type        = bool
  default     = true
}

variable "archive_encrypted_with_cmk" {
  description = "Encrypt the archive with the bus key (the emulator drops the archive key: tests set false)."
  type        = bool
  default     = true
}

variable "schema_registry_enabled" {
  description = "Register the event catalog (lambda_src/student_platform/catalog) in a schema registry."
  type        = bool
  default     = true
}

variable "notifier_function_arn" {
  description = "Optional Lambda function ARN that receives student.enrolled and teacher.sendAnnouncement (the notifier)."
  type        = string
  default     = null
}

variable "ranking_state_machine_arn" {
  description = "Optional Step Functions state machine ARN started by ranking.requestUpdate."
  type        = string
  default     = null
}

variable "nightly_ranking_enabled" {
  description = "Add a scheduled rule on the default bus that requests a nightly ranking update."
  type        = bool
  default     = true
}
