variable "name_prefix" {
  description = "Environment prefix for every name (e.g. dev, prod); Personalize resources created by the pipeline are named <prefix>-student-ranking*."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits or '-', start with a letter and not end with '-' (e.g. dev, prod, stg-1)."
  }
}

# --------------------------------------------------------------------------- wiring

variable "event_bus_name" {
  description = "Name of the student event bus (event-bus module output bus_name): the ranking.requestUpdate rule lives on it and Publish puts ranking.updated on it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.event_bus_name))
    error_message = "event_bus_name must be 1-256 characters of letters, digits, '.', '_' or '-'."
  }
}

variable "event_bus_arn" {
  description = "ARN of the student event bus (event-bus module output bus_arn), for the Publish step's events:PutEvents permission."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/.+$", var.event_bus_arn))
    error_message = "event_bus_arn must be an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)."
  }
}

variable "data_bucket_name" {
  description = "Data lake bucket (data-lake output bucket_name): exports, batch input and output."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_bucket_name))
    error_message = "data_bucket_name must be an S3 bucket name (3-63 lowercase letters, digits, '.' or '-')."
  }
}

variable "data_kms_key_arn" {
  description = "KMS key of the data lake bucket (data-lake output kms_key_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.data_kms_key_arn))
    error_message = "data_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "export_prefix" {
  description = "Export prefix in the data bucket (data-lake output export_prefix)."
  type        = string
  default     = "personalize/export/"

  validation {
    condition     = can(regex("^([A-Za-z0-9_=-]+/)+$", var.export_prefix))
    error_message = "export_prefix must be one or more path segments of letters, digits, '_', '=' or '-', each ending with '/' (e.g. personalize/export/)."
  }
}

variable "batch_output_prefix" {
  description = "Batch inference prefix in the data bucket (data-lake output batch_output_prefix): input/<runId>/ and output/<runId>/ live under it."
  type        = string
  default     = "personalize/batch/"

  validation {
    condition     = can(regex("^([A-Za-z0-9_=-]+/)+$", var.batch_output_prefix))
    error_message = "batch_output_prefix must be one or more path segments of letters, digits, '_', '=' or '-', each ending with '/' (e.g. personalize/batch/)."
  }
}

variable "glue_crawler_name" {
  description = "Glue crawler over the export prefix (data-lake output crawler_name); the Export step starts it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,255}$", var.glue_crawler_name))
    error_message = "glue_crawler_name must be 1-255 characters of letters, digits, '_', '.' or '-'."
  }
}

