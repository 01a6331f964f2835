# Two dead-letter queues: one for an EventBridge rule's target (EventBridge sends as the
# service, from that rule only) and one for a Lambda function (which sends with its role).
module "kms_key" {
  source = "../../../kms-key"
  count  = var.kms_key.enabled ? 1 : 0

  alias                   = "${var.name_prefix}-dead-letters"
  description             = "${var.name_prefix} example: dead-letter queues"
  deletion_window_in_days = 7
  service_principals = {
    EventBridgeUsesKey = {
      service      = "events.amazonaws.com"
      actions      = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"]
      same_account = true
    }
  }
}

resource "aws_cloudwatch_event_rule" "example" {
  name          = "${var.name_prefix}-dlq-example"
  description   = "A rule whose target would dead-letter to the rule queue"
  event_pattern = jsonencode({ source = ["example.dlq"] })
}

module "dlq" {
  source = "../.."

  queues = {
    rule = {
      name = "${var.name_prefix}-rule-dlq"
      senders = {
        EventBridgeSendsFromRule = {
          service     = "events.amazonaws.com"
          source_arns = [aws_cloudwatch_event_rule.example.arn]
        }
      }
    }
    function = {
      name = "${var.name_prefix}-function-dlq"
      tags = { purpose = "asynchronous invocations that failed every retry" }
    }
  }
  kms_key_arn               = one(module.kms_key[*].key_arn)
  message_retention_seconds = var.message_retention_seconds
  tags                      = { example = "sqs-dlq" }
}
