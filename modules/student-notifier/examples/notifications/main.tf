# The enrollment email path: event bus -> rule -> notifier Lambda -> SES, plus an audit
# queue that receives every event. Composition happens here (and in envs/), not in modules.

resource "aws_dynamodb_table" "students" {
  #checkov:skip=CKV_AWS_119:Example table; the real Students table is owned by another stack, with its own CMK.
  count = var.students_table.enabled ? 1 : 0

  name         = "${var.name_prefix}-students"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "studentId"

  attribute {
    name = "studentId"
    type = "S"
  }

  attribute {
    name = "classId"
    type = "S"
  }

  global_secondary_index {
    name            = "classId-index"
    hash_key        = "classId"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_sqs_queue" "audit" {
  name                    = "${var.name_prefix}-notifications-audit"
  sqs_managed_sse_enabled = true
}

module "email" {
  source = "../../../ses-email"

  name_prefix  = var.name_prefix
  domain       = var.domain
  sender_email = var.sender_email

  configuration_set       = var.ses_configuration_set
  dkim_signing_key_length = var.ses_dkim_signing_key_length
}

module "notifier" {
  source = "../.."

  name_prefix            = var.name_prefix
  package_path           = var.package_path
  students_table_name    = one(aws_dynamodb_table.students[*].name)
  students_table_arn     = one(aws_dynamodb_table.students[*].arn)
  sender_email           = var.sender_email
  ses_identity_arns      = module.email.identity_arns
  configuration_set_name = module.email.configuration_set_name
  layers                 = coalescelist(var.powertools_layer_arns, module.dependencies_layer[*].arn)
  log_retention_days     = 14
  kms_key_arn            = var.notifier_kms_key_arn

  dead_letter_queue = var.notifier_dead_letter_queue

  tags = { example = "student-notifier" }
}

module "events" {
  source = "../../../event-bus"

  name_prefix = var.name_prefix
  name        = "notifications"
  archive     = var.archive

  rules = {
    enrolled = {
      description   = "A student enrolled: send the confirmation email"
      event_pattern = jsonencode({ source = ["api.student"], "detail-type" = ["student.enrolled"] })
    }
    announcement = {
      description   = "A teacher announcement: email the class"
      event_pattern = jsonencode({ source = ["api.teacher"], "detail-type" = ["teacher.sendAnnouncement"] })
    }
    all-events = {
      description   = "Every platform event, for the audit trail"
      event_pattern = jsonencode({ source = [{ prefix = "api." }] })
    }
  }

  targets = {
    notifier = {
      rule_keys = ["enrolled", "announcement"]
      arn       = module.notifier.function_arn
      type      = "lambda"
    }
    audit = {
      rule_keys = ["all-events"]
      arn       = aws_sqs_queue.audit.arn
      type      = "sqs"
    }
  }

  tags = { example = "student-notifier" }
}

# The dependency layer `make package` builds (Powertools, fastjsonschema): the function's
# code imports from it, so the example deploys it as environments do.
module "dependencies_layer" {
  source = "../../../lambda-layer"

  count = length(var.powertools_layer_arns) == 0 ? 1 : 0

  layer_name   = "${var.name_prefix}-python-deps"
  description  = "Pinned runtime dependencies of the example's functions"
  package_path = var.layer_package_path
}
