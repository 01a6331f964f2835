locals {
  # Placeholders of templates/state_machine.asl.json: <step>_function_arn for every step,
  # plus the loop waits and the execution timeout.
  definition = templatefile("${path.module}/templates/state_machine.asl.json", merge(
    { for key, fn in module.step : "${replace(key, "-", "_")}_function_arn" => fn.function_arn },
    {
      execution_timeout_seconds = var.waits.execution_timeout_seconds
      resource_wait_seconds     = var.waits.resource_seconds
      import_wait_seconds       = var.waits.import_seconds
      training_wait_seconds     = var.waits.training_seconds
      deploy_wait_seconds       = var.waits.deploy_seconds
    },
  ))
  state_machine_log_group_name = "/aws/vendedlogs/states/${local.state_machine_name}"
}

resource "aws_cloudwatch_log_group" "state_machine" {
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days input (environments choose; prod may keep a year).
  name              = local.state_machine_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "state_machine_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.state_machine_arn]
    }
  }
}

resource "aws_iam_role" "state_machine" {
  name                 = "${local.state_machine_name}-sfn"
  description          = "Execution role of ${local.state_machine_name}: invokes its step functions only"
  assume_role_policy   = data.aws_iam_policy_document.state_machine_assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "state_machine" {
  statement {
    sid     = "InvokeOwnSteps"
    actions = ["lambda:InvokeFunction"]
    resources = flatten([
      for fn in module.step : [fn.function_arn, "${fn.function_arn}:*"]
    ])
  }

  statement {
    sid = "DeliverExecutionLogs"
    # CloudWatch Logs vended delivery APIs have no resource-level permissions.
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }

  statement {
    sid = "WriteTraces"
    # X-Ray APIs have no resource-level permissions.
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "state_machine" {
  name   = "${local.state_machine_name}-least-privilege"
  role   = aws_iam_role.state_machine.id
  policy = data.aws_iam_policy_document.state_machine.json
}

# Every Task state of the definition invokes exactly one step function of module.step.
resource "aws_sfn_state_machine" "this" {
  #checkov:skip=CKV_AWS_285:Execution history is logged at level ERROR without execution data on purpose: inputs hold student ids.
  name       = local.state_machine_name
  type       = "STANDARD"
  role_arn   = aws_iam_role.state_machine.arn
  definition = local.definition
  tags       = var.tags

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.state_machine.arn}:*"
    include_execution_data = false
    level                  = "ERROR"
  }

  tracing_configuration {
    enabled = true
  }

  depends_on = [aws_iam_role_policy.state_machine]
}
