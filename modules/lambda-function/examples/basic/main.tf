# A queue the function may write to, to show a least-privilege statement and a DLQ.
resource "aws_sqs_queue" "dlq" {
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

  dead_letter_target_arn = aws_sqs_queue.dlq.arn
  policy_statements = {
    read-own-queue = {
      actions   = ["sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.dlq.arn]
    }
  }

  tags = { example = "lambda-function" }
}
