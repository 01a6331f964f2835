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

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_uppercase
    name_prefix = "Prod"
    # bucket_name_uppercase
    bucket_name = "UPPER.case"
    # export_prefix_without_trailing_slash
    export_prefix = "personalize/export"
    # batch_output_prefix_without_trailing_slash
    batch_output_prefix = "batch"
    # export_expiration_days_zero
    export_expiration_days = 0
    # batch_output_expiration_days_fractional
    batch_output_expiration_days = 1.5
    # noncurrent_version_expiration_days_zero
    noncurrent_version_expiration_days = 0
    # access_log_bucket_invalid
    access_log_bucket = "Bad_Bucket"
    # kms_key_arn_not_an_arn
    kms_key = { arn = "not-an-arn" }
    # crawler_log_retention_days_not_accepted_by_logs
    crawler_log_retention_days = 10
  }
  expect_failures = [
    var.name_prefix,
    var.bucket_name,
    var.export_prefix,
    var.batch_output_prefix,
    var.export_expiration_days,
    var.batch_output_expiration_days,
    var.noncurrent_version_expiration_days,
    var.access_log_bucket,
    var.kms_key,
    var.crawler_log_retention_days,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # export_prefix_with_leading_slash
    export_prefix = "/export/"
    # kms_deletion_window_too_long
    kms_key = { deletion_window_in_days = 31 }
  }
  expect_failures = [
    var.export_prefix,
    var.kms_key,
  ]
}
