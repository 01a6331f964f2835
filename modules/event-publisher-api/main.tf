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
  create_kms_key = var.kms_key.enabled && var.kms_key.arn == null
  kms_key_arn    = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)

  # One route per event type API clients may publish (ranking.* come only from the pipeline
  # and its schedule): IAM callers get execute-api:Invoke per route, JWT routes require the
  # scopes of the roles that may publish the type; the function checks the acting identity.
  event_roles = {
    "student.enrolled"         = ["student", "admin"]
    "student.registered"       = ["student", "admin"]
    "student.submitAssignment" = ["student", "admin"]
    "teacher.sendAnnouncement" = ["teacher", "admin"]
  }
  # The catalog's (source, detail-types) pairs of those types (lambda_src/student_platform/
  # catalog): each source may carry its own types only, here and in the bus policy.
  published_events = {
    "api.student"    = ["student.enrolled", "student.registered"]
    "api.assignment" = ["student.submitAssignment"]
    "api.teacher"    = ["teacher.sendAnnouncement"]
  }
  routes = { for type in keys(local.event_roles) : type => "POST /events/${type}" }
  scopes = var.authorization_type == "JWT" ? var.jwt.scopes : null

  idempotency_table_name = "${var.name_prefix}-publisher-idempotency"
  # Built from the name: known at plan time (the function's policy and environment are too).
  idempotency_table_arn = "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${local.idempotency_table_name}"
}

# --- Idempotency-Key records (one per caller and key, expiring by TTL) --------------------

resource "aws_dynamodb_table" "idempotency" {
  name                        = local.idempotency_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.idempotency.deletion_protection

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.kms_key_arn
  }

  tags = var.tags
}

# --- encryption of the logs and of the function environment ---------------------------

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = local.api_name
  description             = "Encrypts the logs and environment of ${local.api_name}"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
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

  environment = merge(
    {
      POWERTOOLS_SERVICE_NAME = "publisher"
      EVENT_BUS_NAME          = var.event_bus_name
      PUBLISH_MAX_ATTEMPTS    = tostring(var.publish_max_attempts)
      IDEMPOTENCY_TABLE_NAME  = aws_dynamodb_table.idempotency.name
      IDEMPOTENCY_TTL_SECONDS = tostring(var.idempotency.ttl_seconds)
    },
    local.scopes == null ? {} : { AUTH_SCOPES = jsonencode(local.scopes) },
  )

  policy_statements = merge({
    idempotency-records = {
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      resources = [local.idempotency_table_arn]
    }
    },
    {
      # Only the types clients may publish (never ranking.*), each with its own source: one
      # statement per source, e.g. PutEventsApiStudent.
      for source, types in local.published_events : "put-events-${replace(source, ".", "-")}" => {
        actions   = ["events:PutEvents"]
        resources = [var.event_bus_arn]
        conditions = [
          { test = "StringEquals", variable = "events:source", values = [source] },
          { test = "StringEquals", variable = "events:detail-type", values = types },
        ]
      }
    },
    !var.kms_key.enabled ? {} : {
      # The records are encrypted with the module's key: through DynamoDB only.
      idempotency-key = {
        actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
        resources = [local.kms_key_arn]
        conditions = [{
          test     = "StringEquals"
          variable = "kms:ViaService"
          values   = ["dynamodb.${local.region}.amazonaws.com"]
        }]
      }
  })

  tags = var.tags
}

# --- HTTP API ------------------------------------------------------------------------

module "http_api" {
  source = "../http-api"

  name        = local.api_name
  description = "Publishes student platform events: POST /events/<type>, one route per type"
  routes = {
    for type, key in local.routes : key => {
      authorization_type   = var.authorization_type
      authorization_scopes = local.scopes == null ? [] : [for role in local.event_roles[type] : local.scopes[role]]
      # e.g. <api>-student-enrolled
      permission_statement_id = "${local.api_name}-${replace(type, ".", "-")}"
    }
  }
  lambda = {
    function_name   = module.function.function_name
    integration_uri = module.function.function_arn
  }
  jwt = var.authorization_type == "JWT" ? {
    issuer           = var.jwt.issuer
    audience         = var.jwt.audience
    name             = coalesce(var.jwt.name, "${var.name_prefix}-jwt")
    identity_sources = var.jwt.identity_sources
  } : null
  access_log = {
    log_group_name    = local.log_group_name
    retention_in_days = var.log_retention_days
    kms_key_arn       = local.kms_key_arn
  }
  throttling       = var.throttling
  detailed_metrics = { enabled = true }
  tags             = var.tags
}

moved {
  from = aws_apigatewayv2_api.this
  to   = module.http_api.aws_apigatewayv2_api.this
}

moved {
  from = aws_apigatewayv2_integration.publisher
  to   = module.http_api.aws_apigatewayv2_integration.lambda
}

moved {
  from = aws_apigatewayv2_authorizer.jwt
  to   = module.http_api.aws_apigatewayv2_authorizer.jwt
}

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.http_api.aws_cloudwatch_log_group.access
}

moved {
  from = aws_apigatewayv2_stage.default
  to   = module.http_api.aws_apigatewayv2_stage.default
}
