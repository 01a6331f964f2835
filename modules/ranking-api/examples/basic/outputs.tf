output "api_id" {
  description = "HTTP API id."
  value       = module.ranking_api.api_id
}

output "api_endpoint" {
  description = "HTTP API base URL."
  value       = module.ranking_api.api_endpoint
}

output "invoke_url_example" {
  description = "Example request URL."
  value       = module.ranking_api.invoke_url_example
}

output "route_key" {
  description = "Route key."
  value       = module.ranking_api.route_key
}

output "function_name" {
  description = "Ranking function name."
  value       = module.ranking_api.function_name
}

output "role_name" {
  description = "Ranking function role name."
  value       = module.ranking_api.role_name
}

output "access_log_group_name" {
  description = "Access log group."
  value       = module.ranking_api.access_log_group_name
}
