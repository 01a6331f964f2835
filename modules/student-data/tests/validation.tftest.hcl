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

run "name_prefix_uppercase" {
  command = plan
  variables { name_prefix = "Dev" }
  expect_failures = [var.name_prefix]
}

run "name_prefix_too_long" {
  command = plan
  variables { name_prefix = "a-very-long-prefix-x" }
  expect_failures = [var.name_prefix]
}

run "name_prefix_trailing_dash" {
  command = plan
  variables { name_prefix = "dev-" }
  expect_failures = [var.name_prefix]
}

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key = { arn = "alias/my-key" } }
  expect_failures = [var.kms_key]
}

run "kms_deletion_window_too_short" {
  command = plan
  variables { kms_key = { deletion_window_in_days = 6 } }
  expect_failures = [var.kms_key]
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

run "ingestion_timeout_too_long" {
  command = plan
  variables { ingestion_timeout = 901 }
  expect_failures = [var.ingestion_timeout]
}

run "ingestion_reserved_concurrency_negative" {
  command = plan
  variables { ingestion_reserved_concurrency = -2 }
  expect_failures = [var.ingestion_reserved_concurrency]
}

run "event_rule_arns_not_rules" {
  command = plan
  variables { event_rule_arns = { enrolled = "arn:aws:sqs:us-east-1:123456789012:q" } }
  expect_failures = [var.event_rule_arns]
}

run "log_retention_days_not_accepted_by_logs" {
  command = plan
  variables { log_retention_days = 2 }
  expect_failures = [var.log_retention_days]
}

run "dlq_retention_too_short" {
  command = plan
  variables { dlq_message_retention_seconds = 59 }
  expect_failures = [var.dlq_message_retention_seconds]
}

run "no_key_at_all" {
  command = plan
  variables { kms_key = { enabled = false } }
  expect_failures = [aws_dynamodb_table.this]
}
