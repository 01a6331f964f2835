# The ranking HTTP API on its own. In an environment the inputs come from the other
# modules:
#   ranking_parameter_name  = module.ranking_pipeline.parameter_name
#   data_bucket_arn         = module.data_lake.bucket_arn
#   data_kms_key_arn        = module.data_lake.kms_key_arn
#   popularity              = { key = module.ranking_pipeline.popularity.key }
# (the ranking-pipeline example applies both modules together, wired that way).
# Here they are the names those modules would produce: the function's policy only names
# them, so nothing else has to exist for the example to apply.
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # Stand-in for the student-data / data-lake keys: only named in IAM statements.
  example_key_id = "11111111-2222-3333-4444-555555555555"
}

module "ranking_api" {
  source = "../.."

  name_prefix            = var.name_prefix
  package_path           = var.package_path
  ranking_parameter_name = "/${var.name_prefix}/ranking/current"
  recipe                 = var.recipe
  deploy_mode            = var.deploy_mode
  data_bucket_arn        = "arn:aws:s3:::${var.name_prefix}-ranking-data-${local.account_id}-${var.region}"
  data_kms_key_arn       = "arn:aws:kms:${var.region}:${local.account_id}:key/${local.example_key_id}"
  batch_output_prefix    = "personalize/batch/"
  authorization_type     = var.authorization_type
  jwt                    = var.jwt
  throttling             = var.throttling
  fallback_limit         = var.fallback_limit
  timeout                = var.timeout
  log_retention_days     = 7
  kms_key                = var.kms_key
  layers                 = [module.dependencies_layer.arn]

  tags = { example = "ranking-api" }
}

# The dependency layer `make package` builds (Powertools, fastjsonschema): the function's
# code imports from it, so the example deploys it as environments do.
module "dependencies_layer" {
  source = "../../../lambda-layer"

  layer_name   = "${var.name_prefix}-python-deps"
  description  = "Pinned runtime dependencies of the example's functions"
  package_path = var.layer_package_path
}
