# Every input validation of the module, with a mocked AWS provider:
#   cd modules/ranking-api && terraform init -backend=false && terraform test
# The Lambda package must exist (`make package` builds build/lambda/ranking.zip).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix            = "ratest"
  package_path           = "../../build/lambda/ranking.zip"
  ranking_parameter_name = "/ratest/ranking/current"
  data_bucket_arn        = "arn:aws:s3:::ratest-ranking-data-123456789012-us-east-1"
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_too_short" {
  command = plan
  variables { name_prefix = "x" }
  expect_failures = [var.name_prefix]
}

run "ranking_parameter_name_not_hierarchical" {
  command = plan
  variables { ranking_parameter_name = "ranking-current" }
  expect_failures = [var.ranking_parameter_name]
}

run "interactions_table_arn_not_dynamodb" {
  command = plan
  variables { interactions_table_arn = "arn:aws:s3:::ratest-Interactions" }
  expect_failures = [var.interactions_table_arn]
}

run "tables_kms_key_arn_alias" {
  command = plan
  variables { tables_kms_key_arn = "alias/tables" }
  expect_failures = [var.tables_kms_key_arn]
}

run "recipe_unsupported" {
  command = plan
  variables { recipe = "aws-similar-items" }
  expect_failures = [var.recipe]
}

run "deploy_mode_unknown" {
  command = plan
  variables { deploy_mode = "realtime" }
  expect_failures = [var.deploy_mode]
}

run "data_bucket_arn_not_s3" {
  command = plan
  variables { data_bucket_arn = "ratest-ranking-data" }
  expect_failures = [var.data_bucket_arn]
}

run "batch_output_prefix_without_trailing_slash" {
  command = plan
  variables { batch_output_prefix = "batch" }
  expect_failures = [var.batch_output_prefix]
}

run "data_kms_key_arn_alias" {
  command = plan
  variables { data_kms_key_arn = "alias/data" }
  expect_failures = [var.data_kms_key_arn]
}

run "fallback_limit_too_high" {
  command = plan
  variables { fallback_limit = 101 }
  expect_failures = [var.fallback_limit]
}

run "authorization_type_unknown" {
  command = plan
  variables { authorization_type = "COGNITO" }
  expect_failures = [var.authorization_type]
}

run "jwt_issuer_plain_http" {
  command = plan
  variables { jwt = { issuer = "http://insecure.example.com", audience = ["ranking-client"] } }
  expect_failures = [var.jwt]
}

run "throttling_burst_limit_zero" {
  command = plan
  variables { throttling = { burst_limit = 0 } }
  expect_failures = [var.throttling]
}

run "throttling_rate_limit_zero" {
  command = plan
  variables { throttling = { rate_limit = 0 } }
  expect_failures = [var.throttling]
}

run "timeout_beyond_integration_limit" {
  command = plan
  variables { timeout = 30 }
  expect_failures = [var.timeout]
}

run "log_retention_days_not_accepted_by_logs" {
  command = plan
  variables { log_retention_days = 2 }
  expect_failures = [var.log_retention_days]
}

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key = { arn = "alias/api" } }
  expect_failures = [var.kms_key]
}

run "kms_deletion_window_too_short" {
  command = plan
  variables { kms_key = { deletion_window_in_days = 6 } }
  expect_failures = [var.kms_key]
}

run "package_path_not_a_zip" {
  command = plan
  variables { package_path = "/tmp/ranking.jar" }
  # lambda-function would reject the path too; only this module's message is under test.
  override_module {
    target = module.function
    outputs = {
      function_name = "ratest-ranking-api"
      invoke_arn    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:ratest-ranking-api/invocations"
    }
  }
  expect_failures = [var.package_path]
}

run "jwt_without_issuer" {
  command = plan
  variables { authorization_type = "JWT" }
  expect_failures = [var.jwt]
}

run "batch_mode_without_data_bucket" {
  command = plan
  variables { data_bucket_arn = null }
  expect_failures = [var.data_bucket_arn]
}

run "no_key_at_all" {
  command = plan
  variables { kms_key = { enabled = false } }
  expect_failures = [var.kms_key]
}

run "class_rankings_need_a_key_prefix" {
  command = plan
  variables {
    class_rankings = { enabled = true }
  }
  expect_failures = [var.class_rankings]
}

run "popularity_without_data_bucket" {
  command = plan
  variables {
    deploy_mode     = "campaign"
    data_bucket_arn = null
  }
  expect_failures = [var.popularity]
}

run "popularity_key_not_a_json_object_key" {
  command = plan
  variables {
    popularity = { key = "personalize/batch/popularity/" }
  }
  expect_failures = [var.popularity]
}
