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

run "function_name_must_be_a_name" {
  command = plan
  variables {
    function_name = "bad name!"
  }
  expect_failures = [var.function_name]
}

run "package_path_must_exist" {
  command = plan
  variables {
    package_path = "/nonexistent/hello.zip"
  }
  expect_failures = [var.package_path]
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

run "handler_must_be_module_dot_function" {
  command = plan
  variables {
    handler = "no-dots"
  }
  expect_failures = [var.handler]
}

run "runtime_must_be_python" {
  command = plan
  variables {
    runtime = "nodejs20.x"
  }
  expect_failures = [var.runtime]
}

run "architecture_must_be_known" {
  command = plan
  variables {
    architecture = "sparc"
  }
  expect_failures = [var.architecture]
}

run "timeout_must_be_positive" {
  command = plan
  variables {
    timeout = -1
  }
  expect_failures = [var.timeout]
}

run "timeout_must_be_at_most_900" {
  command = plan
  variables {
    timeout = 901
  }
  expect_failures = [var.timeout]
}

run "memory_size_must_be_at_least_128" {
  command = plan
  variables {
    memory_size = 64
  }
  expect_failures = [var.memory_size]
}

run "reserved_concurrency_must_not_be_below_minus_one" {
  command = plan
  variables {
    reserved_concurrency = -2
  }
  expect_failures = [var.reserved_concurrency]
}

run "environment_names_must_be_identifiers" {
  command = plan
  variables {
    environment = { "1-BAD" = "x" }
  }
  expect_failures = [var.environment]
}

run "layers_at_most_five" {
  command = plan
  variables {
    layers = [for i in range(6) : "arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1"]
  }
  expect_failures = [var.layers]
}

run "policy_actions_must_be_explicit" {
  command = plan
  variables {
    policy_statements = { all = { actions = ["s3:*"], resources = ["*"] } }
  }
  expect_failures = [var.policy_statements]
}

run "policy_statements_need_actions_and_resources" {
  command = plan
  variables {
    policy_statements = { empty = { actions = ["s3:GetObject"], resources = [] } }
  }
  expect_failures = [var.policy_statements]
}

run "log_retention_days_must_be_a_cloudwatch_value" {
  command = plan
  variables {
    log_retention_days = 10
  }
  expect_failures = [var.log_retention_days]
}

run "kms_key_arn_must_be_a_key_arn" {
  command = plan
  variables {
    kms_key_arn = "alias/lambda"
  }
  expect_failures = [var.kms_key_arn]
}

run "dead_letter_target_must_be_sqs_or_sns" {
  command = plan
  variables {
    dead_letter_target_arn = "arn:aws:s3:::bucket"
  }
  expect_failures = [var.dead_letter_target_arn]
}

run "tracing_mode_must_be_known" {
  command = plan
  variables {
    tracing_mode = "Off"
  }
  expect_failures = [var.tracing_mode]
}
