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
  description = "Path to the zip of src/hello built by `iackit package-dir src hello`."
  type        = string
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 10
}

variable "dead_letter_queue" {
  description = "Create an SQS dead-letter queue for failed asynchronous invocations."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}
