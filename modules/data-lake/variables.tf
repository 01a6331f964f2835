variable "name_prefix" {
  description = "Environment prefix for every name (e.g. dev, prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits or '-', start with a letter and not end with '-' (e.g. dev, prod, stg-1)."
  }
}

variable "bucket_name" {
  description = "Name of the data lake bucket. Null derives a globally unique one: <prefix>-ranking-data-<account>-<region>."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 characters of lowercase letters, digits, '.' or '-', starting and ending with a letter or digit."
  }
}

variable "export_prefix" {
  description = "Key prefix the training export step writes the Personalize CSV files under (<prefix><dataset>/run_date=<date>/); the crawler and the Personalize role read only this prefix."
  type        = string
  default     = "personalize/export/"

  validation {
    condition     = can(regex("^([A-Za-z0-9_=-]+/)+$", var.export_prefix))
    error_message = "export_prefix must be one or more path segments of letters, digits, '_', '=' or '-', each ending with '/' (e.g. personalize/export/)."
  }
}

variable "batch_output_prefix" {
  description = "Key prefix for Personalize batch inference input/output (batch deploy mode)."
  type        = string
  default     = "personalize/batch/"

  validation {
    condition     = can(regex("^([A-Za-z0-9_=-]+/)+$", var.batch_output_prefix))
    error_message = "batch_output_prefix must be one or more path segments of letters, digits, '_', '=' or '-', each ending with '/' (e.g. personalize/batch/)."
  }
}

variable "export_expiration_days" {
  description = "Days after which exported files (under export_prefix) expire."
  type        = number
  default     = 30

  validation {
    condition     = var.export_expiration_days >= 1 && floor(var.export_expiration_days) == var.export_expiration_days
    error_message = "export_expiration_days must be a whole number of days, at least 1."
  }
}

variable "batch_output_expiration_days" {
  description = "Days after which batch inference input/output files (under batch_output_prefix) expire."
  type        = number
  default     = 14

  validation {
    condition     = var.batch_output_expiration_days >= 1 && floor(var.batch_output_expiration_days) == var.batch_output_expiration_days
    error_message = "batch_output_expiration_days must be a whole number of days, at least 1."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted (whole bucket)."
  type        = number
  default     = 7

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days, at least 1."
  }
}

variable "access_log_bucket" {
  description = "Name of an existing bucket that receives S3 server access logs of the data lake bucket. Null disables access logging."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be null or an S3 bucket name (3-63 lowercase letters, digits, '.' or '-')."
  }
}

variable "access_log_prefix" {
  description = "Key prefix of the access logs in access_log_bucket. Null uses s3-access/<bucket name>/."
  type        = string
  default     = null
}

variable "personalize_access" {
  description = "Add the bucket and key policy statements Amazon Personalize requires (service principal personalize.amazonaws.com, this account only): read the export and batch prefixes, write the batch prefix."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "kms_key" {
  description = "Customer managed KMS key for the bucket, the Glue security configuration and the crawler logs. arn null creates a module-owned CMK with rotation (its policy already admits CloudWatch Logs and Personalize; deletion_window_in_days applies to it). The module always encrypts with a CMK: enabled = false is an error. An arn known only after apply (a key created in the same configuration) must be known to be non-null at plan time: pass it as coalesce(<arn>)."
  type = object({
    enabled                 = optional(bool, true)
    arn                     = optional(string)
    deletion_window_in_days = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.kms_key.arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key.arn))
    error_message = "kms_key.arn must be null (module creates a key) or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = var.kms_key.deletion_window_in_days >= 7 && var.kms_key.deletion_window_in_days <= 30 && floor(var.kms_key.deletion_window_in_days) == var.kms_key.deletion_window_in_days
    error_message = "kms_key.deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the bucket with its objects (dev/test only; keep false in prod)."
  type        = bool
  default     = false
}

variable "crawler_log_retention_days" {
  description = "CloudWatch Logs retention of the crawler's (encrypted) log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.crawler_log_retention_days)
    error_message = "crawler_log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
