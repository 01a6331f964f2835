data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  name                  = "${var.name_prefix}-ranking-api"
  route_key             = "GET /ranking/{userId}"
  access_log_group_name = "/aws/vendedlogs/apigateway/${local.name}"
  # create_kms_key && no key given; a key known only after apply needs create_kms_key = false.
  create_kms_key = var.create_kms_key ? var.kms_key_arn == null : false
  kms_key_arn    = var.kms_key_arn != null ? var.kms_key_arn : one(aws_kms_key.this[*].arn)
  batch          = var.deploy_mode == "batch"

  parameter_arn = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(var.ranking_parameter_name, "/")}"
  # The pipeline names campaigns <prefix>-... (training/common.py base_name).
  campaign_arn_pattern = "arn:${local.partition}:personalize:${local.region}:${local.account_id}:campaign/${var.name_prefix}-*"

  # Every statement the function may need, filtered by `enabled` (least privilege by
  # deploy mode: Personalize runtime only in campaign mode, the batch results and their
  # key only in batch mode).
  candidate_statements = {
    read-ranking-parameter = {
      enabled    = true
      actions    = ["ssm:GetParameter"]
      resources  = [local.parameter_arn]
      conditions = []
    }
    popularity-fallback = {
      enabled    = true
      actions    = ["dynamodb:Query", "dynamodb:Scan"]
      resources  = [var.interactions_table_arn]
      conditions = []
    }
    decrypt-interactions = {
      enabled   = var.tables_kms_key_arn != null
      actions   = ["kms:Decrypt"]
      resources = [coalesce(var.tables_kms_key_arn, "unset")]
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${local.region}.amazonaws.com"]
      }]
    }
    get-recommendations = {
      enabled    = !local.batch
      actions    = ["personalize:GetRecommendations", "personalize:GetPersonalizedRanking"]
      resources  = [local.campaign_arn_pattern]
      conditions = []
    }
    read-batch-results = {
      enabled    = local.batch
      actions    = ["s3:GetObject"]
      resources  = ["${coalesce(var.data_bucket_arn, "unset")}/${var.batch_output_prefix}output/*"]
      conditions = []
    }
    # Optional for the code: lets a student missing from the batch output read as 404
    # (reason "user not in batch output") rather than 403.
    list-batch-results = {
      enabled   = local.batch
      actions   = ["s3:ListBucket"]
      resources = [coalesce(var.data_bucket_arn, "unset")]
      conditions = [{
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["${var.batch_output_prefix}output/*"]
      }]
    }
    decrypt-batch-results = {
      enabled   = local.batch && var.data_kms_key_arn != null
      actions   = ["kms:Decrypt"]
      resources = [coalesce(var.data_kms_key_arn, "unset")]
      conditions = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }]
    }
  }
  policy_statements = {
    for key, s in local.candidate_statements : key => {
      actions    = s.actions
      resources  = s.resources
      conditions = s.conditions
    } if s.enabled
  }
}

# --------------------------------------------------------------------------- KMS

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" resource means this key; account administration through IAM is the AWS default key policy.
  #checkov:skip=CKV_AWS_111:Key policy: "*" resource means this key; service principals are scoped by conditions.
  #checkov:skip=CKV_AWS_356:Key policy: "*" resource means this key.
  count = local.create_kms_key ? 1 : 0

  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"] # In a key policy "*" means this key.
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncryptApiLogs"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.name}",
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.access_log_group_name}",
      ]
    }
  }
}

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "${local.name}: function environment, function logs and access logs"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms[0].json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this[0].key_id
}

# --------------------------------------------------------------------------- function

module "function" {
  source = "../lambda-function"

  function_name      = local.name
  description        = "GET /ranking/{userId}: Personalize (${var.deploy_mode}) with a popularity fallback"
  package_path       = var.package_path
  handler            = "ranking.app.lambda_handler"
  timeout            = var.timeout
  memory_size        = 512
  layers             = var.layers
  log_retention_days = var.log_retention_days
  kms_key_arn        = local.kms_key_arn
  tags               = var.tags

  environment = {
    RANKING_PARAMETER_NAME  = var.ranking_parameter_name
    INTERACTIONS_TABLE_NAME = var.interactions_table_name
    RANKING_RECIPE          = var.recipe
    FALLBACK_LIMIT          = tostring(var.fallback_limit)
    POWERTOOLS_SERVICE_NAME = "ranking-api"
  }

  policy_statements = local.policy_statements
}

# --------------------------------------------------------------------------- HTTP API

resource "aws_apigatewayv2_api" "this" {
  name          = local.name
  description   = "${var.name_prefix} student ranking: ${local.route_key}"
  protocol_type = "HTTP"
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = var.kms_key_arn != null || var.create_kms_key
      error_message = "Encryption needs a customer managed key: set kms_key_arn, or leave create_kms_key = true."
    }
  }
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.authorization_type == "JWT" ? 1 : 0

  api_id           = aws_apigatewayv2_api.this.id
  name             = "${local.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }

  lifecycle {
    precondition {
      condition     = var.jwt_issuer != null && length(var.jwt_audience) > 0
      error_message = "authorization_type JWT needs jwt_issuer (https:// URL) and at least one jwt_audience."
    }
  }
}

resource "aws_apigatewayv2_integration" "function" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = module.function.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = (var.timeout + 1) * 1000
}

resource "aws_apigatewayv2_route" "ranking" {
  #checkov:skip=CKV_AWS_309:authorization_type is an input (AWS_IAM by default); NONE is an explicit choice for a public read-only endpoint.
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = local.route_key
  target             = "integrations/${aws_apigatewayv2_integration.function.id}"
  authorization_type = var.authorization_type
  authorizer_id      = var.authorization_type == "JWT" ? aws_apigatewayv2_authorizer.jwt[0].id : null

  lifecycle {
    precondition {
      condition     = var.authorization_type != "JWT" || (var.jwt_issuer != null && length(var.jwt_audience) > 0)
      error_message = "authorization_type JWT needs jwt_issuer (https:// URL) and at least one jwt_audience."
    }
    precondition {
      condition     = var.deploy_mode != "batch" || var.data_bucket_arn != null
      error_message = "deploy_mode batch needs data_bucket_arn (the data-lake bucket holding the batch results)."
    }
  }
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days input (environments choose; prod may keep a year).
  name              = local.access_log_group_name
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
    detailed_metrics_enabled = false
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      errorMessage       = "$context.error.message"
    })
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowHttpApiRankingRoute"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/GET/ranking/*"
}
