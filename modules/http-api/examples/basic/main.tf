# An HTTP API with two routes in front of one Lambda function: GET /items/{id} for
# SigV4-signed callers, POST /items for holders of a JWT (when jwt_issuer is set) or for
# SigV4-signed callers. Access logs are encrypted with a key made by modules/kms-key.
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  name           = "${var.name_prefix}-items-api"
  log_group_name = "/aws/vendedlogs/apigateway/${local.name}"
  log_group_arn  = "arn:aws:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group"
}

module "kms_key" {
  source = "../../../kms-key"

  alias                   = local.name
  description             = "${local.name}: access logs and function logs"
  deletion_window_in_days = 7
  service_principals = {
    CloudWatchLogsEncryptApiLogs = {
      service = "logs.${data.aws_region.current.region}.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["${local.log_group_arn}:${local.log_group_name}", "${local.log_group_arn}:/aws/lambda/${local.name}"]
      }]
    }
  }
}

module "function" {
  source = "../../../lambda-function"

  function_name      = local.name
  description        = "Answers the items API"
  package_path       = var.package_path
  handler            = "publisher.app.lambda_handler"
  timeout            = 10
  log_retention_days = 7
  kms_key_arn        = module.kms_key.key_arn
}

module "http_api" {
  source = "../.."

  name        = local.name
  description = "Items: GET /items/{id}, POST /items"
  routes = {
    "GET /items/{id}" = {}
    "POST /items"     = { authorization_type = var.jwt_issuer != null ? "JWT" : "AWS_IAM" }
  }
  lambda = {
    function_name        = module.function.function_name
    integration_uri      = module.function.invoke_arn
    timeout_milliseconds = 11000
  }
  jwt = var.jwt_issuer == null ? null : {
    issuer   = var.jwt_issuer
    audience = ["items-client"]
  }
  access_log = {
    log_group_name    = local.log_group_name
    retention_in_days = 7
    kms_key_arn       = module.kms_key.key_arn
  }
  throttling = { burst_limit = 20, rate_limit = 10 }
  tags       = { example = "http-api" }
}
