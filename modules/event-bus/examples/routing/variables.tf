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

variable "kms_key" {
  description = "Passed to the module: enabled = false uses AWS owned keys instead of the module's customer managed key for the bus, archive and DLQs."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "archive" {
  description = "Passed to the module: encrypted_with_cmk = false keeps the archive on the AWS owned key (the emulator drops the archive key)."
  type = object({
    encrypted_with_cmk = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "schema_registry" {
  description = "Register the event catalog (lambda_src/student_platform/catalog) in a schema registry."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
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

variable "nightly_ranking" {
  description = "Add a scheduled rule on the default bus that requests a nightly ranking update."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "publishers" {
  description = "Passed to the module: the only principals (and the detail-types of each of their sources) that may put events on the bus; empty: no bus policy."
  type = map(object({
    principal_arns = list(string)
    events         = map(list(string))
  }))
  default = {}
}
