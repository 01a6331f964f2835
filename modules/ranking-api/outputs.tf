output "api_id" {
  description = "ID of the HTTP API."
  value       = module.http_api.api_id
}

output "api_endpoint" {
  description = "Base URL of the HTTP API ($default stage), e.g. https://<id>.execute-api.<region>.amazonaws.com."
  value       = module.http_api.api_endpoint
}

output "invoke_url_example" {
  description = "Example request URL for one student."
  value       = "${module.http_api.api_endpoint}/ranking/<userId>"
}

output "execution_arn" {
  description = "Execution ARN of the API (for execute-api:Invoke policies of AWS_IAM callers: <execution_arn>/$default/GET/ranking/*)."
  value       = module.http_api.execution_arn
}

output "route_key" {
  description = "Route key of the ranking route."
  value       = local.route_key
}

output "function_name" {
  description = "Name of the ranking Lambda function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the ranking Lambda function."
  value       = module.function.function_arn
}

output "role_name" {
  description = "Name of the ranking function's own IAM role."
  value       = module.function.role_name
}

output "access_log_group_name" {
  description = "CloudWatch log group of the stage's access logs."
  value       = module.http_api.access_log.log_group_name
}

output "kms_key_arn" {
  description = "KMS key of the log groups and the function environment (module-created or the kms_key.arn input)."
  value       = local.kms_key_arn
}
