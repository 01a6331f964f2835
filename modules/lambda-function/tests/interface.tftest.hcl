# Wiring the mock provider can show: names, the statements of the function's own policy as
# the inputs switch them on, the dead-letter target. Build the packages first (`make
# package`), then `terraform init -backend=false && terraform test` in modules/lambda-function.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_name = "test-notifier"
  package_path  = "../../build/lambda/notifier.zip"
  handler       = "notifier.app.lambda_handler"
}

run "defaults_name_everything_after_the_function" {
  command = plan

  assert {
    condition     = aws_iam_role.this.name == "test-notifier-lambda" && aws_iam_role_policy.function.name == "test-notifier-least-privilege"
    error_message = "Role and policy are named after the function."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/test-notifier" && aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "The log group is /aws/lambda/<function_name> with the default retention."
  }
  assert {
    condition     = aws_lambda_function.this.runtime == "python3.13" && tolist(aws_lambda_function.this.architectures) == tolist(["x86_64"])
    error_message = "python3.13 on x86_64 by default."
  }
  assert {
    condition     = [for s in data.aws_iam_policy_document.function.statement : s.sid] == ["WriteOwnLogs", "WriteTraces"]
    error_message = "By default the role may only write its own logs and traces."
  }
  assert {
    condition     = toset(one([for s in data.aws_iam_policy_document.function.statement : s.resources if s.sid == "WriteOwnLogs"])) == toset(["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/test-notifier:*"])
    error_message = "Logs may be written to the function's own log group only."
  }
  assert {
    condition     = length(aws_lambda_function.this.dead_letter_config) == 0 && length(aws_lambda_function.this.environment) == 0
    error_message = "No dead-letter target and no environment block unless given."
  }
}

run "inputs_add_their_statements" {
  command = plan
  variables {
    tracing_mode           = "PassThrough"
    kms_key_arn            = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    dead_letter_target_arn = "arn:aws:sqs:us-east-1:123456789012:test-notifier-dlq"
    environment            = { GREETING = "hello" }
    policy_statements = {
      read-greeting = {
        actions   = ["ssm:GetParameter"]
        resources = ["arn:aws:ssm:us-east-1:123456789012:parameter/test/greeting"]
      }
    }
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.function.statement : s.sid] == ["WriteOwnLogs", "SendToDeadLetterTarget", "DecryptEnvironment", "ReadGreeting"]
    error_message = "DLQ, KMS and caller statements are added; no trace statement without Active tracing."
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.function.statement : s.actions if s.sid == "SendToDeadLetterTarget"]) == toset(["sqs:SendMessage"])
    error_message = "An SQS dead-letter target needs sqs:SendMessage."
  }
  assert {
    condition     = aws_lambda_function.this.dead_letter_config[0].target_arn == "arn:aws:sqs:us-east-1:123456789012:test-notifier-dlq"
    error_message = "The function must point at its dead-letter target."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" && aws_lambda_function.this.kms_key_arn == aws_cloudwatch_log_group.this.kms_key_id
    error_message = "The key encrypts both the log group and the environment."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ GREETING = "hello" })
    error_message = "environment must reach the function."
  }
}

run "sns_dead_letter_target_needs_publish" {
  command = plan
  variables {
    dead_letter_target_arn = "arn:aws:sns:us-east-1:123456789012:test-notifier-dlq"
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.function.statement : s.actions if s.sid == "SendToDeadLetterTarget"]) == toset(["sns:Publish"])
    error_message = "An SNS dead-letter target needs sns:Publish."
  }
}

run "an_s3_object_is_the_package" {
  command = plan
  variables {
    package_path = null
    package_s3 = {
      bucket           = "artifacts-bucket"
      key              = "lambda/notifier-1.2.0.zip"
      object_version   = "3"
      source_code_hash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    }
  }

  assert {
    condition     = aws_lambda_function.this.s3_bucket == "artifacts-bucket" && aws_lambda_function.this.s3_key == "lambda/notifier-1.2.0.zip" && aws_lambda_function.this.s3_object_version == "3"
    error_message = "package_s3 is the function's code location."
  }

  assert {
    condition     = aws_lambda_function.this.filename == null && aws_lambda_function.this.source_code_hash == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    error_message = "An S3 package has no local file; its given hash drives updates."
  }
}
