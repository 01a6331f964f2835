# terraform test (mock provider, plan only): the wiring of routes, integration, authorizer,
# stage, access logs and permissions, and every validation. The real provider plans the
# example in tests/modules/http_api (inventory).
#   cd modules/http-api && terraform init -backend=false && terraform test
mock_provider "aws" {
  mock_resource "aws_apigatewayv2_api" {
    override_during = plan
    defaults = {
      id            = "a1b2c3"
      execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3"
    }
  }
}

variables {
  name = "test-api"
  routes = {
    "GET /ranking/{userId}" = {}
  }
  lambda = {
    function_name   = "test-fn"
    integration_uri = "arn:aws:lambda:us-east-1:123456789012:function:test-fn"
  }
}

run "defaults_sign_requests_and_log_every_request" {
  command = plan

  assert {
    condition     = aws_apigatewayv2_api.this.name == "test-api" && aws_apigatewayv2_api.this.protocol_type == "HTTP"
    error_message = "The API is an HTTP API named var.name."
  }
  assert {
    condition     = aws_apigatewayv2_route.this["GET /ranking/{userId}"].authorization_type == "AWS_IAM" && aws_apigatewayv2_route.this["GET /ranking/{userId}"].authorizer_id == null
    error_message = "Routes are AWS_IAM by default, without authorizer."
  }
  assert {
    condition     = length(aws_apigatewayv2_authorizer.jwt) == 0 && output.authorizer_id == null
    error_message = "No JWT authorizer without jwt."
  }
  assert {
    condition     = aws_apigatewayv2_integration.lambda.integration_type == "AWS_PROXY" && aws_apigatewayv2_integration.lambda.payload_format_version == "2.0" && aws_apigatewayv2_integration.lambda.timeout_milliseconds == 30000 && aws_apigatewayv2_integration.lambda.integration_uri == var.lambda.integration_uri
    error_message = "One AWS_PROXY integration (payload 2.0, 30 s by default) with the function."
  }
  assert {
    condition     = aws_cloudwatch_log_group.access.name == "/aws/vendedlogs/apigateway/test-api" && aws_cloudwatch_log_group.access.retention_in_days == 30 && aws_cloudwatch_log_group.access.kms_key_id == null
    error_message = "Access logs go to /aws/vendedlogs/apigateway/<name>, 30 days, default encryption."
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.name == "$default" && aws_apigatewayv2_stage.default.auto_deploy && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 50 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 100 && !aws_apigatewayv2_stage.default.default_route_settings[0].detailed_metrics_enabled
    error_message = "The auto-deployed $default stage is throttled at 50 burst, 100 rps, without detailed metrics."
  }
  assert {
    condition     = jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format).requestId == "$context.requestId" && jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format).integrationError == "$context.integrationErrorMessage"
    error_message = "Access logs are JSON with the request id and the integration error."
  }
  assert {
    condition     = aws_lambda_permission.this["GET /ranking/{userId}"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/ranking/*" && aws_lambda_permission.this["GET /ranking/{userId}"].statement_id == "test-api-get-ranking-userid" && aws_lambda_permission.this["GET /ranking/{userId}"].function_name == "test-fn" && aws_lambda_permission.this["GET /ranking/{userId}"].principal == "apigateway.amazonaws.com"
    error_message = "API Gateway may invoke the function from the route's method and path (parameters as *) only."
  }
  assert {
    condition     = output.stage_name == "$default" && output.throttling == { burst_limit = 50, rate_limit = 100 } && output.access_log.retention_in_days == 30 && output.routes["GET /ranking/{userId}"].authorization_type == "AWS_IAM" && output.routes["GET /ranking/{userId}"].source_arn == aws_lambda_permission.this["GET /ranking/{userId}"].source_arn
    error_message = "The outputs give the stage, its throttling, the access logs and each route."
  }
}

run "jwt_routes_key_throttling_and_named_permissions" {
  command = plan

  variables {
    routes = {
      "POST /events/{type}"   = { authorization_type = "JWT", permission_statement_id = "test-api-invoke", authorization_scopes = ["platform/teacher", "platform/admin"] }
      "GET /ranking/{userId}" = { authorization_type = "JWT" }
      "ANY /admin/{proxy+}"   = { authorization_type = "AWS_IAM" }
      "$default"              = { authorization_type = "NONE" }
    }
    lambda = {
      function_name        = "test-fn"
      integration_uri      = "arn:aws:lambda:us-east-1:123456789012:function:test-fn"
      timeout_milliseconds = 11000
    }
    jwt = {
      issuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
      audience = ["client-1"]
      name     = "test-jwt"
    }
    access_log = {
      log_group_name    = "/aws/apigateway/test-api"
      retention_in_days = 7
      kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
      format            = { requestId = "$context.requestId" }
    }
    throttling       = { burst_limit = 5, rate_limit = 2 }
    detailed_metrics = { enabled = true }
  }

  assert {
    condition     = aws_apigatewayv2_authorizer.jwt[0].name == "test-jwt" && aws_apigatewayv2_authorizer.jwt[0].jwt_configuration[0].issuer == var.jwt.issuer && aws_apigatewayv2_authorizer.jwt[0].jwt_configuration[0].audience == toset(["client-1"]) && aws_apigatewayv2_authorizer.jwt[0].identity_sources == toset(["$request.header.Authorization"])
    error_message = "jwt adds an authorizer named jwt.name reading the Authorization header."
  }
  assert {
    condition     = aws_apigatewayv2_route.this["POST /events/{type}"].authorization_type == "JWT" && aws_apigatewayv2_route.this["$default"].authorization_type == "NONE" && aws_apigatewayv2_route.this["$default"].authorizer_id == null
    error_message = "Each route has its own authorization; only JWT routes use the authorizer."
  }
  assert {
    condition     = aws_apigatewayv2_route.this["POST /events/{type}"].authorization_scopes == toset(["platform/teacher", "platform/admin"]) && aws_apigatewayv2_route.this["GET /ranking/{userId}"].authorization_scopes == null && aws_apigatewayv2_route.this["ANY /admin/{proxy+}"].authorization_scopes == null
    error_message = "A JWT route's authorization_scopes reach the route (none: any valid token)."
  }
  assert {
    condition     = aws_lambda_permission.this["POST /events/{type}"].statement_id == "test-api-invoke" && aws_lambda_permission.this["POST /events/{type}"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/POST/events/*"
    error_message = "A given statement id names the route's permission."
  }
  assert {
    condition     = aws_lambda_permission.this["ANY /admin/{proxy+}"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/*/admin/*" && aws_lambda_permission.this["$default"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/*/*"
    error_message = "ANY and $default permit every method; greedy parameters become *."
  }
  assert {
    condition     = aws_apigatewayv2_integration.lambda.timeout_milliseconds == 11000
    error_message = "lambda.timeout_milliseconds reaches the integration."
  }
  assert {
    condition     = aws_cloudwatch_log_group.access.name == "/aws/apigateway/test-api" && aws_cloudwatch_log_group.access.retention_in_days == 7 && aws_cloudwatch_log_group.access.kms_key_id == var.access_log.kms_key_arn
    error_message = "access_log settings reach the log group."
  }
  assert {
    condition     = jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format) == { requestId = "$context.requestId" }
    error_message = "access_log.format replaces the default fields."
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 5 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 2 && aws_apigatewayv2_stage.default.default_route_settings[0].detailed_metrics_enabled
    error_message = "Throttling and detailed metrics reach the stage."
  }
}

