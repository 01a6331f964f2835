output "api_id" {
  description = "ID of the HTTP API."
  value       = module.http_api.api_id
}

output "api_endpoint" {
  description = "Base URL of the API ($default stage): POST <api_endpoint>/events/<type> (student.enrolled, student.registered, student.submitAssignment, teacher.sendAnnouncement)."
  value       = module.http_api.api_endpoint
}

output "execution_arn" {
  description = "Execution ARN of the API: callers with AWS_IAM authorization need execute-api:Invoke on <execution_arn>/$default/POST/events/<type> for each type they may publish."
  value       = module.http_api.execution_arn
}

output "route_ids" {
  description = "Route IDs by event type."
  value       = { for k, key in local.routes : k => module.http_api.routes[key].id }
}

output "route_keys" {
  description = "Route keys by event type (POST /events/<type>)."
  value       = local.routes
}

output "stage_name" {
  description = "Stage name ($default, auto-deployed)."
  value       = module.http_api.stage_name
}

output "function_name" {
  description = "Name of the publisher function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the publisher function."
  value       = module.function.function_arn
}

output "role_arn" {
  description = "ARN of the publisher's execution role (e.g. for the event bus's publishers policy)."
  value       = module.function.role_arn
}

output "role_name" {
  description = "Name of the publisher's execution role."
  value       = module.function.role_name
}

output "access_log_group_name" {
  description = "Access log group of the API."
  value       = module.http_api.access_log.log_group_name
}

output "kms_key_arn" {
  description = "Key encrypting the log groups and function environment (null with AWS owned keys)."
  value       = local.kms_key_arn
}

output "published_events" {
  description = "What the publisher puts on the bus: detail-types by source (each source carries its own types only), e.g. the event-bus module's publishers[*].events for the publisher's role."
  value       = local.published_events
}
