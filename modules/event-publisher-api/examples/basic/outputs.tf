output "api_id" {
  description = "HTTP API id."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "API base URL."
  value       = module.api.api_endpoint
}

output "route_ids" {
  description = "Route ids."
  value       = module.api.route_ids
}

output "function_name" {
  description = "Publisher function."
  value       = module.api.function_name
}

output "role_name" {
  description = "Publisher role."
  value       = module.api.role_name
}

output "access_log_group_name" {
  description = "Access log group."
  value       = module.api.access_log_group_name
}

output "bus_name" {
  description = "Bus the publisher writes to."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of that bus."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "kms_key_arn" {
  description = "Key of logs and environment."
  value       = module.api.kms_key_arn
}
