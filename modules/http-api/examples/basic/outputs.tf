output "api_id" {
  description = "HTTP API id."
  value       = module.http_api.api_id
}

output "api_endpoint" {
  description = "API base URL."
  value       = module.http_api.api_endpoint
}

output "routes" {
  description = "Routes by route key."
  value       = module.http_api.routes
}

output "function_name" {
  description = "The function behind the routes."
  value       = module.function.function_name
}

output "access_log_group_name" {
  description = "Access log group."
  value       = module.http_api.access_log.log_group_name
}

output "kms_key_arn" {
  description = "Key of the access logs."
  value       = module.kms_key.key_arn
}
