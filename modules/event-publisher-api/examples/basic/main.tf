# The publishing API in front of a custom bus (created here so the example stands alone).
resource "aws_cloudwatch_event_bus" "this" {
  #checkov:skip=CKV_AWS_363:Example bus; the event-bus module carries the encrypted, archived bus.
  name = "${var.name_prefix}-publisher-example-bus"
}

module "api" {
  source = "../.."

  name_prefix        = var.name_prefix
  package_path       = var.package_path
  event_bus_name     = aws_cloudwatch_event_bus.this.name
  event_bus_arn      = aws_cloudwatch_event_bus.this.arn
  authorization_type = var.authorization_type
  jwt                = var.jwt
  throttling         = var.throttling
  kms_key            = var.kms_key
  log_retention_days = 7
  layers             = [module.dependencies_layer.arn]

  tags = { example = "event-publisher-api" }
}

# The dependency layer `make package` builds (Powertools, fastjsonschema): the function's
# code imports from it, so the example deploys it as environments do.
module "dependencies_layer" {
  source = "../../../lambda-layer"

  layer_name   = "${var.name_prefix}-python-deps"
  description  = "Pinned runtime dependencies of the example's functions"
  package_path = var.layer_package_path
}
