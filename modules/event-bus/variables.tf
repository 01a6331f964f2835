variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev, prod), so that environments sharing an account never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits and '-', start with a letter and not end with '-' (e.g. dev, prod)."
  }
}

variable "name" {
  description = "Short name of this eventing stack; with name_prefix it names the account-wide resources (DLQs, IAM role, archive, schema registry, KMS alias)."
  type        = string
  default     = "student-events"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", var.name))
    error_message = "name must be 2-20 characters of lowercase letters, digits and '-', start with a letter and not end with '-'."
  }
}

variable "bus_name" {
  description = "Name of the custom event bus. Null gives <name_prefix>-student-event-bus."
  type        = string
  default     = null

  validation {
    condition     = var.bus_name == null || can(regex("^[A-Za-z0-9._-]{1,256}$", var.bus_name))
    error_message = "bus_name must be 1-256 characters of letters, digits, '.', '_' or '-' (and must not be 'default': this module creates a custom bus)."
  }

  validation {
    condition     = var.bus_name != "default"
    error_message = "bus_name must not be 'default': this module creates a custom bus (rules with on_default_bus = true use the default bus)."
  }
}

variable "kms_key" {
  description = "Customer managed KMS key for the bus, its archive and the DLQs. enabled with arn null creates one (with rotation); arn uses an existing key, whose key policy must let events.amazonaws.com use it (kms:DescribeKey, kms:GenerateDataKey, kms:Decrypt, kms:ReEncrypt*). enabled = false uses AWS owned keys (bus, archive) and SQS-managed SSE (DLQs)."
  type = object({
    enabled                 = optional(bool, true)
    arn                     = optional(string)
    deletion_window_in_days = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.kms_key.arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key.arn))
    error_message = "kms_key.arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = var.kms_key.enabled || var.kms_key.arn == null
    error_message = "kms_key.arn must be null when kms_key.enabled = false (AWS owned keys)."
  }

  validation {
    condition     = var.kms_key.deletion_window_in_days >= 7 && var.kms_key.deletion_window_in_days <= 30
    error_message = "kms_key.deletion_window_in_days must be between 7 and 30."
  }
}

variable "archive" {
  description = "Archive of the bus's events, so they can be replayed: retention_days (0 keeps them indefinitely), event_pattern (JSON) limiting what it keeps (null archives every event), encrypted_with_cmk (the bus's customer managed key when there is one; false keeps the archive on the AWS owned key)."
  type = object({
    enabled            = optional(bool, true)
    retention_days     = optional(number, 30)
    event_pattern      = optional(string)
    encrypted_with_cmk = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.archive.retention_days >= 0 && floor(var.archive.retention_days) == var.archive.retention_days
    error_message = "archive.retention_days must be a whole number of days, 0 (indefinite) or more."
  }

  validation {
    condition     = var.archive.event_pattern == null || can(keys(jsondecode(var.archive.event_pattern)))
    error_message = "archive.event_pattern must be a JSON object (an EventBridge event pattern)."
  }
}

variable "schema_registry" {
  description = "Schema registry with one schema per entry of schemas: detail-type => JSON Schema document (e.g. file() of lambda_src/student_platform/catalog/<type>.json). schema_type JSONSchemaDraft4 converts draft-06/07 keywords (see README); OpenApi3 passes documents unchanged."
  type = object({
    enabled     = optional(bool, false)
    schemas     = optional(map(string), {})
    schema_type = optional(string, "JSONSchemaDraft4")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for name, content in var.schema_registry.schemas : can(regex("^[A-Za-z0-9_.@-]{1,385}$", name)) && can(keys(jsondecode(content)))])
    error_message = "schema_registry.schemas must map names of letters, digits, '_', '.', '@' or '-' to JSON object documents."
  }

  validation {
    condition     = contains(["JSONSchemaDraft4", "OpenApi3"], var.schema_registry.schema_type)
    error_message = "schema_registry.schema_type must be JSONSchemaDraft4 or OpenApi3."
  }
}

variable "rules" {
  description = <<-EOT
    Rules keyed by a short name (the rule is named <name_prefix>-<key>). Each has exactly one of
    event_pattern (JSON string) or schedule_expression; schedule rules run only on the default bus,
    so they need on_default_bus = true.
  EOT
  type = map(object({
    description         = string
    event_pattern       = optional(string)
    schedule_expression = optional(string)
    state               = optional(string, "ENABLED")
    on_default_bus      = optional(bool, false)
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.rules) : can(regex("^[a-z0-9][a-z0-9_-]{0,23}$", k))])
    error_message = "rules keys must be 1-24 characters of lowercase letters, digits, '_' or '-' starting with a letter or digit (they name the rule <name_prefix>-<key>)."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : (r.event_pattern == null) != (r.schedule_expression == null)])
    error_message = "Each rule needs exactly one of event_pattern or schedule_expression (not neither, not both)."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : r.event_pattern == null || can(keys(jsondecode(r.event_pattern)))])
    error_message = "event_pattern must be a JSON object string, e.g. jsonencode({ source = [\"api.student\"] })."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : r.schedule_expression == null || can(regex("^(rate|cron)\\(.+\\)$", r.schedule_expression))])
    error_message = "schedule_expression must be rate(...) or cron(...)."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : contains(["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"], r.state)])
    error_message = "state must be ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : length(r.description) <= 512])
    error_message = "A rule description must be at most 512 characters."
  }
}

