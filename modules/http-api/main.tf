locals {
  log_group_name = coalesce(var.access_log.log_group_name, "/aws/vendedlogs/apigateway/${var.name}")
  access_log_format = var.access_log.format != null ? var.access_log.format : {
    requestId          = "$context.requestId"
    requestTime        = "$context.requestTime"
    ip                 = "$context.identity.sourceIp"
    caller             = "$context.identity.caller"
    userAgent          = "$context.identity.userAgent"
    routeKey           = "$context.routeKey"
    path               = "$context.path"
    status             = "$context.status"
    responseLength     = "$context.responseLength"
    integrationStatus  = "$context.integrationStatus"
    integrationLatency = "$context.integrationLatency"
    integrationError   = "$context.integrationErrorMessage"
    authorizerError    = "$context.authorizer.error"
    errorMessage       = "$context.error.message"
  }

  # "GET /ranking/{userId}" -> method GET, path /ranking/* (the execute-api resource path);
  # "$default" and ANY match every method.
  route_targets = {
    for key, r in var.routes : key => {
      method = key == "$default" ? "*" : replace(split(" ", key)[0], "ANY", "*")
      path   = key == "$default" ? "/*" : replace(split(" ", key)[1], "/\\{[^}]+\\}/", "*")
    }
  }
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.lambda.integration_uri
  payload_format_version = "2.0"
  timeout_milliseconds   = var.lambda.timeout_milliseconds
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.jwt != null ? 1 : 0

  api_id           = aws_apigatewayv2_api.this.id
  name             = coalesce(var.jwt.name, "${var.name}-jwt")
  authorizer_type  = "JWT"
  identity_sources = var.jwt.identity_sources

  jwt_configuration {
    issuer   = var.jwt.issuer
    audience = var.jwt.audience
  }
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:authorization_type is an input per route (AWS_IAM by default); NONE is an explicit caller choice.
  for_each = var.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.lambda.id}"
  authorization_type = each.value.authorization_type
  authorizer_id      = each.value.authorization_type == "JWT" ? aws_apigatewayv2_authorizer.jwt[0].id : null
  # JWT only: the token needs at least one of these scopes (API Gateway answers 403 otherwise).
  authorization_scopes = each.value.authorization_type == "JWT" && length(each.value.authorization_scopes) > 0 ? each.value.authorization_scopes : null
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338:Retention is the access_log.retention_in_days input; each environment chooses it.
  #checkov:skip=CKV_AWS_158:The customer managed key is the access_log.kms_key_arn input (callers pass their key).
  name              = local.log_group_name
  retention_in_days = var.access_log.retention_in_days
  kms_key_id        = var.access_log.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_burst_limit   = var.throttling.burst_limit
    throttling_rate_limit    = var.throttling.rate_limit
    detailed_metrics_enabled = var.detailed_metrics.enabled
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode(local.access_log_format)
  }
}

# API Gateway may invoke the function from each route of this API only (any stage).
resource "aws_lambda_permission" "this" {
  for_each = var.routes

  statement_id  = coalesce(each.value.permission_statement_id, substr(trim(replace("${var.name}-${lower(each.key)}", "/[^A-Za-z0-9_-]+/", "-"), "-"), 0, 100))
  action        = "lambda:InvokeFunction"
  function_name = var.lambda.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/${local.route_targets[each.key].method}${local.route_targets[each.key].path}"
}
