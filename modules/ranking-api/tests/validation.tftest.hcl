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

run "data_bucket_arn_not_s3" {
  command = plan
  variables { data_bucket_arn = "ratest-ranking-data" }
  expect_failures = [var.data_bucket_arn]
}

run "jwt_issuer_plain_http" {
  command = plan
  variables { jwt = { issuer = "http://insecure.example.com", audience = ["ranking-client"] } }
  expect_failures = [var.jwt]
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

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_too_short
    name_prefix = "x"
    # ranking_parameter_name_not_hierarchical
    ranking_parameter_name = "ranking-current"
    # recipe_unsupported
    recipe = "aws-similar-items"
    # deploy_mode_unknown
    deploy_mode = "realtime"
    # batch_output_prefix_without_trailing_slash
    batch_output_prefix = "batch"
    # data_kms_key_arn_alias
    data_kms_key_arn = "alias/data"
    # fallback_limit_too_high
    fallback_limit = 101
    # authorization_type_unknown
    authorization_type = "COGNITO"
    # throttling_burst_limit_zero
    throttling = { burst_limit = 0 }
    # timeout_beyond_integration_limit
    timeout = 30
    # log_retention_days_not_accepted_by_logs
    log_retention_days = 2
    # kms_key_arn_alias
    kms_key = { arn = "alias/api" }
  }
  expect_failures = [
    var.name_prefix,
    var.ranking_parameter_name,
    var.recipe,
    var.deploy_mode,
    var.batch_output_prefix,
    var.data_kms_key_arn,
    var.fallback_limit,
    var.authorization_type,
    var.throttling,
    var.timeout,
    var.log_retention_days,
    var.kms_key,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # throttling_rate_limit_zero
    throttling = { rate_limit = 0 }
    # kms_deletion_window_too_short
    kms_key = { deletion_window_in_days = 6 }
  }
  expect_failures = [
    var.throttling,
    var.kms_key,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # no_key_at_all
    kms_key = { enabled = false }
  }
  expect_failures = [
    var.kms_key,
  ]
}
