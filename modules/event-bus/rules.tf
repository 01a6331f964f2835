locals {
  # One entry per (target, rule) pair, keyed "<target>/<rule>": stable, and never a duplicate
  # even when one target serves several rules. Unknown rule keys are stopped by a precondition
  # on the bus; they are filtered here so that the plan reports that message, not an index error.
  target_rules = merge([
    for t_key, t in var.targets : {
      for pair in setproduct([t_key], t.rule_keys) : "${pair[0]}/${pair[1]}" => {
        target_key = pair[0]
        rule_key   = pair[1]
        target     = t
      } if contains(keys(var.rules), pair[1])
    }
  ]...)

  # Expressions below iterate over resources instead of indexing them, so that the module
  # still evaluates when some of them are gone (a refresh after an out-of-band delete).
  target_rule_arns = {
    for t_key, t in var.targets : t_key => [
      for r_key, rule in aws_cloudwatch_event_rule.this : rule.arn if contains(t.rule_keys, r_key)
    ]
  }
  # SQS target queue URLs, from their ARNs (arn:<partition>:sqs:<region>:<account>:<name>).
  target_queue_urls = {
    for t_key, t in local.sqs_targets : t_key => try(format(
      "https://sqs.%s.%s/%s/%s",
      split(":", t.arn)[3], data.aws_partition.current.dns_suffix, split(":", t.arn)[4], split(":", t.arn)[5]
    ), null)
  }

  dlq_targets    = { for t_key, t in var.targets : t_key => t if t.dead_letter }
  sqs_targets    = { for t_key, t in var.targets : t_key => t if t.type == "sqs" && var.sqs_target_policy.enabled }
  lambda_pairs   = { for k, p in local.target_rules : k => p if p.target.type == "lambda" }
  role_targets   = { for t_key, t in var.targets : t_key => t if contains(["stepfunctions", "eventbridge"], t.type) }
  state_machines = sort(distinct([for t in values(local.role_targets) : t.arn if t.type == "stepfunctions"]))
  buses          = sort(distinct([for t in values(local.role_targets) : t.arn if t.type == "eventbridge"]))
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = var.rules

  name                = "${var.name_prefix}-${each.key}"
  description         = each.value.description
  event_bus_name      = each.value.on_default_bus ? "default" : aws_cloudwatch_event_bus.this.name
  event_pattern       = each.value.event_pattern
  schedule_expression = each.value.schedule_expression
  state               = each.value.state
  tags                = var.tags
}

# --- dead-letter queues: one per target, shared by all of its rules ---------------------------

module "dlq" {
  source = "../sqs-dlq"

  queues = {
    for t_key, t in local.dlq_targets : t_key => {
      name = "${local.base}-${t_key}-dlq"
      senders = {
        EventBridgeSendsFromTargetRules = { service = "events.amazonaws.com", source_arns = local.target_rule_arns[t_key] }
      }
    }
  }
  kms_key_arn               = local.kms_key_arn
  message_retention_seconds = var.dlq_message_retention_seconds
  tags                      = var.tags
}

# Existing queues move by their target key: aws_sqs_queue.dlq["k"] -> module.dlq.aws_sqs_queue.this["k"].
moved {
  from = aws_sqs_queue.dlq
  to   = module.dlq.aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue_policy.dlq
  to   = module.dlq.aws_sqs_queue_policy.this
}

# --- targets -------------------------------------------------------------------------------

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.target_rules

  rule           = aws_cloudwatch_event_rule.this[each.value.rule_key].name
  event_bus_name = aws_cloudwatch_event_rule.this[each.value.rule_key].event_bus_name
  target_id      = each.value.target_key
  arn            = each.value.target.arn
  role_arn       = contains(["stepfunctions", "eventbridge"], each.value.target.type) ? aws_iam_role.targets[0].arn : null

  retry_policy {
    maximum_event_age_in_seconds = each.value.target.retry.maximum_event_age_in_seconds
    maximum_retry_attempts       = each.value.target.retry.maximum_retry_attempts
  }

  dynamic "dead_letter_config" {
    for_each = each.value.target.dead_letter ? [module.dlq.queues[each.value.target_key].arn] : []
    content {
      arn = dead_letter_config.value
    }
  }

  dynamic "input_transformer" {
    for_each = each.value.target.input_transformer == null ? [] : [each.value.target.input_transformer]
    content {
      input_paths    = input_transformer.value.input_paths
      input_template = input_transformer.value.input_template
    }
  }

  dynamic "sqs_target" {
    for_each = each.value.target.sqs_message_group_id == null ? [] : [each.value.target.sqs_message_group_id]
    content {
      message_group_id = sqs_target.value
    }
  }

  # The DLQ must accept EventBridge's messages before the first event can fail.
  depends_on = [module.dlq, aws_sqs_queue_policy.target]
}

# Lambda targets: one resource-policy statement per (target, rule), scoped to that rule.
resource "aws_lambda_permission" "this" {
  for_each = local.lambda_pairs

  statement_id  = replace("${local.base}-${each.key}", "/", "-")
  action        = "lambda:InvokeFunction"
  function_name = each.value.target.arn
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this[each.value.rule_key].arn
}

# SQS targets: the queue's policy lets only this target's rules send (optional, see README).
data "aws_iam_policy_document" "target_queue" {
  for_each = local.sqs_targets

  statement {
    sid       = "EventBridgeSendsFromRules"
    actions   = ["sqs:SendMessage"]
    resources = [each.value.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = local.target_rule_arns[each.key]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value.arn]
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

resource "aws_sqs_queue_policy" "target" {
  for_each = local.sqs_targets

  queue_url = local.target_queue_urls[each.key]
  policy    = data.aws_iam_policy_document.target_queue[each.key].json
}

# --- role for targets that EventBridge calls with an IAM role ------------------------------

data "aws_iam_policy_document" "targets_assume" {
  count = length(local.role_targets) > 0 ? 1 : 0

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

resource "aws_iam_role" "targets" {
  count = length(local.role_targets) > 0 ? 1 : 0

  name                 = "${local.base}-targets"
  description          = "EventBridge invokes the Step Functions / event bus targets of ${local.bus_name}"
  assume_role_policy   = data.aws_iam_policy_document.targets_assume[0].json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "targets" {
  count = length(local.role_targets) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = length(local.state_machines) > 0 ? [1] : []
    content {
      sid       = "StartTargetStateMachines"
      actions   = ["states:StartExecution"]
      resources = local.state_machines
    }
  }

  dynamic "statement" {
    for_each = length(local.buses) > 0 ? [1] : []
    content {
      sid       = "PutEventsOnTargetBuses"
      actions   = ["events:PutEvents"]
      resources = local.buses
    }
  }
}

resource "aws_iam_role_policy" "targets" {
  count = length(local.role_targets) > 0 ? 1 : 0

  name   = "${local.base}-targets"
  role   = aws_iam_role.targets[0].id
  policy = data.aws_iam_policy_document.targets[0].json
}
