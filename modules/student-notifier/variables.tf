variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev, prod), so that environments sharing an account never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits and '-', start with a letter and not end with '-' (e.g. dev, prod)."
  }
}

variable "package_path" {
  description = "Path to the notifier package built from lambda_src/notifier (build/lambda/notifier.zip)."
  type        = string
}

variable "handler" {
  description = "Handler of the notifier."
  type        = string
  default     = "notifier.app.lambda_handler"
}

variable "students_table_name" {
  description = "Name of the Students table (key studentId). Null: the notifier emails detail.email of student.enrolled events and cannot send announcements."
  type        = string
  default     = null
}

variable "students_table_arn" {
  description = "ARN of the Students table; required together with students_table_name."
  type        = string
  default     = null

  validation {
    condition     = var.students_table_arn == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]+$", var.students_table_arn))
    error_message = "students_table_arn must be a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)."
  }
}

variable "students_table_kms_key_arn" {
  description = "Customer managed KMS key of the Students table (student-data module output kms_key_arn): the function may decrypt with it through DynamoDB only. Null: the table uses an AWS managed key."
  type        = string
  default     = null

  validation {
    condition     = var.students_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.students_table_kms_key_arn, "-")))
    error_message = "students_table_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "students_class_index" {
  description = "Global secondary index of the Students table keyed by classId (for announcements to one class)."
  type        = string
  default     = "classId-index"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.students_class_index))
    error_message = "students_class_index must be a DynamoDB index name (3-255 letters, digits, '_', '.', '-')."
  }
}

variable "sender_email" {
  description = "Verified From address (SENDER_EMAIL); the role may send only with this From address."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$", var.sender_email))
    error_message = "sender_email must be a valid email address such as no-reply@mail.example.edu.vn."
  }
}

variable "ses_identity_arns" {
  description = "SES identity ARNs the notifier sends through (ses-email's identity_arns)."
  type        = list(string)

  validation {
    condition     = length(var.ses_identity_arns) > 0 && alltrue([for a in var.ses_identity_arns : a == null || can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", a))])
    error_message = "ses_identity_arns must be a non-empty list of SES identity ARNs (arn:aws:ses:<region>:<account>:identity/<domain or address>)."
  }
}

variable "configuration_set_name" {
  description = "SES configuration set passed on every SendEmail (SES_CONFIGURATION_SET); null sends without one."
  type        = string
  default     = null
}

variable "idempotency_ttl_seconds" {
  description = "How long a processed event id is remembered (EventBridge retries for up to 24 h)."
  type        = number
  default     = 90000

  validation {
    condition     = var.idempotency_ttl_seconds >= 3600
    error_message = "idempotency_ttl_seconds must be at least 3600 (one hour)."
  }
}

variable "layers" {
  description = "Lambda layer ARNs: the dependency layer (modules/lambda-layer) with Powertools (the package does not bundle it)."
  type        = list(string)
  default     = []
}

variable "timeout" {
  description = "Function timeout in seconds (an announcement to a large class sends many emails)."
  type        = number
  default     = 60
}

variable "memory_size" {
  description = "Function memory in MiB."
  type        = number
  default     = 256
}

variable "sending" {
  description = <<-EOT
    The SES sending rate the notifier stays within. `ses_max_send_rate`: the account's
    SendQuota.MaxSendRate in emails per second (`aws sesv2 get-account`; 1 in the sandbox, 14
    or more in production). From it the module derives the concurrency cap, the fewest
    invocations that can reach the rate at no more than 10 emails per second each
    (`ceil(rate / 10)`), and paces every invocation to its share (SES_SEND_INTERVAL_MS =
    cap / rate), so cap x pace = rate. `reserve_concurrency = true` enforces the cap as the
    function's reserved concurrency (async invocations over it wait in Lambda's queue and are
    retried, not dropped); it needs an account concurrency limit of at least cap + 10 (Lambda
    keeps 10 unreserved), which new accounts (limit 10) do not have, hence off by default: each
    invocation is still paced, and a burst of events that SES throttles is retried exactly once
    per recipient (the delivery ledger).
  EOT
  type = object({
    ses_max_send_rate   = optional(number, 1)
    reserve_concurrency = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.sending.ses_max_send_rate >= 1 && var.sending.ses_max_send_rate <= 10000
    error_message = "sending.ses_max_send_rate must be the account's SES maximum send rate, 1 to 10000 emails per second."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the function's log group."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the log group, environment variables, idempotency table and DLQ. Null: AWS managed keys (DynamoDB aws/dynamodb, SQS-managed SSE)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "dead_letter_queue" {
  description = "Give the function an encrypted SQS dead-letter queue for asynchronous invocations that failed every retry (an email never sent is kept, not lost)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "deletion_protection" {
  description = "Protect the idempotency table from deletion (it only holds short-lived records)."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
