variable "name_prefix" {
  description = "Prefix for the queue names and the key alias."
  type        = string
  default     = "example"
}

variable "kms_key" {
  description = "Encrypt the queues with a customer managed key created here (enabled = false: SQS-managed encryption)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "message_retention_seconds" {
  description = "How long the queues keep dead letters."
  type        = number
  default     = 1209600
}
