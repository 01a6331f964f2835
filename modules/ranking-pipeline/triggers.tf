# What starts the state machine: the nightly EventBridge Scheduler schedule and the
# ranking.requestUpdate rule on the student bus, each with its own role, retries and an
# encrypted dead-letter queue.

locals {
  schedule_group_name = "${var.name_prefix}-ranking"
  schedule_name       = "${var.name_prefix}-ranking-nightly"
  rule_name           = "${var.name_prefix}-ranking-request-update"

  dead_letter_queues = {
    schedule = {
      name        = "${var.name_prefix}-ranking-schedule-dlq"
      description = "nightly schedule deliveries that failed every retry"
    }
    request-update = {
      name        = "${var.name_prefix}-ranking-request-dlq"
      description = "ranking.requestUpdate deliveries that failed every retry"
    }
  }

  dlq_arns = { for k, q in local.dead_letter_queues : k => "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${q.name}" }

  request_update_pattern = {
    source        = ["api.ranking"]
    "detail-type" = ["ranking.requestUpdate"]
  }
}

# Scheduler sends dead letters with the schedule's role; EventBridge rules deliver to their
# DLQ as the service, not through the target role.
module "dlq" {
  source = "../sqs-dlq"

  queues = {
    for k, q in local.dead_letter_queues : k => {
      name = q.name
      tags = { purpose = q.description }
      senders = k == "request-update" ? {
        EventBridgeRuleDeadLetters = { service = "events.amazonaws.com", source_arns = [aws_cloudwatch_event_rule.request_update.arn] }
      } : {}
    }
  }
  kms_key_arn               = local.kms_key_arn
  message_retention_seconds = var.dlq_message_retention_seconds
  tags                      = var.tags
}

moved {
  from = aws_sqs_queue.dlq
  to   = module.dlq.aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue_policy.dlq
  to   = module.dlq.aws_sqs_queue_policy.this
}

# --------------------------------------------------------------------------- nightly schedule

resource "aws_scheduler_schedule_group" "this" {
  name = local.schedule_group_name
  tags = var.tags
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:scheduler:${local.region}:${local.account_id}:schedule-group/${local.schedule_group_name}"]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name                 = "${local.schedule_name}-scheduler"
  description          = "EventBridge Scheduler role of ${local.schedule_name}: starts ${local.state_machine_name} only"
  assume_role_policy   = data.aws_iam_policy_document.scheduler_assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "StartPipeline"
    actions   = ["states:StartExecution"]
    resources = [local.state_machine_arn]
  }

  # Scheduler sends dead letters with the schedule's role.
  statement {
    sid       = "SendDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [local.dlq_arns.schedule]
  }

  # The schedule's target input is encrypted with the key; Scheduler decrypts it as the role.
  dynamic "statement" {
    for_each = local.kms_key_arn == null ? [] : [local.kms_key_arn]
    content {
      sid       = "DecryptScheduleInput"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["scheduler.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.kms_key_arn == null ? [] : [local.kms_key_arn]
    content {
      sid       = "EncryptDeadLetters"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sqs.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "${local.schedule_name}-least-privilege"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "nightly" {
  name                         = local.schedule_name
  group_name                   = aws_scheduler_schedule_group.this.name
  description                  = "Nightly Personalize training of ${local.state_machine_name}"
  schedule_expression          = var.schedule.expression
  schedule_expression_timezone = var.schedule.timezone
  state                        = var.schedule.enabled ? "ENABLED" : "DISABLED"
  kms_key_arn                  = local.kms_key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = local.state_machine_arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ trigger = "nightly" })

    retry_policy {
      maximum_retry_attempts       = var.retry.maximum_retry_attempts
      maximum_event_age_in_seconds = var.retry.maximum_event_age_in_seconds
    }

    dead_letter_config {
      arn = module.dlq.queues["schedule"].arn
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}

# --------------------------------------------------------------------------- on demand

resource "aws_cloudwatch_event_rule" "request_update" {
  name           = local.rule_name
  description    = "ranking.requestUpdate (source api.ranking) starts ${local.state_machine_name}"
  event_bus_name = var.event_bus_name
  event_pattern  = jsonencode(local.request_update_pattern)
  state          = "ENABLED"
  tags           = var.tags
}

data "aws_iam_policy_document" "events_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "events" {
  name                 = "${local.rule_name}-events"
  description          = "EventBridge role of ${local.rule_name}: starts ${local.state_machine_name} only"
  assume_role_policy   = data.aws_iam_policy_document.events_assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "events" {
  statement {
    sid       = "StartPipeline"
    actions   = ["states:StartExecution"]
    resources = [local.state_machine_arn]
  }
}

resource "aws_iam_role_policy" "events" {
  name   = "${local.rule_name}-least-privilege"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events.json
}

resource "aws_cloudwatch_event_target" "request_update" {
  rule           = aws_cloudwatch_event_rule.request_update.name
  event_bus_name = var.event_bus_name
  target_id      = "ranking-pipeline"
  arn            = local.state_machine_arn
  role_arn       = aws_iam_role.events.arn

  retry_policy {
    maximum_retry_attempts       = var.retry.maximum_retry_attempts
    maximum_event_age_in_seconds = var.retry.maximum_event_age_in_seconds
  }

  dead_letter_config {
    arn = module.dlq.queues["request-update"].arn
  }

  depends_on = [aws_iam_role_policy.events]
}
