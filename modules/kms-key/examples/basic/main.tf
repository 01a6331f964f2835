data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# A key for log groups under /example/, usable by CloudWatch Logs in this region only.
module "kms_key" {
  source = "../.."

  alias                   = "${var.name_prefix}-logs"
  description             = "${var.name_prefix} example: CloudWatch log groups under /example/"
  deletion_window_in_days = 7
  service_principals = {
    CloudWatchLogsEncryptExampleGroups = {
      service = "logs.${data.aws_region.current.region}.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:aws:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/example/*"]
      }]
    }
  }
  tags = { example = "kms-key" }
}
