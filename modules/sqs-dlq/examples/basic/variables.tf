variable "name_prefix" {
  description = "Prefix for the queue names and the key alias."
  type        = string
  default     = "example"
}

variable "encrypted_with_cmk" {
  description = "Encrypt the queues with a customer managed key (false: SQS-managed encryption)."
  type        = bool
  default     = true
}

variable "message_retention_seconds" {
  description = "How long the queues keep dead letters."
  type        = number
  default     = 1209600
}
