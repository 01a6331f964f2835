# terraform test (mock provider, plan only): encryption, the queue policy's statements and
# every validation. The policies as JSON are planned by the real provider in
# tests/modules/sqs_dlq (inventory) and read back from SQS by its apply test.
#   cd modules/sqs-dlq && terraform init -backend=false && terraform test
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "us-east-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
}

variables {
  queues = {
    rule = {
      name = "test-rule-dlq"
      senders = {
        EventBridgeSendsFromRule = {
          service     = "events.amazonaws.com"
          source_arns = ["arn:aws:events:us-east-1:123456789012:rule/test-rule"]
        }
      }
    }
    function = {
      name = "test-function-dlq"
      tags = { purpose = "lambda" }
    }
  }
  tags = { env = "test" }
}

run "sqs_managed_encryption_and_14_days_by_default" {
  command = plan

  assert {
    condition     = alltrue([for q in aws_sqs_queue.this : q.sqs_managed_sse_enabled && q.kms_master_key_id == null && q.message_retention_seconds == 1209600])
    error_message = "Without kms_key_arn the queues use SQS-managed encryption and keep messages 14 days."
  }
  assert {
    condition     = aws_sqs_queue.this["function"].tags == tomap({ env = "test", purpose = "lambda" }) && aws_sqs_queue.this["rule"].tags == tomap({ env = "test" })
    error_message = "A queue's tags are var.tags plus its own."
  }
  assert {
    condition     = output.queues["rule"].arn == "arn:aws:sqs:us-east-1:123456789012:test-rule-dlq" && output.queues["rule"].name == "test-rule-dlq" && output.queues["rule"].kms_key_arn == null
    error_message = "The queues output gives each queue's name and its ARN, known at plan."
  }
  assert {
    condition     = length(aws_sqs_queue_policy.this) == 2
    error_message = "Every queue gets a policy (TLS only), with or without senders."
  }
}

run "senders_may_send_from_their_sources_only_and_tls_is_required" {
  command = plan

  assert {
    condition     = [for s in data.aws_iam_policy_document.this["rule"].statement : s.sid] == ["EventBridgeSendsFromRule", "DenyInsecureTransport"]
    error_message = "A sender's statement comes first, then DenyInsecureTransport."
  }
  assert {
    condition = (
      data.aws_iam_policy_document.this["rule"].statement[0].actions == toset(["sqs:SendMessage"]) &&
      data.aws_iam_policy_document.this["rule"].statement[0].resources == toset(["arn:aws:sqs:us-east-1:123456789012:test-rule-dlq"]) &&
      one(data.aws_iam_policy_document.this["rule"].statement[0].principals).identifiers == toset(["events.amazonaws.com"]) &&
      one(data.aws_iam_policy_document.this["rule"].statement[0].condition).test == "ArnEquals" &&
      one(data.aws_iam_policy_document.this["rule"].statement[0].condition).variable == "aws:SourceArn" &&
      one(data.aws_iam_policy_document.this["rule"].statement[0].condition).values == tolist(["arn:aws:events:us-east-1:123456789012:rule/test-rule"])
    )
    error_message = "A sender may only sqs:SendMessage to its queue, from its source ARNs."
  }
  assert {
    condition = (
      [for s in data.aws_iam_policy_document.this["function"].statement : s.sid] == ["DenyInsecureTransport"] &&
      data.aws_iam_policy_document.this["function"].statement[0].effect == "Deny" &&
      data.aws_iam_policy_document.this["function"].statement[0].actions == toset(["sqs:*"]) &&
      one(data.aws_iam_policy_document.this["function"].statement[0].condition).values == tolist(["false"])
    )
    error_message = "A queue without senders denies every request without TLS, and allows nothing."
  }
}

run "customer_managed_key_and_retention" {
  command = plan

  variables {
    kms_key_arn               = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    message_retention_seconds = 345600
  }

  assert {
    condition     = alltrue([for q in aws_sqs_queue.this : q.kms_master_key_id == var.kms_key_arn && q.kms_data_key_reuse_period_seconds == 300 && q.message_retention_seconds == 345600])
    error_message = "A given key encrypts every queue (data keys reused 5 minutes); retention follows the input."
  }
  assert {
    condition     = output.queues["function"].kms_key_arn == var.kms_key_arn
    error_message = "The queues output reports the key."
  }
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # fifo_queue_name_is_refused
    queues = { q = { name = "test-dlq.fifo" } }
    # kms_alias_is_refused
    kms_key_arn = "alias/aws/sqs"
    # retention_over_14_days_is_refused
    message_retention_seconds = 1209601
  }
  expect_failures = [
    var.queues,
    var.kms_key_arn,
    var.message_retention_seconds,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # statement_id_with_symbols_is_refused
    queues = { q = { name = "test-dlq", senders = { "events-rule" = { service = "events.amazonaws.com", source_arns = ["arn:aws:events:us-east-1:123456789012:rule/r"] } } } }
    # retention_under_a_minute_is_refused
    message_retention_seconds = 59
  }
  expect_failures = [
    var.queues,
    var.message_retention_seconds,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # non_service_sender_is_refused
    queues = { q = { name = "test-dlq", senders = { Anyone = { service = "*", source_arns = ["arn:aws:events:us-east-1:123456789012:rule/r"] } } } }
  }
  expect_failures = [
    var.queues,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # source_that_is_not_an_arn_is_refused
    queues = { q = { name = "test-dlq", senders = { Rule = { service = "events.amazonaws.com", source_arns = ["my-rule"] } } } }
  }
  expect_failures = [
    var.queues,
  ]
}
