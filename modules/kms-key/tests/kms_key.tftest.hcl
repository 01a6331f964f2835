# terraform test (mock provider, plan only): the key settings and every validation. The
# policy's content is planned by the real provider in tests/modules/kms_key (inventory) and
# read back from KMS by its apply test; here policy documents are a valid placeholder.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
}

variables {
  alias       = "test-data"
  description = "test data"
  service_principals = {
    LogsEncryptGroups = {
      service = "logs.us-east-1.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:aws:logs:us-east-1:123456789012:log-group:/test/*"]
      }]
    }
    PersonalizeUsesKey = {
      service      = "personalize.amazonaws.com"
      actions      = ["kms:Decrypt", "kms:DescribeKey"]
      same_account = true
    }
  }
}

run "key_rotates_and_alias_points_at_it" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30
    error_message = "the key must rotate and keep the 30-day default deletion window"
  }
  assert {
    condition     = aws_kms_alias.this.name == "alias/test-data"
    error_message = "the alias must be alias/<alias>"
  }
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # alias_with_prefix_is_refused
    alias = "alias/test"
    # empty_description_is_refused
    description = ""
    # deletion_window_out_of_range_is_refused
    deletion_window_in_days = 6
    # statement_id_with_symbols_is_refused
    service_principals = { "logs-encrypt" = { service = "logs.us-east-1.amazonaws.com" } }
  }
  expect_failures = [
    var.alias,
    var.description,
    var.deletion_window_in_days,
    var.service_principals,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # reserved_aws_alias_is_refused
    alias = "aws/s3"
    # non_service_principal_is_refused
    service_principals = { Anyone = { service = "*" } }
  }
  expect_failures = [
    var.alias,
    var.service_principals,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # wildcard_action_is_refused
    service_principals = { Logs = { service = "logs.us-east-1.amazonaws.com", actions = ["kms:*"] } }
  }
  expect_failures = [
    var.service_principals,
  ]
}
