data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  function_name = "${var.name_prefix}-student-notifier"
  # Concurrency cap x per-invocation pace = the SES sending rate (see var.sending): the fewest
  # invocations that reach the rate at <= 10 emails/s each (a SendEmail takes ~50-100 ms).
  max_concurrency      = max(1, ceil(var.sending.ses_max_send_rate / 10))
  send_interval_ms     = ceil(1000 * local.max_concurrency / var.sending.ses_max_send_rate)
  reserved_concurrency = var.sending.reserve_concurrency ? local.max_concurrency : -1
  # Known at plan time, so the function's policy and environment are too.
  idempotency_table_name = "${var.name_prefix}-notifier-idempotency"
  arn_prefix             = "arn:${data.aws_partition.current.partition}:%s:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:%s"
  # Built from the resources' names: known at plan time, and still dependent on them (null,
  # not an error, while a refresh finds them deleted).
  idempotency_table_arn = try(format(local.arn_prefix, "dynamodb", "table/${aws_dynamodb_table.idempotency.name}"), null)
  dlq_arn               = try(module.dlq.queues["notifier"].arn, null)
  students              = var.students_table_arn != null

  configuration_set_arn = var.configuration_set_name == null ? null : "arn:${data.aws_partition.current.partition}:ses:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:configuration-set/${var.configuration_set_name}"

  environment = merge(
    {
      POWERTOOLS_SERVICE_NAME = "notifier"
      SENDER_EMAIL            = var.sender_email
      IDEMPOTENCY_TABLE_NAME  = aws_dynamodb_table.idempotency.name
      IDEMPOTENCY_TTL_SECONDS = tostring(var.idempotency_ttl_seconds)
      SES_SEND_INTERVAL_MS    = tostring(local.send_interval_ms)
    },
    var.configuration_set_name == null ? {} : { SES_CONFIGURATION_SET = var.configuration_set_name },
    # Keyed on the name, known at plan time (the ARN of a table created alongside is not).
    var.students_table_name != null ? {
      STUDENTS_TABLE_NAME  = var.students_table_name
      STUDENTS_CLASS_INDEX = var.students_class_index
    } : {},
  )

  policy_statements = merge(
    {
      # SES v2 SendEmail authorises the identities and the configuration set; the condition
      # pins the From address, so the role cannot send as anyone else on the domain.
      send-email = {
        actions   = ["ses:SendEmail"]
        resources = concat(var.ses_identity_arns, var.configuration_set_name == null ? [] : [local.configuration_set_arn])
        conditions = [{
          test     = "StringEquals"
          variable = "ses:FromAddress"
          values   = [var.sender_email]
        }]
      }
      idempotency-records = {
        actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
        resources = [local.idempotency_table_arn]
      }
    },
    local.students ? {
      # Read-only: GetItem (enrolled student), Query on the class index (announcement to one
      # class) and Scan (announcement without classId: every student, see notify.py).
      read-students = {
        actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
        resources = [var.students_table_arn, "${var.students_table_arn}/index/${var.students_class_index}"]
      }
    } : {},
    local.students && var.students_table_kms_key_arn != null ? {
      # Reading the CMK-encrypted Students table needs the key, through DynamoDB only (as the
      # ingestion and ranking functions read theirs).
      decrypt-students = {
        actions   = ["kms:Decrypt"]
        resources = [var.students_table_kms_key_arn]
        conditions = [{
          test     = "StringEquals"
          variable = "kms:ViaService"
          values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
        }]
      }
    } : {},
    var.kms_key_arn == null || !var.dead_letter_queue.enabled ? {} : {
      # Sending to the KMS-encrypted DLQ (SQS SSE) needs a data key.
      encrypt-dead-letters = {
        actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
        resources = [var.kms_key_arn]
      }
    },
  )
}

# Powertools idempotency records: one item per EventBridge event id, expiring by TTL.
resource "aws_dynamodb_table" "idempotency" {
  name                        = local.idempotency_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.deletion_protection.enabled

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = (var.students_table_arn == null) == (var.students_table_name == null)
      error_message = "students_table_name and students_table_arn go together: set both (announcements, enrolled students from the table) or neither (detail.email only)."
    }
  }
}

# Asynchronous invocations that failed every Lambda retry (the email was not sent). The
# function sends with its role, so the queue policy only denies requests without TLS.
module "dlq" {
  source = "../sqs-dlq"

  queues      = var.dead_letter_queue.enabled ? { notifier = { name = "${local.function_name}-dlq" } } : {}
  kms_key_arn = var.kms_key_arn
  tags        = var.tags
}

moved {
  from = aws_sqs_queue.dlq[0]
  to   = module.dlq.aws_sqs_queue.this["notifier"]
}

module "function" {
  source = "../lambda-function"

  function_name        = local.function_name
  description          = "Emails students on student.enrolled and teacher.sendAnnouncement (SES v2, idempotent)"
  package_path         = var.package_path
  handler              = var.handler
  timeout              = var.timeout
  memory_size          = var.memory_size
  reserved_concurrency = local.reserved_concurrency
  layers               = var.layers
  log_retention_days   = var.log_retention_days
  kms_key_arn          = var.kms_key_arn

  environment            = local.environment
  dead_letter_target_arn = local.dlq_arn
  policy_statements      = local.policy_statements

  tags = var.tags
}
