# Wiring the mocked plan shows: names, the authorization switch, the key switch, the
# function's environment and throttling.
#   cd modules/event-publisher-api && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix    = "pubtest"
  package_path   = "../../build/lambda/publisher.zip"
  event_bus_name = "pubtest-bus"
  event_bus_arn  = "arn:aws:events:us-east-1:123456789012:event-bus/pubtest-bus"
}

run "defaults_sign_requests_and_create_a_key" {
  command = plan

  assert {
    condition     = aws_apigatewayv2_api.this.name == "pubtest-student-events-api" && aws_apigatewayv2_api.this.protocol_type == "HTTP"
    error_message = "The HTTP API is <prefix>-student-events-api."
  }
  assert {
    condition     = aws_apigatewayv2_route.this["publish"].route_key == "POST /events/{type}" && aws_apigatewayv2_route.this["publish"].authorization_type == "AWS_IAM"
    error_message = "The one route is POST /events/{type}, SigV4-signed by default."
  }
  assert {
    condition     = length(aws_apigatewayv2_authorizer.jwt) == 0
    error_message = "No JWT authorizer unless authorization_type = JWT."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/pubtest-student-events-api"
    error_message = "Without kms_key_arn the module creates its own key and alias."
  }
  assert {
    condition     = aws_cloudwatch_log_group.access.name == "/aws/apigateway/pubtest-student-events-api" && aws_cloudwatch_log_group.access.retention_in_days == 30
    error_message = "Access logs go to /aws/apigateway/<api name>, kept log_retention_days."
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 50 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 100
    error_message = "The default throttling is 50 burst, 100 requests per second."
  }
  assert {
    condition     = aws_lambda_permission.api.statement_id == "pubtest-student-events-api-invoke" && aws_lambda_permission.api.principal == "apigateway.amazonaws.com"
    error_message = "API Gateway may invoke the publisher."
  }
  assert {
    condition     = output.function_name == "pubtest-event-publisher" && output.stage_name == "$default"
    error_message = "The publisher is <prefix>-event-publisher behind the $default stage."
  }
}

run "jwt_adds_an_authorizer_and_a_given_key_replaces_the_own_key" {
  command = plan

  variables {
    authorization_type     = "JWT"
    jwt_issuer             = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
    jwt_audience           = ["client-1"]
    kms_key_arn            = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    throttling_burst_limit = 5
    throttling_rate_limit  = 2
  }

  assert {
    condition     = aws_apigatewayv2_authorizer.jwt[0].name == "pubtest-jwt" && aws_apigatewayv2_authorizer.jwt[0].jwt_configuration[0].issuer == var.jwt_issuer
    error_message = "authorization_type = JWT adds the <prefix>-jwt authorizer with the issuer."
  }
  assert {
    condition     = aws_apigatewayv2_route.this["publish"].authorization_type == "JWT"
    error_message = "The route uses the JWT authorizer."
  }
  assert {
    condition     = length(module.kms_key) == 0 && aws_cloudwatch_log_group.access.kms_key_id == var.kms_key_arn && output.kms_key_arn == var.kms_key_arn
    error_message = "A given key replaces the module's own key for the access logs."
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 5 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 2
    error_message = "Throttling inputs reach the stage."
  }
}

run "public_api_and_aws_owned_keys" {
  command = plan

  variables {
    authorization_type = "NONE"
    create_kms_key     = false
  }

  assert {
    condition     = aws_apigatewayv2_route.this["publish"].authorization_type == "NONE" && aws_apigatewayv2_route.this["publish"].authorizer_id == null
    error_message = "authorization_type = NONE leaves the route without authorizer."
  }
  assert {
    condition     = length(module.kms_key) == 0 && aws_cloudwatch_log_group.access.kms_key_id == null && output.kms_key_arn == null
    error_message = "create_kms_key = false uses AWS owned keys."
  }
}
