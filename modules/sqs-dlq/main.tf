data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # Known at plan time, so that the queue policies are reviewable in a plan.
  arns = {
    for k, q in var.queues : k => "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:${q.name}"
  }
}

resource "aws_sqs_queue" "this" {
  for_each = var.queues

  name                              = each.value.name
  message_retention_seconds         = var.message_retention_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300
  sqs_managed_sse_enabled           = var.kms_key_arn == null ? true : null
  tags                              = merge(var.tags, each.value.tags)
}

data "aws_iam_policy_document" "this" {
  for_each = var.queues

  # Each sender service, only on behalf of its own sources.
  dynamic "statement" {
    for_each = each.value.senders
    content {
      sid       = statement.key
      actions   = ["sqs:SendMessage"]
      resources = [local.arns[each.key]]
      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }
      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = statement.value.source_arns
      }
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [local.arns[each.key]]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each = var.queues

  queue_url = aws_sqs_queue.this[each.key].id
  policy    = data.aws_iam_policy_document.this[each.key].json
}
