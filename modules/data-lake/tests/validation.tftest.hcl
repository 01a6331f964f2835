# Every input validation and precondition of the module, with a mocked AWS provider:
#   cd modules/data-lake && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix = "dltest"
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_uppercase" {
  command = plan
  variables { name_prefix = "Prod" }
  expect_failures = [var.name_prefix]
}

run "bucket_name_uppercase" {
  command = plan
  variables { bucket_name = "UPPER.case" }
  expect_failures = [var.bucket_name]
}

run "export_prefix_without_trailing_slash" {
  command = plan
  variables { export_prefix = "personalize/export" }
  expect_failures = [var.export_prefix]
}

run "export_prefix_with_leading_slash" {
  command = plan
  variables { export_prefix = "/export/" }
  expect_failures = [var.export_prefix]
}

run "batch_output_prefix_without_trailing_slash" {
  command = plan
  variables { batch_output_prefix = "batch" }
  expect_failures = [var.batch_output_prefix]
}

run "export_expiration_days_zero" {
  command = plan
  variables { export_expiration_days = 0 }
  expect_failures = [var.export_expiration_days]
}

run "batch_output_expiration_days_fractional" {
  command = plan
  variables { batch_output_expiration_days = 1.5 }
  expect_failures = [var.batch_output_expiration_days]
}

run "noncurrent_version_expiration_days_zero" {
  command = plan
  variables { noncurrent_version_expiration_days = 0 }
  expect_failures = [var.noncurrent_version_expiration_days]
}

run "access_log_bucket_invalid" {
  command = plan
  variables { access_log_bucket = "Bad_Bucket" }
  expect_failures = [var.access_log_bucket]
}

run "kms_key_arn_not_an_arn" {
  command = plan
  variables { kms_key = { arn = "not-an-arn" } }
  expect_failures = [var.kms_key]
}

run "kms_deletion_window_too_long" {
  command = plan
  variables { kms_key = { deletion_window_in_days = 31 } }
  expect_failures = [var.kms_key]
}

run "crawler_log_retention_days_not_accepted_by_logs" {
  command = plan
  variables { crawler_log_retention_days = 10 }
  expect_failures = [var.crawler_log_retention_days]
}

run "prefixes_contain_each_other" {
  command = plan
  variables {
    export_prefix       = "personalize/"
    batch_output_prefix = "personalize/batch/"
  }
  expect_failures = [aws_s3_bucket.this]
}

run "no_key_at_all" {
  command = plan
  variables { kms_key = { enabled = false } }
  expect_failures = [aws_s3_bucket.this]
}
