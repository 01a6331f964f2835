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
  # kms_key.enabled && no key given; a key known only after apply must be known non-null
  # (coalesce(<arn>)), or this count is unknown at plan time.
  create_kms_key = var.kms_key.enabled ? var.kms_key.arn == null : false
  kms_key_arn    = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)
  batch          = var.deploy_mode == "batch"
  jwt_scopes     = var.authorization_type == "JWT" ? var.jwt.scopes : null

  parameter_arn    = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(var.ranking_parameter_name, "/")}"
  data_bucket_name = var.data_bucket_arn == null ? null : element(split(":", var.data_bucket_arn), 5)
  # The object the pipeline's Export step publishes (ranking-pipeline output popularity.key).
  popularity_key = coalesce(var.popularity.key, "${var.batch_output_prefix}popularity/current.json")
  # The pipeline names campaigns <prefix>-... (training/common.py base_name).
  campaign_arn_pattern = "arn:${local.partition}:personalize:${local.region}:${local.account_id}:campaign/${var.name_prefix}-*"

  # Every statement the function may need, filtered by `enabled` (least privilege by
  # deploy mode: Personalize runtime only in campaign mode, the batch results only in batch
  # mode). No table access: the popularity fallback reads one published object, never a scan.
  candidate_statements = {
    read-ranking-parameter = {
      enabled    = true
      actions    = ["ssm:GetParameter"]
      resources  = [local.parameter_arn]
      conditions = []
    }
    read-popularity = {
      enabled    = var.popularity.enabled
      actions    = ["s3:GetObject"]
      resources  = ["${coalesce(var.data_bucket_arn, "unset")}/${local.popularity_key}"]
      conditions = []
    }
    # Lets a popularity object not published yet read as NoSuchKey (an empty fallback with
    # its reason) rather than AccessDenied (503).
    list-popularity = {
      enabled   = var.popularity.enabled
      actions   = ["s3:ListBucket"]
      resources = [coalesce(var.data_bucket_arn, "unset")]
      conditions = [{
        test     = "StringEquals"
        variable = "s3:prefix"
        values   = [local.popularity_key]
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
    # GET /classes/{classId}/ranking: one published object per class, never a scan.
    read-class-rankings = {
      enabled    = var.class_rankings.enabled
      actions    = ["s3:GetObject"]
      resources  = ["${coalesce(var.data_bucket_arn, "unset")}/${coalesce(var.class_rankings.key_prefix, "unset")}*"]
      conditions = []
    }
    decrypt-published-data = {
      enabled   = (local.batch || var.class_rankings.enabled || var.popularity.enabled) && var.data_kms_key_arn != null
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

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = local.name
  description             = "${local.name}: function environment, function logs and access logs"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  service_principals = {
    CloudWatchLogsEncryptApiLogs = {
      service = "logs.${local.region}.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values = [
          "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.name}",
          "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.access_log_group_name}",
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

# --------------------------------------------------------------------------- function

module "function" {
  source = "../lambda-function"

  function_name      = local.name
  description        = "GET /ranking/{userId}: Personalize (${var.deploy_mode}) with a published popularity fallback"
  package_path       = var.package_path
  handler            = "ranking.app.lambda_handler"
  timeout            = var.timeout
  memory_size        = 512
  layers             = var.layers
  log_retention_days = var.log_retention_days
  kms_key_arn        = local.kms_key_arn
  tags               = var.tags

  environment = merge(
    {
      RANKING_PARAMETER_NAME  = var.ranking_parameter_name
      RANKING_RECIPE          = var.recipe
      FALLBACK_LIMIT          = tostring(var.fallback_limit)
      POWERTOOLS_SERVICE_NAME = "ranking-api"
    },
    # JWT callers read only their own ranking (sub = userId) unless their token has the
    # admin scope; the function maps scopes to roles with this.
    local.jwt_scopes == null ? {} : { AUTH_SCOPES = jsonencode(local.jwt_scopes) },
    var.class_rankings.enabled ? {
      ENGAGEMENT_BUCKET     = local.data_bucket_name
      ENGAGEMENT_KEY_PREFIX = var.class_rankings.key_prefix
    } : {},
    var.popularity.enabled ? {
      POPULARITY_BUCKET = local.data_bucket_name
      POPULARITY_KEY    = local.popularity_key
    } : {},
  )

  policy_statements = local.policy_statements
}

# --------------------------------------------------------------------------- HTTP API

module "http_api" {
  source = "../http-api"

  name        = local.name
  description = "${var.name_prefix} student ranking: ${local.route_key}"
  routes = merge(
    {
      (local.route_key) = {
        authorization_type = var.authorization_type
        # JWT: students (their own ranking) and admins (anyone's).
        authorization_scopes    = local.jwt_scopes == null ? [] : [local.jwt_scopes.student, local.jwt_scopes.admin]
        permission_statement_id = "AllowHttpApiRankingRoute"
      }
    },
    var.class_rankings.enabled ? {
      "GET /classes/{classId}/ranking" = {
        authorization_type = var.authorization_type
        # JWT: the class's teachers (token `classes` claim) and admins.
        authorization_scopes    = local.jwt_scopes == null ? [] : [local.jwt_scopes.teacher, local.jwt_scopes.admin]
        permission_statement_id = "AllowHttpApiClassRankingRoute"
      }
    } : {},
  )
  lambda = {
    function_name        = module.function.function_name
    integration_uri      = module.function.invoke_arn
    timeout_milliseconds = (var.timeout + 1) * 1000
  }
  jwt = var.authorization_type == "JWT" ? {
    issuer           = var.jwt.issuer
    audience         = var.jwt.audience
    name             = coalesce(var.jwt.name, "${local.name}-jwt")
    identity_sources = var.jwt.identity_sources
  } : null
  access_log = {
    log_group_name    = local.access_log_group_name
    retention_in_days = var.log_retention_days
    kms_key_arn       = local.kms_key_arn
  }
  throttling = var.throttling
  tags       = var.tags
}

moved {
  from = aws_apigatewayv2_api.this
  to   = module.http_api.aws_apigatewayv2_api.this
}

moved {
  from = aws_apigatewayv2_authorizer.jwt
  to   = module.http_api.aws_apigatewayv2_authorizer.jwt
}

moved {
  from = aws_apigatewayv2_integration.function
  to   = module.http_api.aws_apigatewayv2_integration.lambda
}

moved {
  from = aws_apigatewayv2_route.ranking
  to   = module.http_api.aws_apigatewayv2_route.this["GET /ranking/{userId}"]
}

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.http_api.aws_cloudwatch_log_group.access
}

moved {
  from = aws_apigatewayv2_stage.default
  to   = module.http_api.aws_apigatewayv2_stage.default
}

moved {
  from = aws_lambda_permission.api
  to   = module.http_api.aws_lambda_permission.this["GET /ranking/{userId}"]
}
