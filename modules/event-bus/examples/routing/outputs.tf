output "bus_name" {
  description = "Name of the example bus."
  value       = module.events.bus_name
}

output "bus_arn" {
  description = "ARN of the example bus."
  value       = module.events.bus_arn
}

output "rule_names" {
  description = "Rule names by key."
  value       = module.events.rule_names
}

output "rule_arns" {
  description = "Rule ARNs by key."
  value       = module.events.rule_arns
}

output "queue_urls" {
  description = "Target queue URLs by key (one per rule, plus audit and activity)."
  value       = { for k, q in aws_sqs_queue.target : k => q.url }
}

output "dlq_urls" {
  description = "Dead-letter queue URLs by target key."
  value       = module.events.dlq_urls
}

output "dlq_arns" {
  description = "Dead-letter queue ARNs by target key."
  value       = module.events.dlq_arns
}

output "archive_name" {
  description = "Name of the archive."
  value       = module.events.archive_name
}

output "kms_key_arn" {
  description = "Key of the bus."
  value       = module.events.kms_key_arn
}

output "schema_arns" {
  description = "Registered schemas."
  value       = module.events.schema_arns
}
