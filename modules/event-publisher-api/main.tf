data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  api_name       = "${var.name_prefix}-student-events-api"
  function_name  = "${var.name_prefix}-event-publisher"
  log_group_name = "/aws/apigateway/${local.api_name}"
  create_kms_key = var.kms_key_arn == null && var.create_kms_key
  kms_key_arn    = var.kms_key_arn != null ? var.kms_key_arn : one(module.kms_key[*].key_arn)

  routes = {
    publish = "POST /events/{type}"
  }
}

# --- encryption of the logs and of the function environment ---------------------------

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = local.api_name
  description             = "Encrypts the logs and environment of ${local.api_name}"
  deletion_window_in_days = 30
  service_principals = {
    CloudWatchLogsEncrypts = {
      service = "logs.${local.region}.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values = [
          "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}",
          "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.function_name}",
        ]
      }]
    }
  }
  tags = var.tags
}

moved {
  from = aws_kms_key.this[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.this[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

# --- the publisher function --------------------------------------------------------------

module "function" {
  source = "../lambda-function"

  function_name      = local.function_name
  description        = "POST /events/{type}: validates against the event catalog and puts events on ${var.event_bus_name}"
  package_path       = var.package_path
  handler            = var.handler
  timeout            = var.timeout
  layers             = var.layers
  log_retention_days = var.log_retention_days
  kms_key_arn        = local.kms_key_arn

  environment = {
    POWERTOOLS_SERVICE_NAME = "publisher"
    EVENT_BUS_NAME          = var.event_bus_name
    PUBLISH_MAX_ATTEMPTS    = tostring(var.publish_max_attempts)
  }

  policy_statements = {
    put-events = {
      actions   = ["events:PutEvents"]
      resources = [var.event_bus_arn]
    }
  }

  tags = var.tags
}

# --- HTTP API ------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "this" {
  name          = local.api_name
  description   = "Publishes student platform events: POST /events/{type}"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "publisher" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = module.function.function_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.authorization_type == "JWT" ? 1 : 0

  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name_prefix}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:authorization_type is an input defaulting to AWS_IAM; NONE is an explicit caller choice.
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.publisher.id}"
  authorization_type = var.authorization_type
  authorizer_id      = var.authorization_type == "JWT" ? aws_apigatewayv2_authorizer.jwt[0].id : null
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days input; each environment chooses it (dev 7 days, prod 365).
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_burst_limit   = var.throttling_burst_limit
    throttling_rate_limit    = var.throttling_rate_limit
    detailed_metrics_enabled = true
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      caller             = "$context.identity.caller"
      requestTime        = "$context.requestTime"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      integrationStatus  = "$context.integrationStatus"
      integrationError   = "$context.integrationErrorMessage"
      authorizerError    = "$context.authorizer.error"
      integrationLatency = "$context.integrationLatency"
    })
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "${local.api_name}-invoke"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  # Only this API's POST /events/{type} route, on any stage.
  source_arn = "${aws_apigatewayv2_api.this.execution_arn}/*/POST/events/*"
}
