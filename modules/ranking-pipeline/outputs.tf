output "state_machine_arn" {
  description = "ARN of the training state machine (STANDARD)."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the training state machine."
  value       = aws_sfn_state_machine.this.name
}

output "state_machine_definition" {
  description = "The rendered ASL definition (templates/state_machine.asl.json with the step function ARNs and waits)."
  value       = local.definition
}

output "state_machine_role_arn" {
  description = "ARN of the state machine's role (lambda:InvokeFunction on its step functions only)."
  value       = aws_iam_role.state_machine.arn
}

output "state_machine_log_group_name" {
  description = "Encrypted log group of the state machine (level ERROR, no execution data)."
  value       = aws_cloudwatch_log_group.state_machine.name
}

output "schedule_arn" {
  description = "ARN of the nightly EventBridge Scheduler schedule."
  value       = aws_scheduler_schedule.nightly.arn
}

output "schedule_name" {
  description = "Name of the nightly schedule."
  value       = aws_scheduler_schedule.nightly.name
}

output "schedule_group_name" {
  description = "Schedule group holding the nightly schedule."
  value       = aws_scheduler_schedule_group.this.name
}

output "request_update_rule_arn" {
  description = "ARN of the ranking.requestUpdate rule on the student bus."
  value       = aws_cloudwatch_event_rule.request_update.arn
}

output "parameter_name" {
  description = "SSM parameter holding the current ranking (RANKING_PARAMETER_NAME of the ranking API)."
  value       = try(aws_ssm_parameter.this["ranking"].name, null)
}

output "parameter_arn" {
  description = "ARN of the ranking SSM parameter."
  value       = try(aws_ssm_parameter.this["ranking"].arn, null)
}

output "watermark_parameter_name" {
  description = "SSM parameter holding the incremental-import watermark."
  value       = try(aws_ssm_parameter.this["watermark"].name, null)
}

output "personalize_role_arn" {
  description = "ARN of the Personalize service role (PERSONALIZE_ROLE_ARN)."
  value       = aws_iam_role.personalize.arn
}

output "function_names" {
  description = "Step function names by step (export, ensure-datasets, ..., publish)."
  value       = { for key, fn in module.step : key => fn.function_name }
}

output "function_arns" {
  description = "Step function ARNs by step."
  value       = { for key, fn in module.step : key => fn.function_arn }
}

output "dlq_urls" {
  description = "Dead-letter queue URLs by trigger (schedule, request-update)."
  value       = { for key, q in module.dlq.queues : key => q.url }
}

output "dlq_arns" {
  description = "Dead-letter queue ARNs by trigger (schedule, request-update)."
  value       = { for key, q in module.dlq.queues : key => q.arn }
}

output "kms_key_arn" {
  description = "KMS key of the logs, DLQs and function environment (module-created or the kms_key.arn input)."
  value       = local.kms_key_arn
}

output "recipe" {
  description = "The Personalize recipe the pipeline trains: pass it to ranking-api's `recipe` so the API calls the operation the model serves."
  value       = var.recipe
}

output "training_modes" {
  description = "Training modes the pipeline uses with this recipe: [\"FULL\", \"UPDATE\"] for aws-user-personalization (UPDATE nightly, FULL weekly), [\"FULL\"] for the others."
  value       = local.update_capable ? ["FULL", "UPDATE"] : ["FULL"]
}

output "cleanup_function_name" {
  description = "The function that deletes the pipeline's Personalize resources on terraform destroy (null with teardown.enabled = false)."
  value       = var.teardown.enabled ? module.cleanup[0].function_name : null
}

output "engagement" {
  description = "Where the Export step publishes each class's engagement ranking every night: s3://<bucket>/<key_prefix><classId>.json (one GetObject per GET /classes/{classId}/ranking; read it with lambda_src/ranking/engagement.py). Readers need s3:GetObject on object_arn_glob (and kms:Decrypt on the data key)."
  value = {
    bucket          = var.data_bucket_name
    key_prefix      = local.engagement_prefix
    object_arn_glob = "${local.bucket_arn}/${local.engagement_glob}"
  }
}

output "popularity" {
  description = "Where the Export step publishes the items' popularity every night, overall and per item type: s3://<bucket>/<key> (the ranking API's fallback reads it with one GetObject; lambda_src/ranking/popularity.py). Readers need s3:GetObject on object_arn (and kms:Decrypt on the data key)."
  value = {
    bucket     = var.data_bucket_name
    key        = local.popularity_key
    object_arn = "${local.bucket_arn}/${local.popularity_key}"
  }
}