variable "targets" {
  description = <<-EOT
    Targets keyed by a short name. One target may serve several rules (rule_keys): the module
    creates one aws_cloudwatch_event_target per (target, rule) pair, keyed "<target>/<rule>".
    Every target gets a retry policy and, unless dead_letter = false, its own encrypted SQS
    dead-letter queue. type: lambda | sqs | sns | stepfunctions | eventbridge.
  EOT
  type = map(object({
    rule_keys = list(string)
    arn       = string
    type      = string
    input_transformer = optional(object({
      input_paths    = optional(map(string), {})
      input_template = string
    }))
    retry = optional(object({
      maximum_event_age_in_seconds = optional(number, 3600)
      maximum_retry_attempts       = optional(number, 8)
    }), {})
    dead_letter          = optional(bool, true)
    sqs_message_group_id = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.targets) : can(regex("^[a-z0-9][a-z0-9_-]{0,23}$", k))])
    error_message = "targets keys must be 1-24 characters of lowercase letters, digits, '_' or '-' starting with a letter or digit (they name the target id and its DLQ)."
  }

  validation {
    condition     = alltrue([for t in values(var.targets) : contains(["lambda", "sqs", "sns", "stepfunctions", "eventbridge"], t.type)])
    error_message = "target type must be one of lambda, sqs, sns, stepfunctions, eventbridge."
  }

  validation {
    # A null arn (an upstream resource deleted out of band, seen during a refresh) is left to
    # the provider, which requires it.
    condition = alltrue([for t in values(var.targets) : t.arn == null || can(regex(
      lookup({
        lambda        = "^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+$"
        sqs           = "^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$"
        sns           = "^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$"
        stepfunctions = "^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:.+$"
        eventbridge   = "^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/.+$"
      }, t.type, "^$"), t.arn
    ))])
    error_message = "target arn must match its type: an unqualified Lambda function ARN, SQS queue ARN, SNS topic ARN, Step Functions state machine ARN or event bus ARN."
  }

  validation {
    condition     = alltrue([for t in values(var.targets) : length(t.rule_keys) > 0 && length(distinct(t.rule_keys)) == length(t.rule_keys)])
    error_message = "Each target needs at least one rule key in rule_keys, without duplicates."
  }

  validation {
    condition = alltrue([for t in values(var.targets) :
      t.retry.maximum_event_age_in_seconds >= 60 && t.retry.maximum_event_age_in_seconds <= 86400 &&
      t.retry.maximum_retry_attempts >= 0 && t.retry.maximum_retry_attempts <= 185
    ])
    error_message = "retry.maximum_event_age_in_seconds must be 60-86400 and retry.maximum_retry_attempts 0-185."
  }
}

variable "publishers" {
  description = <<-EOT
    Who may put events on the bus, by name: the IAM role ARNs (`principal_arns`, e.g. the
    publisher's and the pipeline's Lambda roles, an EventBridge Scheduler role) and the
    events each may put, as `events = { <source> = [<detail-type>, ...] }`: a source carries
    only the detail-types listed with it (e.g. `api.student` never carries
    `teacher.sendAnnouncement`). Non-empty: a bus resource policy denies events:PutEvents to
    every other principal of any account, and to these every other source and every
    (source, detail-type) pair not listed (an identity policy alone can no longer put
    events). A role belongs to one publisher. Empty (default): no bus policy, any principal
    of the account with events:PutEvents may put any event.
  EOT
  type = map(object({
    principal_arns = list(string)
    events         = map(list(string))
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.publishers) : can(regex("^[A-Za-z0-9_-]{1,32}$", k))])
    error_message = "publishers keys must be 1-32 letters, digits, '_' or '-' (they name the policy statements)."
  }

  validation {
    condition     = alltrue([for p in values(var.publishers) : length(p.principal_arns) > 0 && alltrue([for a in p.principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", a))])])
    error_message = "publishers[*].principal_arns must be at least one IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }

  validation {
    condition     = length(flatten([for p in values(var.publishers) : p.principal_arns])) == length(distinct(flatten([for p in values(var.publishers) : p.principal_arns])))
    error_message = "publishers: a role ARN may appear in one publisher only, once (the Deny statements of two publishers would together deny it everything)."
  }

  validation {
    condition     = alltrue([for p in values(var.publishers) : length(p.events) > 0 && alltrue([for source in keys(p.events) : can(regex("^[A-Za-z0-9._-]{1,64}$", source))])])
    error_message = "publishers[*].events must map at least one source (1-64 letters, digits, '.', '_' or '-') to its detail-types."
  }

  validation {
    condition     = alltrue([for p in values(var.publishers) : alltrue([for types in values(p.events) : length(types) > 0 && alltrue([for t in types : can(regex("^[A-Za-z0-9._-]{1,128}$", t))])])])
    error_message = "publishers[*].events must list at least one detail-type (letters, digits, '.', '_' or '-') for each source."
  }
}

variable "sqs_target_policy" {
  description = "Attach a queue policy to every SQS target letting events.amazonaws.com send messages from its rules only. enabled = false when the caller manages the queue policy (a queue has a single policy document)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "dlq_message_retention_seconds" {
  description = "How long the dead-letter queues keep failed events."
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
