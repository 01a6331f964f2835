# The ranking pipeline wired to the modules it reads from, and the ranking API that serves
# what it publishes. In an environment the bus comes from the event-bus module (bus_name /
# bus_arn outputs); here a plain bus stands in.
# One customer managed key serves the three modules (one CMK per environment instead of
# one per module); its policy grants what each module's own key would.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "platform_key" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" resource means this key; account administration through IAM is the AWS default key policy.
  #checkov:skip=CKV_AWS_111:Key policy: "*" resource means this key; service principals are scoped by conditions.
  #checkov:skip=CKV_AWS_356:Key policy: "*" resource means this key.
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"] # In a key policy "*" means this key.
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsOfThisEnvironment"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${var.name_prefix}-*",
        "arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/vendedlogs/states/${var.name_prefix}-*",
        "arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/vendedlogs/apigateway/${var.name_prefix}-*",
        "arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws-glue/crawlers*",
      ]
    }
  }

  statement {
    sid       = "ServicesOfThisAccount"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "personalize.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "platform" {
  description             = "${var.name_prefix} student platform data (example)"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.platform_key.json
}

locals {
  # coalesce() tells Terraform the ARN is not null even while it is unknown (before the key
  # exists), so the modules know at plan time that they need not create their own key.
  platform_key_arn = coalesce(var.platform_key_arn, aws_kms_key.platform.arn)
}

resource "aws_cloudwatch_event_bus" "students" {
  #checkov:skip=CKV_AWS_383:Example stand-in for the event-bus module's bus (which has its own CMK).
  name = "${var.name_prefix}-student-event-bus"
}

module "student_data" {
  source = "../../../student-data"

  name_prefix            = var.name_prefix
  ingestion_package_path = var.ingestion_package_path
  kms_key                = { arn = local.platform_key_arn }
  log_retention_days     = 7
  ingestion_layers       = [module.dependencies_layer.arn]
}

module "data_lake" {
  source = "../../../data-lake"

  name_prefix                = var.name_prefix
  kms_key                    = { arn = local.platform_key_arn }
  crawler_log_retention_days = 7
  force_destroy              = true # example only
}

module "ranking_pipeline" {
  source = "../.."

  name_prefix    = var.name_prefix
  event_bus_name = aws_cloudwatch_event_bus.students.name
  event_bus_arn  = aws_cloudwatch_event_bus.students.arn

  data_bucket_name    = module.data_lake.bucket_name
  data_kms_key_arn    = module.data_lake.kms_key_arn
  export_prefix       = module.data_lake.export_prefix
  batch_output_prefix = module.data_lake.batch_output_prefix
  glue_crawler_name   = module.data_lake.crawler_name

  tables = {
    students       = module.student_data.tables["students"]
    interactions   = module.student_data.tables["interactions"]
    class_activity = module.student_data.tables["class_activity"]
  }
  tables_kms_key_arn = module.student_data.kms_key_arn
  kms_key            = { arn = var.pipeline_own_key.enabled ? null : local.platform_key_arn }

  recipe                   = var.recipe
  deploy_mode              = var.deploy_mode
  min_provisioned_tps      = var.min_provisioned_tps
  weekly_full_training_day = var.weekly_full_training_day
  schedule                 = var.schedule
  retry                    = var.retry

  package_paths      = { training = var.training_package_path }
  layers             = [module.dependencies_layer.arn]
  log_retention_days = 7

  tags = { example = "ranking-pipeline" }
}

# GET /ranking/{userId} and GET /classes/{classId}/ranking on what the pipeline publishes:
# the ranking parameter (campaign or batch, the type filters), the popularity object and
# the class engagement rankings, all from the pipeline's outputs.
module "ranking_api" {
  source = "../../../ranking-api"

  name_prefix            = var.name_prefix
  package_path           = var.ranking_package_path
  ranking_parameter_name = module.ranking_pipeline.parameter_name
  recipe                 = module.ranking_pipeline.recipe
  deploy_mode            = var.deploy_mode
  data_bucket_arn        = module.data_lake.bucket_arn
  data_kms_key_arn       = module.data_lake.kms_key_arn
  batch_output_prefix    = module.data_lake.batch_output_prefix
  popularity             = { key = module.ranking_pipeline.popularity.key }
  class_rankings         = { enabled = true, key_prefix = module.ranking_pipeline.engagement.key_prefix }
  kms_key                = { arn = local.platform_key_arn }
  layers                 = [module.dependencies_layer.arn]
  log_retention_days     = 7

  tags = { example = "ranking-pipeline" }
}

# The dependency layer `make package` builds (Powertools, fastjsonschema): the function's
# code imports from it, so the example deploys it as environments do.
module "dependencies_layer" {
  source = "../../../lambda-layer"

  layer_name   = "${var.name_prefix}-python-deps"
  description  = "Pinned runtime dependencies of the example's functions"
  package_path = var.layer_package_path
}
