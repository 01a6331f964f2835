data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# A queue for asynchronous invocations that failed all retries.
resource "aws_sqs_queue" "dlq" {
  count = var.dead_letter_queue.enabled ? 1 : 0

  name                    = "${var.name_prefix}-hello-dlq"
  sqs_managed_sse_enabled = true
}

module "hello" {
  source = "../.."

  function_name      = "${var.name_prefix}-hello"
  description        = "Example function of the lambda-function module"
  package_path       = var.package_path
  handler            = "hello.app.lambda_handler"
  timeout            = var.timeout
  memory_size        = 128
  log_retention_days = 7
  environment        = { GREETING = "xin chào" }

  dead_letter_target_arn = var.dead_letter_queue.enabled ? aws_sqs_queue.dlq[0].arn : null
  policy_statements = {
    read-greeting = {
      actions   = ["ssm:GetParameter"]
      resources = ["arn:aws:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/${var.name_prefix}/greeting"]
    }
  }

  tags = { example = "lambda-function" }
}
