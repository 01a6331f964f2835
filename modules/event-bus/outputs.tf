output "bus_name" {
  description = "Name of the custom event bus (EVENT_BUS_NAME of publishers)."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the custom event bus (scope of events:PutEvents for publishers)."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "rule_arns" {
  description = "Rule ARNs by rule key."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.arn }
}

output "rule_names" {
  description = "Rule names (<name_prefix>-<key>) by rule key."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.name }
}

output "target_ids" {
  description = "Event target resources by \"<target>/<rule>\" key: the rule name and target id of each."
  value       = { for k, t in aws_cloudwatch_event_target.this : k => { rule = t.rule, target_id = t.target_id } }
}

output "dlq_arns" {
  description = "Dead-letter queue ARNs by target key."
  value       = { for k, q in module.dlq.queues : k => q.arn }
}

output "dlq_urls" {
  description = "Dead-letter queue URLs by target key."
  value       = { for k, q in module.dlq.queues : k => q.url }
}

output "bus_dlq_arn" {
  description = "Queue receiving events the bus could not encrypt/decrypt (null without a customer managed key)."
  value       = try(module.bus_dlq.queues["bus"].arn, null)
}

output "bus_dlq_arns" {
  description = "The bus's own dead-letter queue by key (`bus`; empty without a customer managed key): keys known at plan time, for alarms."
  value       = { for k, q in module.bus_dlq.queues : k => q.arn }
}

output "archive_arn" {
  description = "ARN of the event archive (null when archive.enabled = false)."
  value       = try(aws_cloudwatch_event_archive.this[0].arn, null)
}

output "archive_name" {
  description = "Name of the event archive, for StartReplay (null when archive.enabled = false)."
  value       = try(aws_cloudwatch_event_archive.this[0].name, null)
}

output "kms_key_arn" {
  description = "Customer managed KMS key of the bus, archive and DLQs (null when AWS owned keys are used)."
  value       = local.kms_key_arn
}

output "targets_role_arn" {
  description = "Role EventBridge assumes for Step Functions / event bus targets (null when there are none)."
  value       = try(aws_iam_role.targets[0].arn, null)
}

output "schema_registry_name" {
  description = "Name of the schema registry (null when disabled)."
  value       = try(aws_schemas_registry.this[0].name, null)
}

output "schema_arns" {
  description = "Registered schema ARNs by schema name."
  value       = { for k, s in aws_schemas_schema.this : k => s.arn }
}
