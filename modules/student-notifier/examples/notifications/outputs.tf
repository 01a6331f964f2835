output "bus_name" {
  description = "Event bus name."
  value       = module.events.bus_name
}

output "rule_arns" {
  description = "Rule ARNs by key."
  value       = module.events.rule_arns
}

output "rule_names" {
  description = "Rule names by key."
  value       = module.events.rule_names
}

output "audit_queue_url" {
  description = "Queue receiving every event."
  value       = aws_sqs_queue.audit.url
}

output "function_name" {
  description = "Notifier function name."
  value       = module.notifier.function_name
}

output "function_arn" {
  description = "Notifier function ARN."
  value       = module.notifier.function_arn
}

output "role_name" {
  description = "Notifier role name."
  value       = module.notifier.role_name
}

output "idempotency_table_name" {
  description = "Idempotency table."
  value       = module.notifier.idempotency_table_name
}

output "notifier_dlq_url" {
  description = "Notifier DLQ URL (null when disabled)."
  value       = module.notifier.dlq_url
}

output "event_dlq_urls" {
  description = "EventBridge target DLQs by target key."
  value       = module.events.dlq_urls
}

output "configuration_set_name" {
  description = "SES configuration set."
  value       = module.email.configuration_set_name
}

output "students_table_name" {
  description = "Students table (null without it)."
  value       = one(aws_dynamodb_table.students[*].name)
}
