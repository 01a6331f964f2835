output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN for API Gateway integrations."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_arn" {
  description = "ARN of the function's own IAM role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the function's own IAM role (attach nothing else to it)."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "source_code_hash" {
  description = "Base64 SHA-256 of the deployed package; stable while the sources do not change."
  value       = aws_lambda_function.this.source_code_hash
}
