# Every input validation and precondition of the module, with a mocked AWS provider:
#   cd modules/student-data && terraform init -backend=false && terraform test
# The Lambda package must exist (`make package` builds build/lambda/ingestion.zip).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix            = "sdtest"
  ingestion_package_path = "../../build/lambda/ingestion.zip"
}

run "valid_inputs_plan" {
  command = plan
}

run "ingestion_package_not_a_zip" {
  command = plan
  variables { ingestion_package_path = "/tmp/ingestion.tar" }
  # lambda-function would reject the path too; only this module's message is under test.
  override_module {
    target = module.ingestion
  }
  expect_failures = [var.ingestion_package_path]
}

run "no_key_at_all" {
  command = plan
  variables { kms_key = { enabled = false } }
  expect_failures = [aws_dynamodb_table.this]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_uppercase
    name_prefix = "Dev"
    # kms_key_arn_alias
    kms_key = { arn = "alias/my-key" }
    # ingestion_timeout_too_long
    ingestion_timeout = 901
    # ingestion_reserved_concurrency_negative
    ingestion_reserved_concurrency = -2
    # event_rule_arns_not_rules
    event_rule_arns = { enrolled = "arn:aws:sqs:us-east-1:123456789012:q" }
    # log_retention_days_not_accepted_by_logs
    log_retention_days = 2
    # dlq_retention_too_short
    dlq_message_retention_seconds = 59
  }
  expect_failures = [
    var.name_prefix,
    var.kms_key,
    var.ingestion_timeout,
    var.ingestion_reserved_concurrency,
    var.event_rule_arns,
    var.log_retention_days,
    var.dlq_message_retention_seconds,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # name_prefix_too_long
    name_prefix = "a-very-long-prefix-x"
    # kms_deletion_window_too_short
    kms_key = { deletion_window_in_days = 6 }
  }
  expect_failures = [
    var.name_prefix,
    var.kms_key,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # name_prefix_trailing_dash
    name_prefix = "dev-"
  }
  expect_failures = [
    var.name_prefix,
  ]
}
