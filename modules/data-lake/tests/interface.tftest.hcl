# Wiring the mocked plan shows: derived names, the key and access-logging switches.
#   cd modules/data-lake && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix = "dl-test"
}

run "defaults_derive_names_and_create_key" {
  command = plan

  assert {
    condition     = output.bucket_name == "dl-test-ranking-data-123456789012-us-east-1"
    error_message = "The bucket name is <prefix>-ranking-data-<account>-<region>."
  }
  assert {
    condition     = output.database_name == "dl_test_ranking_data"
    error_message = "The Glue database name replaces '-' with '_'."
  }
  assert {
    condition     = aws_glue_crawler.this.s3_target[0].path == "s3://dl-test-ranking-data-123456789012-us-east-1/personalize/export/"
    error_message = "The crawler reads the export prefix."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/dl-test-ranking-data"
    error_message = "Without kms_key.arn the module creates its own key (modules/kms-key: rotated) and alias."
  }
  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0
    error_message = "No access logging without access_log_bucket."
  }
}

run "given_key_and_access_log_bucket" {
  command = plan

  variables {
    kms_key           = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
    access_log_bucket = "dl-test-logs"
    bucket_name       = "my-lake"
  }

  assert {
    condition     = length(module.kms_key) == 0 && output.kms_key_arn == var.kms_key.arn
    error_message = "A given key replaces the module's own key."
  }
  assert {
    condition     = aws_s3_bucket_logging.this[0].target_prefix == "s3-access/my-lake/"
    error_message = "Access logs go to s3-access/<bucket>/ of access_log_bucket."
  }
  assert {
    condition     = aws_glue_security_configuration.this.encryption_configuration[0].s3_encryption[0].kms_key_arn == var.kms_key.arn
    error_message = "The Glue security configuration uses the given key."
  }
}
