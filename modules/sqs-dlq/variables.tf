variable "queues" {
  description = <<-EOT
    Dead-letter queues by key (the key addresses the queue in this module's state and outputs).
    `name` is the queue name (a standard queue); `senders` are the AWS services that deliver
    dead letters as the service (EventBridge rules and buses, SNS subscriptions), by statement
    id: each may send only from its `source_arns` (`aws:SourceArn`). Senders that use an IAM
    role (Lambda asynchronous invocation, EventBridge Scheduler) need no entry here. `tags` are
    added to var.tags.
  EOT
  type = map(object({
    name = string
    senders = optional(map(object({
      service     = string
      source_arns = list(string)
    })), {})
    tags = optional(map(string), {})
  }))

  validation {
    condition     = alltrue([for q in values(var.queues) : can(regex("^[A-Za-z0-9_-]{1,80}$", q.name))])
    error_message = "queues[*].name must be 1-80 letters, digits, '_' or '-' (a standard queue: dead-letter queues of EventBridge and Lambda cannot be FIFO)."
  }

  validation {
    condition     = alltrue(flatten([for q in values(var.queues) : [for sid in keys(q.senders) : can(regex("^[A-Za-z0-9]+$", sid))]]))
    error_message = "queues[*].senders keys are statement ids: letters and digits only."
  }

  validation {
    condition     = alltrue(flatten([for q in values(var.queues) : [for s in values(q.senders) : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s.service))]]))
    error_message = "queues[*].senders[*].service must be a service principal such as events.amazonaws.com."
  }

  validation {
    # Null entries (a source deleted out of band, seen during a refresh) are left to AWS.
    condition     = alltrue(flatten([for q in values(var.queues) : [for s in values(q.senders) : [for arn in s.source_arns : arn == null || startswith(arn, "arn:")]]]))
    error_message = "queues[*].senders[*].source_arns must be ARNs (arn:...)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key encrypting every queue (its policy must let the senders use it). Null: SQS-managed encryption (SSE-SQS)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "message_retention_seconds" {
  description = "How long the queues keep dead letters (60 s to 14 days)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600 && floor(var.message_retention_seconds) == var.message_retention_seconds
    error_message = "message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }
}

variable "tags" {
  description = "Tags for every queue."
  type        = map(string)
  default     = {}
}
