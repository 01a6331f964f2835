# Operational alarms (prod): any message in a dead-letter queue, any Lambda error.
locals {
  alarms_enabled = var.alarm_email != null
  dead_letter_queues = merge(
    { for key, arn in module.events.dlq_arns : "events-${key}" => arn },
    { for key, arn in module.ranking_pipeline.dlq_arns : "ranking-${key}" => arn },
    { "notifier" = module.notifier.dlq_arn, "ingestion" = module.data.ingestion_dlq_arn },
    # Events the bus itself could not deliver (e.g. KMS errors); none without a bus CMK.
    { for key, arn in module.events.bus_dlq_arns : "eventbus-${key}" => arn },
  )
  functions = merge(
    {
      publisher = module.publisher_api.function_name
      notifier  = module.notifier.function_name
      ingestion = module.data.ingestion_function_name
      ranking   = module.ranking_api.function_name
    },
    { for key, name in module.ranking_pipeline.function_names : "training-${key}" => name },
  )
}

resource "aws_kms_key" "alarms" {
  count = local.alarms_enabled ? 1 : 0

  description         = "${local.name_prefix} alarm notifications"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.alarms_key[0].json
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "alarms_key" {
  count = local.alarms_enabled ? 1 : 0

  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchPublishesEncrypted"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic" "alarms" {
  count = local.alarms_enabled ? 1 : 0

  name              = "${local.name_prefix}-platform-alarms"
  kms_master_key_id = aws_kms_key.alarms[0].arn
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = local.alarms_enabled ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each = local.alarms_enabled ? local.dead_letter_queues : {}

  alarm_name          = "${local.name_prefix}-dlq-${each.key}"
  alarm_description   = "Messages waiting in dead-letter queue ${element(split(":", each.value), 5)}: events that failed all retries."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = element(split(":", each.value), 5) }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms[0].arn]
  ok_actions          = [aws_sns_topic.alarms[0].arn]
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = local.alarms_enabled ? local.functions : {}

  alarm_name          = "${local.name_prefix}-lambda-errors-${each.key}"
  alarm_description   = "Errors in Lambda function ${each.value}."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms[0].arn]
}
