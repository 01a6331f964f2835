output "queues" {
  description = "The dead-letter queues by key (name, arn, url, kms_key_arn)."
  value       = module.dlq.queues
}

output "kms_key_arn" {
  description = "Key of the queues (null with SQS-managed encryption)."
  value       = one(module.kms_key[*].key_arn)
}

output "rule_arn" {
  description = "The rule allowed to send to the rule queue."
  value       = aws_cloudwatch_event_rule.example.arn
}
