variable "name_prefix" {
  description = "Environment prefix for every name (e.g. dev, prod): tables are <prefix>-Students, <prefix>-Interactions, <prefix>-ClassActivity."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits or '-', start with a letter and not end with '-' (e.g. dev, prod, stg-1)."
  }
}

variable "point_in_time_recovery_enabled" {
  description = "Enable DynamoDB point-in-time recovery (continuous backups, 35 days) on every table."
  type        = bool
  default     = true
}

variable "deletion_protection_enabled" {
  description = "Protect every table against DeleteTable (set true in prod; false lets dev/test environments be destroyed)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN for table encryption, the ingestion function's logs/environment and its DLQ. Null creates a module-owned CMK with rotation (see create_kms_key)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null (module creates a key) or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "create_kms_key" {
  description = "Create a module-owned CMK (with rotation) when kms_key_arn is null. Set false when passing a kms_key_arn that is only known after apply (a key created in the same configuration)."
  type        = bool
  default     = true
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the module-created KMS key is deleted (7-30 days). Ignored when kms_key_arn is set."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30 && floor(var.kms_deletion_window_in_days) == var.kms_deletion_window_in_days
    error_message = "kms_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "ingestion_package_path" {
  description = "Path to the ingestion Lambda package (build/lambda/ingestion.zip, built from lambda_src/ingestion by `make package`)."
  type        = string

  validation {
    condition     = endswith(var.ingestion_package_path, ".zip")
    error_message = "ingestion_package_path must point to the ingestion .zip package (build/lambda/ingestion.zip)."
  }
}

variable "ingestion_layers" {
  description = "Layer ARNs for the ingestion function: the dependency layer (modules/lambda-layer) with Powertools, which the code imports."
  type        = list(string)
  default     = []
}

variable "ingestion_timeout" {
  description = "Timeout of the ingestion function in seconds (1-900)."
  type        = number
  default     = 10

  validation {
    condition     = var.ingestion_timeout >= 1 && var.ingestion_timeout <= 900 && floor(var.ingestion_timeout) == var.ingestion_timeout
    error_message = "ingestion_timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "ingestion_reserved_concurrency" {
  description = "Reserved concurrency of the ingestion function; -1 leaves it unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.ingestion_reserved_concurrency >= -1 && floor(var.ingestion_reserved_concurrency) == var.ingestion_reserved_concurrency
    error_message = "ingestion_reserved_concurrency must be -1 (unreserved) or a non-negative whole number."
  }
}

variable "event_rule_arns" {
  description = "EventBridge rule ARNs (keyed by a stable name, e.g. enrolled, submit-assignment) that target the ingestion function; one lambda:InvokeFunction permission is created per rule. Leave empty when the event-bus module grants the permission itself."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.event_rule_arns) : can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:rule/.+$", arn))])
    error_message = "event_rule_arns values must be EventBridge rule ARNs (arn:aws:events:<region>:<account>:rule/<bus>/<name>)."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the ingestion function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the ingestion function's dead-letter queue keeps failed events (60-1209600 s)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