variable "tables" {
  description = "The student data tables (student-data output tables): students, interactions and class_activity, each with name and arn."
  type = object({
    students       = object({ name = string, arn = string })
    interactions   = object({ name = string, arn = string })
    class_activity = object({ name = string, arn = string })
  })

  validation {
    condition     = alltrue([for t in values(var.tables) : can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/.+$", t.arn))])
    error_message = "tables.*.arn must be DynamoDB table ARNs (arn:aws:dynamodb:<region>:<account>:table/<name>)."
  }
}

variable "tables_kms_key_arn" {
  description = "Customer managed key of the tables (student-data output kms_key_arn); the Export step decrypts through DynamoDB with it. Null when the tables use AWS-owned keys."
  type        = string
  default     = null

  validation {
    condition     = var.tables_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.tables_kms_key_arn))
    error_message = "tables_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

# --------------------------------------------------------------------------- model

variable "recipe" {
  description = "Personalize recipe: aws-user-personalization or aws-user-personalization-v2 (recommend classes), aws-personalized-ranking or aws-personalized-ranking-v2 (rank candidate classes). Only aws-user-personalization trains UPDATE (incrementally) between the weekly FULL trainings; the others train FULL every night (Personalize accepts UPDATE for no other of them). Pass the `recipe` output to ranking-api so both use the same one."
  type        = string
  default     = "aws-user-personalization-v2"

  validation {
    condition     = contains(["aws-user-personalization", "aws-user-personalization-v2", "aws-personalized-ranking", "aws-personalized-ranking-v2"], var.recipe)
    error_message = "recipe must be aws-user-personalization, aws-user-personalization-v2, aws-personalized-ranking or aws-personalized-ranking-v2."
  }
}

variable "deploy_mode" {
  description = "campaign: a real-time campaign (billed per provisioned TPS-hour while it exists) updated to each new model; batch: a nightly batch inference job whose results the ranking API reads from S3 (no idle cost)."
  type        = string
  default     = "batch"

  validation {
    condition     = contains(["campaign", "batch"], var.deploy_mode)
    error_message = "deploy_mode must be campaign or batch."
  }
}

variable "min_provisioned_tps" {
  description = "minProvisionedTPS of the campaign (campaign mode only; 1-500). Each TPS is billed every hour the campaign exists."
  type        = number
  default     = 1

  validation {
    condition     = var.min_provisioned_tps >= 1 && var.min_provisioned_tps <= 500 && floor(var.min_provisioned_tps) == var.min_provisioned_tps
    error_message = "min_provisioned_tps must be a whole number between 1 and 500."
  }
}

variable "batch_num_results" {
  description = "Recommendations per student written by the batch inference job (batch mode; 1-500)."
  type        = number
  default     = 25

  validation {
    condition     = var.batch_num_results >= 1 && var.batch_num_results <= 500 && floor(var.batch_num_results) == var.batch_num_results
    error_message = "batch_num_results must be a whole number between 1 and 500."
  }
}

variable "weekly_full_training_day" {
  description = "Day of the week (MON..SUN) on which UPDATE-capable recipes train FULL. It is the weekday of the execution's UTC start date: with the default 02:00 Asia/Ho_Chi_Minh (UTC+7) schedule a run on local Monday starts on Sunday UTC. Only aws-user-personalization trains UPDATE at all: the other recipes train FULL every night."
  type        = string
  default     = "SUN"

  validation {
    condition     = contains(["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], var.weekly_full_training_day)
    error_message = "weekly_full_training_day must be one of MON, TUE, WED, THU, FRI, SAT, SUN."
  }
}

variable "data_guard" {
  description = "Minimum data before training (else the execution ends in SkippedNotEnoughData): total interactions, active users, interactions per active user."
  type = object({
    min_interactions          = optional(number, 1000)
    min_active_users          = optional(number, 25)
    min_interactions_per_user = optional(number, 2)
  })
  default = {}

  validation {
    condition     = alltrue([for v in values(var.data_guard) : v >= 1 && floor(v) == v])
    error_message = "data_guard thresholds must be whole numbers of at least 1."
  }
}

# --------------------------------------------------------------------------- schedule

variable "schedule" {
  description = "EventBridge Scheduler schedule of the nightly run. expression: cron(<min> <hour> <day-of-month> <month> <day-of-week> <year>) or rate(<n> <unit>), evaluated in timezone (IANA, e.g. Asia/Ho_Chi_Minh, UTC). enabled = false keeps the schedule, DISABLED."
  type = object({
    enabled    = optional(bool, true)
    expression = optional(string, "cron(0 2 * * ? *)")
    timezone   = optional(string, "Asia/Ho_Chi_Minh")
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^cron\\([^ ()]+( [^ ()]+){5}\\)$", var.schedule.expression)) || can(regex("^rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)$", var.schedule.expression))
    error_message = "schedule.expression must be cron() with 6 fields (e.g. cron(0 2 * * ? *)) or rate(<n> <minute(s)|hour(s)|day(s)>)."
  }

  validation {
    condition     = can(regex("^(UTC|GMT|Etc/[A-Za-z0-9+-]+|(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z][A-Za-z0-9_+-]*)?)$", var.schedule.timezone))
    error_message = "schedule.timezone must be an IANA time zone name such as Asia/Ho_Chi_Minh, Europe/Paris or UTC (Area/Location, no spaces or UTC offsets)."
  }
}

variable "retry" {
  description = "Retry policy of the schedule and of the ranking.requestUpdate rule target: attempts (0-185) and maximum event age (60-86400 s); exhausted events go to the DLQs."
  type = object({
    maximum_retry_attempts       = optional(number, 3)
    maximum_event_age_in_seconds = optional(number, 3600)
  })
  default = {}

  validation {
    condition     = var.retry.maximum_retry_attempts >= 0 && var.retry.maximum_retry_attempts <= 185 && floor(var.retry.maximum_retry_attempts) == var.retry.maximum_retry_attempts
    error_message = "retry.maximum_retry_attempts must be a whole number between 0 and 185."
  }

  validation {
    condition     = var.retry.maximum_event_age_in_seconds >= 60 && var.retry.maximum_event_age_in_seconds <= 86400 && floor(var.retry.maximum_event_age_in_seconds) == var.retry.maximum_event_age_in_seconds
    error_message = "retry.maximum_event_age_in_seconds must be a whole number between 60 and 86400."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long the schedule and rule dead-letter queues keep failed events (60-1209600 s)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

# --------------------------------------------------------------------------- state machine

variable "waits" {
  description = "Wait seconds of the state machine loops (resource creation, dataset import, training, deploy) and the execution timeout."
  type = object({
    resource_seconds          = optional(number, 60)
    import_seconds            = optional(number, 300)
    training_seconds          = optional(number, 900)
    deploy_seconds            = optional(number, 300)
    execution_timeout_seconds = optional(number, 82800)
  })
  default = {}

  validation {
    condition = alltrue([
      for k in ["resource_seconds", "import_seconds", "training_seconds", "deploy_seconds"] :
      var.waits[k] >= 1 && var.waits[k] <= 3600 && floor(var.waits[k]) == var.waits[k]
    ])
    error_message = "waits.*_seconds must be whole numbers of seconds between 1 and 3600."
  }

  validation {
    condition     = var.waits.execution_timeout_seconds >= 3600 && var.waits.execution_timeout_seconds <= 86400 && floor(var.waits.execution_timeout_seconds) == var.waits.execution_timeout_seconds
    error_message = "waits.execution_timeout_seconds must be a whole number between 3600 and 86400 (a run must end before the next nightly one)."
  }
}

# --------------------------------------------------------------------------- functions

variable "package_paths" {
  description = "Lambda packages by name: training (build/lambda/training.zip, built from lambda_src/training) is required; every step function uses it with its own handler."
  type        = map(string)

  validation {
    condition     = contains(keys(var.package_paths), "training") && alltrue([for p in values(var.package_paths) : endswith(p, ".zip")])
    error_message = "package_paths must contain a training entry, and every path must be a .zip package (build/lambda/training.zip)."
  }
}

variable "layers" {
  description = "Layer ARNs for the step functions: the dependency layer (modules/lambda-layer) with Powertools, which the code imports."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the step functions' and the state machine's log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key" {
  description = "Customer managed KMS key for the log groups, the DLQs and the functions' environment. arn null creates a module-owned CMK with rotation (deletion_window_in_days applies to it) whose policy admits CloudWatch Logs (these log groups) and EventBridge (the rule DLQ); a given key needs the same grants. The module always encrypts with a CMK: enabled = false is an error. An arn known only after apply (a key created in the same configuration) must be known to be non-null at plan time: pass it as coalesce(<arn>)."
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

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}

variable "teardown" {
  description = "On terraform destroy, delete what the pipeline created in Personalize (campaigns, solutions, event trackers, filters named <prefix>-*, datasets, the dataset group <prefix>-student-ranking and its schemas) through a cleanup function; the destroy fails, naming what is left, if that takes longer than timeout_seconds (the function's timeout, at most Lambda's 900). enabled = false leaves them behind (billed)."
  type = object({
    enabled         = optional(bool, true)
    timeout_seconds = optional(number, 900)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.teardown.timeout_seconds >= 60 && var.teardown.timeout_seconds <= 900 && floor(var.teardown.timeout_seconds) == var.teardown.timeout_seconds
    error_message = "teardown.timeout_seconds must be a whole number of seconds between 60 and 900 (Lambda's maximum)."
  }
}
