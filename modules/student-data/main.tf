data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  # The table schemas are the contract with the Lambda code (ingestion, training export,
  # ranking API), so they are fixed here rather than taken as input. Every entry has the
  # same attributes; `for_each` keys are stable and name the outputs.
  tables = {
    students = {
      name             = "${var.name_prefix}-Students"
      hash_key         = "studentId"
      range_key        = null
      attributes       = { studentId = "S", classId = "S" }
      stream_view_type = null
      global_secondary_indexes = {
        "classId-index" = { hash_key = "classId", projection_type = "ALL" }
      }
    }
    interactions = {
      name                     = "${var.name_prefix}-Interactions"
      hash_key                 = "studentId"
      range_key                = "eventId"
      attributes               = { studentId = "S", eventId = "S" }
      stream_view_type         = "NEW_IMAGE"
      global_secondary_indexes = {}
    }
    class_activity = {
      name                     = "${var.name_prefix}-ClassActivity"
      hash_key                 = "classId"
      range_key                = "activityId"
      attributes               = { classId = "S", activityId = "S" }
      stream_view_type         = null
      global_secondary_indexes = {}
    }
  }

  # Built from the names so policies are known at plan time (and references never index
  # instances that a refresh after destroy no longer has).
  table_arns = { for k, t in local.tables : k => "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${t.name}" }

  # kms_key.enabled && no key given; a key known only after apply must be known non-null
  # (coalesce(<arn>)), or this count is unknown at plan time.
  create_kms_key = var.kms_key.enabled ? var.kms_key.arn == null : false
  kms_key_arn    = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)

  # Null, not an error, while a refresh finds the queue deleted.
  ingestion_dlq_arn = try(module.ingestion_dlq.queues["ingestion"].arn, null)

  ingestion_function_name = "${var.name_prefix}-ingestion"
  ingestion_statements = {
    # Conditional PutItem only (idempotent on eventId / activityId): no reads.
    put-interactions = {
      enabled    = true
      actions    = ["dynamodb:PutItem"]
      resources  = [local.table_arns.interactions, local.table_arns.class_activity]
      conditions = []
    }
    # The only writer of Students: an enrollment ADDs the class to an existing student's
    # classIds set, a registration (student.registered) sets the profile. UpdateItem only
    # (no PutItem, DeleteItem or reads), on these attributes only.
    add-student-class = {
      enabled   = true
      actions   = ["dynamodb:UpdateItem"]
      resources = [local.table_arns.students]
      conditions = [{
        test     = "ForAllValues:StringEquals"
        variable = "dynamodb:Attributes"
        values   = ["studentId", "classIds", "classId", "name", "email", "language", "updatedAt"]
      }]
    }
    use-table-key = {
      enabled   = local.kms_key_arn != null
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [local.kms_key_arn]
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${local.region}.amazonaws.com"]
      }]
    }
    use-dlq-key = {
      enabled   = local.kms_key_arn != null
      actions   = ["kms:GenerateDataKey"]
      resources = [local.kms_key_arn]
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sqs.${local.region}.amazonaws.com"]
      }]
    }
  }

  # detail-types the ingestion function understands (lambda_src/ingestion/ingest.py).
  ingestion_detail_types = ["student.enrolled", "student.registered", "student.submitAssignment", "teacher.sendAnnouncement"]
}

# --------------------------------------------------------------------------- KMS

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = "${var.name_prefix}-student-data"
  description             = "${var.name_prefix} student data: DynamoDB tables, ingestion logs and DLQ"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  service_principals = {
    CloudWatchLogsEncryptIngestionLogs = {
      service = "logs.${local.region}.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name_prefix}-*"]
      }]
    }
  }
  tags = var.tags
}

moved {
  from = aws_kms_key.this[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.this[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

# --------------------------------------------------------------------------- tables

resource "aws_dynamodb_table" "this" {
  for_each = local.tables

  name                        = each.value.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key
  range_key                   = each.value.range_key
  deletion_protection_enabled = var.deletion_protection.enabled
  stream_enabled              = each.value.stream_view_type != null
  stream_view_type            = each.value.stream_view_type
  tags                        = merge(var.tags, { Name = each.value.name })

  dynamic "attribute" {
    for_each = each.value.attributes
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.global_secondary_indexes
    content {
      name            = global_secondary_index.key
      projection_type = global_secondary_index.value.projection_type
      key_schema {
        attribute_name = global_secondary_index.value.hash_key
        key_type       = "HASH"
      }
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery.enabled
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.kms_key_arn
  }

  lifecycle {
    precondition {
      condition     = var.kms_key.enabled
      error_message = "Encryption needs a customer managed key: keep kms_key.enabled = true (with kms_key.arn, or null to create one)."
    }
  }
}

# --------------------------------------------------------------------------- ingestion

# Asynchronous invocations (EventBridge targets) that fail every Lambda retry land here. The
# function sends with its role, so the queue policy only denies requests without TLS.
module "ingestion_dlq" {
  source = "../sqs-dlq"

  queues                    = { ingestion = { name = "${var.name_prefix}-ingestion-dlq" } }
  kms_key_arn               = local.kms_key_arn
  message_retention_seconds = var.dlq_message_retention_seconds
  tags                      = var.tags
}

# The queue was optional (count) before, then a resource of this module; existing states
# keep it.
moved {
  from = aws_sqs_queue.ingestion_dlq[0]
  to   = aws_sqs_queue.ingestion_dlq
}

moved {
  from = aws_sqs_queue.ingestion_dlq
  to   = module.ingestion_dlq.aws_sqs_queue.this["ingestion"]
}

module "ingestion" {
  source = "../lambda-function"

  function_name          = local.ingestion_function_name
  description            = "Stores registrations, enrollments, submissions and announcements in ${local.tables.interactions.name}, ${local.tables.class_activity.name} and ${local.tables.students.name}"
  package_path           = var.ingestion_package_path
  handler                = "ingestion.app.lambda_handler"
  timeout                = var.ingestion_timeout
  memory_size            = 256
  reserved_concurrency   = var.ingestion_reserved_concurrency
  layers                 = var.ingestion_layers
  log_retention_days     = var.log_retention_days
  kms_key_arn            = local.kms_key_arn
  dead_letter_target_arn = local.ingestion_dlq_arn
  tags                   = var.tags

  environment = {
    INTERACTIONS_TABLE_NAME   = local.tables.interactions.name
    STUDENTS_TABLE_NAME       = local.tables.students.name
    CLASS_ACTIVITY_TABLE_NAME = local.tables.class_activity.name
    POWERTOOLS_SERVICE_NAME   = "ingestion"
  }

  policy_statements = {
    for key, statement in local.ingestion_statements : key => {
      actions    = statement.actions
      resources  = statement.resources
      conditions = statement.conditions
    } if statement.enabled
  }
}

# Optional: let the given EventBridge rules invoke the function (skip when the event-bus
# module grants the permission itself).
resource "aws_lambda_permission" "events" {
  for_each = var.event_rule_arns

  statement_id  = "AllowEventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = module.ingestion.function_name
  principal     = "events.amazonaws.com"
  source_arn    = each.value
}
