output "tables" {
  description = "Tables by key."
  value       = module.student_data.tables
}

output "kms_key_arn" {
  description = "Key encrypting the tables."
  value       = module.student_data.kms_key_arn
}

output "ingestion_function_name" {
  description = "Ingestion function name."
  value       = module.student_data.ingestion_function_name
}

output "ingestion_function_arn" {
  description = "Ingestion function ARN."
  value       = module.student_data.ingestion_function_arn
}

output "ingestion_role_arn" {
  description = "Ingestion function role ARN."
  value       = module.student_data.ingestion_role_arn
}

output "ingestion_dlq_url" {
  description = "Ingestion DLQ URL."
  value       = module.student_data.ingestion_dlq_url
}

output "ingestion_event_detail_types" {
  description = "Detail-types to route to the ingestion function."
  value       = module.student_data.ingestion_event_detail_types
}

output "ingestion_dlq_arn" {
  description = "Ingestion DLQ ARN."
  value       = module.student_data.ingestion_dlq_arn
}
