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

run "alias_with_prefix_is_refused" {
  command = plan
  variables { alias = "alias/test" }
  expect_failures = [var.alias]
}

run "reserved_aws_alias_is_refused" {
  command = plan
  variables { alias = "aws/s3" }
  expect_failures = [var.alias]
}

run "empty_description_is_refused" {
  command = plan
  variables { description = "" }
  expect_failures = [var.description]
}

run "deletion_window_out_of_range_is_refused" {
  command = plan
  variables { deletion_window_in_days = 6 }
  expect_failures = [var.deletion_window_in_days]
}

run "statement_id_with_symbols_is_refused" {
  command = plan
  variables {
    service_principals = { "logs-encrypt" = { service = "logs.us-east-1.amazonaws.com" } }
  }
  expect_failures = [var.service_principals]
}

run "non_service_principal_is_refused" {
  command = plan
  variables {
    service_principals = { Anyone = { service = "*" } }
  }
  expect_failures = [var.service_principals]
}

run "wildcard_action_is_refused" {
  command = plan
  variables {
    service_principals = { Logs = { service = "logs.us-east-1.amazonaws.com", actions = ["kms:*"] } }
  }
  expect_failures = [var.service_principals]
}
