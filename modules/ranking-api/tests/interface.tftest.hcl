# Wiring the mocked plan shows: names, the stage, the key and authorization switches.
#   cd modules/ranking-api && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix             = "ratest"
  package_path            = "../../build/lambda/ranking.zip"
  ranking_parameter_name  = "/ratest/ranking/current"
  interactions_table_name = "ratest-Interactions"
  interactions_table_arn  = "arn:aws:dynamodb:us-east-1:123456789012:table/ratest-Interactions"
  data_bucket_arn         = "arn:aws:s3:::ratest-ranking-data-123456789012-us-east-1"
}

run "defaults_iam_authorization_and_own_key" {
  command = plan

  assert {
    condition     = aws_apigatewayv2_api.this.name == "ratest-ranking-api" && aws_apigatewayv2_api.this.protocol_type == "HTTP"
    error_message = "The HTTP API is <prefix>-ranking-api."
  }
  assert {
    condition     = aws_apigatewayv2_route.ranking.route_key == "GET /ranking/{userId}" && aws_apigatewayv2_route.ranking.authorization_type == "AWS_IAM"
    error_message = "The one route is GET /ranking/{userId}, AWS_IAM by default."
  }
  assert {
    condition     = length(aws_apigatewayv2_authorizer.jwt) == 0
    error_message = "No JWT authorizer unless authorization_type is JWT."
  }
  assert {
    condition     = aws_apigatewayv2_integration.function.timeout_milliseconds == 11000
    error_message = "The integration waits one second longer than the function timeout."
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.name == "$default" && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 50
    error_message = "The $default stage is throttled (default burst 50)."
  }
  assert {
    condition     = jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format).requestId == "$context.requestId"
    error_message = "Access logs are JSON with the request id."
  }
  assert {
    condition     = length(aws_kms_key.this) == 1 && aws_kms_alias.this[0].name == "alias/ratest-ranking-api"
    error_message = "Without kms_key_arn the module creates its own key and alias."
  }
}

run "jwt_authorization_with_given_key" {
  command = plan

  variables {
    authorization_type = "JWT"
    jwt_issuer         = "https://issuer.example.com/pool"
    jwt_audience       = ["ranking-client"]
    kms_key_arn        = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555"
  }

  assert {
    condition     = aws_apigatewayv2_authorizer.jwt[0].jwt_configuration[0].issuer == var.jwt_issuer
    error_message = "The JWT authorizer trusts jwt_issuer."
  }
  assert {
    condition     = aws_apigatewayv2_route.ranking.authorization_type == "JWT"
    error_message = "The route uses the JWT authorizer."
  }
  assert {
    condition     = length(aws_kms_key.this) == 0 && aws_cloudwatch_log_group.access.kms_key_id == var.kms_key_arn
    error_message = "A given key replaces the module's own key."
  }
}
