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

  tags = { example = "event-publisher-api" }
}