run "jwt_issuer_not_https" {
  command = plan
  variables {
    jwt = { issuer = "http://issuer.example", audience = ["client-1"] }
  }
  expect_failures = [var.jwt]
}

run "jwt_without_audience" {
  command = plan
  variables {
    jwt = { issuer = "https://issuer.example", audience = [] }
  }
  expect_failures = [var.jwt]
}

run "jwt_route_without_jwt" {
  command = plan
  variables {
    routes = { "GET /ranking" = { authorization_type = "JWT" } }
  }
  expect_failures = [var.jwt]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_with_spaces
    name = "my api"
    # no_routes
    routes = {}
    # lambda_timeout_beyond_the_integration_limit
    lambda = {
      function_name        = "test-fn"
      integration_uri      = "arn:aws:lambda:us-east-1:123456789012:function:test-fn"
      timeout_milliseconds = 30001
    }
    # access_log_group_name_with_spaces
    access_log = { log_group_name = "api logs" }
    # throttling_burst_limit_fractional
    throttling = { burst_limit = 2.5 }
  }
  expect_failures = [
    var.name,
    var.routes,
    var.lambda,
    var.access_log,
    var.throttling,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # route_key_without_method
    routes = { "/ranking/{userId}" = {} }
    # access_log_retention_not_accepted_by_logs
    access_log = { retention_in_days = 2 }
    # throttling_rate_limit_zero
    throttling = { rate_limit = 0 }
  }
  expect_failures = [
    var.routes,
    var.access_log,
    var.throttling,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # route_authorization_unknown
    routes = { "GET /ranking" = { authorization_type = "COGNITO" } }
    # access_log_kms_key_alias
    access_log = { kms_key_arn = "alias/logs" }
  }
  expect_failures = [
    var.routes,
    var.access_log,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # route_scopes_on_an_iam_route
    routes = { "GET /ranking" = { authorization_type = "AWS_IAM", authorization_scopes = ["admin"] } }
    # access_log_format_without_context_variables
    access_log = { format = { requestId = "id" } }
  }
  expect_failures = [
    var.routes,
    var.access_log,
  ]
}

run "rejected_inputs_5" {
  command = plan
  variables {
    # route_scope_with_a_space
    routes = { "GET /ranking" = { authorization_type = "JWT", authorization_scopes = ["read all"] } }
    jwt    = { issuer = "https://issuer.example", audience = ["client-1"] }
  }
  expect_failures = [
    var.routes,
  ]
}

run "rejected_inputs_6" {
  command = plan
  variables {
    # route_permission_statement_id_with_spaces
    routes = { "GET /ranking" = { permission_statement_id = "allow api" } }
  }
  expect_failures = [
    var.routes,
  ]
}
