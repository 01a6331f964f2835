# Every input validation of the module, one run block each, planned with a mock provider
# (no credentials, nothing created). package_path must name an existing zip: build the
# packages first (`make package`), then `terraform init -backend=false && terraform test`
# inside modules/lambda-function.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_name = "test-notifier"
  package_path  = "../../build/lambda/notifier.zip"
  handler       = "notifier.app.lambda_handler"
}

run "valid_inputs_plan" {
  command = plan
}

run "package_s3_needs_a_zip_key" {
  command = plan
  variables {
    package_path = null
    package_s3   = { bucket = "artifacts-bucket", key = "notifier.tar", source_code_hash = "abc=" }
  }
  expect_failures = [var.package_s3]
}

run "exactly_one_package_source" {
  command = plan
  variables {
    package_s3 = { bucket = "artifacts-bucket", key = "notifier.zip", source_code_hash = "abc=" }
  }
  expect_failures = [var.package_s3]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # function_name_must_be_a_name
    function_name = "bad name!"
    # package_path_must_exist
    package_path = "/nonexistent/hello.zip"
    # handler_must_be_module_dot_function
    handler = "no-dots"
    # runtime_must_be_python
    runtime = "nodejs20.x"
    # architecture_must_be_known
    architecture = "sparc"
    # timeout_must_be_positive
    timeout = -1
    # memory_size_must_be_at_least_128
    memory_size = 64
    # reserved_concurrency_must_not_be_below_minus_one
    reserved_concurrency = -2
    # environment_names_must_be_identifiers
    environment = { "1-BAD" = "x" }
    # layers_at_most_five
    layers = [for i in range(6) : "arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1"]
    # policy_actions_must_be_explicit
    policy_statements = { all = { actions = ["s3:*"], resources = ["*"] } }
    # log_retention_days_must_be_a_cloudwatch_value
    log_retention_days = 10
    # kms_key_arn_must_be_a_key_arn
    kms_key_arn = "alias/lambda"
    # dead_letter_target_must_be_sqs_or_sns
    dead_letter_target_arn = "arn:aws:s3:::bucket"
    # tracing_mode_must_be_known
    tracing_mode = "Off"
  }
  expect_failures = [
    var.function_name,
    var.package_path,
    var.handler,
    var.runtime,
    var.architecture,
    var.timeout,
    var.memory_size,
    var.reserved_concurrency,
    var.environment,
    var.layers,
    var.policy_statements,
    var.log_retention_days,
    var.kms_key_arn,
    var.dead_letter_target_arn,
    var.tracing_mode,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # timeout_must_be_at_most_900
    timeout = 901
    # policy_statements_need_actions_and_resources
    policy_statements = { empty = { actions = ["s3:GetObject"], resources = [] } }
  }
  expect_failures = [
    var.timeout,
    var.policy_statements,
  ]
}
