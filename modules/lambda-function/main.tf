data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  log_group_name = "/aws/lambda/${var.function_name}"
  log_group_arn  = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
  dlq_action     = var.dead_letter_target_arn == null ? null : (strcontains(var.dead_letter_target_arn, ":sqs:") ? "sqs:SendMessage" : "sns:Publish")
}

# The function's own role: nothing but its logs, its DLQ, tracing and the caller's statements.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.function_name}-lambda"
  description          = "Execution role of the ${var.function_name} Lambda function"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  dynamic "statement" {
    for_each = var.dead_letter_target_arn == null ? [] : [var.dead_letter_target_arn]
    content {
      sid       = "SendToDeadLetterTarget"
      actions   = [local.dlq_action]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.tracing_mode == "Active" ? [1] : []
    content {
      sid = "WriteTraces"
      # X-Ray trace APIs do not support resource-level permissions.
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptEnvironment"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = replace(title(replace(statement.key, "/[^A-Za-z0-9]+/", " ")), " ", "")
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.function_name}-least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days input; each environment chooses it (dev 7 days, prod 365).
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117:Functions call only AWS APIs; a VPC would add NAT/endpoint cost without reducing exposure.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile per account; packages are built deterministically from reviewed source.
  function_name                  = var.function_name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  filename                       = var.package_path
  s3_bucket                      = try(var.package_s3.bucket, null)
  s3_key                         = try(var.package_s3.key, null)
  s3_object_version              = try(var.package_s3.object_version, null)
  source_code_hash               = var.package_path != null ? filebase64sha256(var.package_path) : var.package_s3.source_code_hash
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  timeout                        = var.timeout
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrency
  layers                         = var.layers
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [1] : []
    content {
      variables = var.environment
    }
  }

  dynamic "dead_letter_config" {
    for_each = var.dead_letter_target_arn == null ? [] : [var.dead_letter_target_arn]
    content {
      target_arn = dead_letter_config.value
    }
  }

  tracing_config {
    mode = var.tracing_mode
  }

  # Lambda writes to /aws/lambda/<name>, the group created above with retention and KMS;
  # Powertools' Logger emits JSON lines itself, so no logging_config block is needed.
  # The group and the policy must exist before the first invocation can log.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.function]
}
