output "function_name" {
  description = "Name of the notifier function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the notifier function: the arn of a lambda target in the event-bus module."
  value       = module.function.function_arn
}

output "role_arn" {
  description = "ARN of the notifier's execution role."
  value       = module.function.role_arn
}

output "role_name" {
  description = "Name of the notifier's execution role."
  value       = module.function.role_name
}

output "log_group_name" {
  description = "Log group of the notifier."
  value       = module.function.log_group_name
}

output "idempotency_table_name" {
  description = "Powertools idempotency table (IDEMPOTENCY_TABLE_NAME)."
  value       = aws_dynamodb_table.idempotency.name
}

output "idempotency_table_arn" {
  description = "ARN of the idempotency table."
  value       = aws_dynamodb_table.idempotency.arn
}

output "dlq_arn" {
  description = "Queue of asynchronous invocations that failed every retry (null when disabled)."
  value       = try(module.dlq.queues["notifier"].arn, null)
}

output "dlq_url" {
  description = "URL of the notifier's dead-letter queue."
  value       = try(module.dlq.queues["notifier"].url, null)
}

output "environment" {
  description = "Environment variables given to the function (configuration, no secrets)."
  value       = local.environment
}

output "permissions" {
  description = "Names of the statements of the function's least-privilege policy (send-email, idempotency-records, read-students, decrypt-students, ...)."
  value       = sort(keys(local.policy_statements))
}

output "concurrency" {
  description = "How the notifier stays within the SES sending rate: `max_concurrency` (the cap derived from sending.ses_max_send_rate), `reserved` (the function's reserved concurrency, -1 when sending.reserve_concurrency is off) and `send_interval_ms` (the pace of each invocation)."
  value = {
    max_concurrency  = local.max_concurrency
    reserved         = local.reserved_concurrency
    send_interval_ms = local.send_interval_ms
  }
}
