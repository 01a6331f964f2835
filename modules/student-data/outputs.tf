# Names and ARNs come from the module's locals (known at plan time); depends_on keeps
# consumers ordered after the tables.

output "tables" {
  description = "Every table by key (students, interactions, class_activity): name, arn, stream_arn (null without a stream), hash_key, range_key."
  value = {
    for k, t in local.tables : k => {
      name       = t.name
      arn        = local.table_arns[k]
      stream_arn = t.stream_view_type == null ? null : try(aws_dynamodb_table.this[k].stream_arn, null)
      hash_key   = t.hash_key
      range_key  = t.range_key
    }
  }
  depends_on = [aws_dynamodb_table.this]
}

output "students_table_name" {
  description = "Name of the Students table (pk studentId, GSI classId-index)."
  value       = local.tables.students.name
  depends_on  = [aws_dynamodb_table.this]
}

output "students_table_arn" {
  description = "ARN of the Students table."
  value       = local.table_arns.students
  depends_on  = [aws_dynamodb_table.this]
}

output "interactions_table_name" {
  description = "Name of the Interactions table (pk studentId, sk eventId)."
  value       = local.tables.interactions.name
  depends_on  = [aws_dynamodb_table.this]
}

output "interactions_table_arn" {
  description = "ARN of the Interactions table."
  value       = local.table_arns.interactions
  depends_on  = [aws_dynamodb_table.this]
}

output "interactions_stream_arn" {
  description = "ARN of the Interactions table's stream (NEW_IMAGE)."
  value       = try(aws_dynamodb_table.this["interactions"].stream_arn, null)
}

output "class_activity_table_name" {
  description = "Name of the ClassActivity table (pk classId, sk activityId)."
  value       = local.tables.class_activity.name
  depends_on  = [aws_dynamodb_table.this]
}

output "class_activity_table_arn" {
  description = "ARN of the ClassActivity table."
  value       = local.table_arns.class_activity
  depends_on  = [aws_dynamodb_table.this]
}

output "kms_key_arn" {
  description = "KMS key encrypting the tables, the ingestion logs/environment and its DLQ (module-created or the kms_key.arn input)."
  value       = local.kms_key_arn
}

output "ingestion_function_name" {
  description = "Name of the ingestion Lambda function."
  value       = module.ingestion.function_name
}

output "ingestion_function_arn" {
  description = "ARN of the ingestion Lambda function: wire it as the target of the event-bus module's student.enrolled, student.registered, student.submitAssignment and teacher.sendAnnouncement rules."
  value       = module.ingestion.function_arn
}

output "ingestion_role_arn" {
  description = "ARN of the ingestion function's own IAM role."
  value       = module.ingestion.role_arn
}

output "ingestion_dlq_arn" {
  description = "ARN of the ingestion function's dead-letter queue (failed asynchronous invocations)."
  value       = local.ingestion_dlq_arn
}

output "ingestion_dlq_url" {
  description = "URL of the ingestion function's dead-letter queue."
  value       = try(module.ingestion_dlq.queues["ingestion"].url, null)
}

output "ingestion_event_detail_types" {
  description = "EventBridge detail-types the ingestion function handles; the event-bus module routes these to ingestion_function_arn."
  value       = local.ingestion_detail_types
}
