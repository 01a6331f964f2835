output "state_machine_arn" {
  description = "Training state machine."
  value       = module.ranking_pipeline.state_machine_arn
}

output "state_machine_definition" {
  description = "Rendered ASL definition."
  value       = module.ranking_pipeline.state_machine_definition
}

output "schedule_name" {
  description = "Nightly schedule."
  value       = module.ranking_pipeline.schedule_name
}

output "schedule_group_name" {
  description = "Schedule group."
  value       = module.ranking_pipeline.schedule_group_name
}

output "request_update_rule_arn" {
  description = "On-demand rule."
  value       = module.ranking_pipeline.request_update_rule_arn
}

output "event_bus_name" {
  description = "Example bus."
  value       = aws_cloudwatch_event_bus.students.name
}

output "parameter_name" {
  description = "Ranking parameter."
  value       = module.ranking_pipeline.parameter_name
}

output "watermark_parameter_name" {
  description = "Watermark parameter."
  value       = module.ranking_pipeline.watermark_parameter_name
}

output "personalize_role_arn" {
  description = "Personalize role."
  value       = module.ranking_pipeline.personalize_role_arn
}

output "function_names" {
  description = "Step functions."
  value       = module.ranking_pipeline.function_names
}

output "function_arns" {
  description = "Step function ARNs."
  value       = module.ranking_pipeline.function_arns
}

output "dlq_urls" {
  description = "DLQ URLs."
  value       = module.ranking_pipeline.dlq_urls
}

output "dlq_arns" {
  description = "DLQ ARNs."
  value       = module.ranking_pipeline.dlq_arns
}

output "data_bucket_name" {
  description = "Data lake bucket."
  value       = module.data_lake.bucket_name
}

output "data_kms_key_arn" {
  description = "The data lake's KMS key (encrypts the bucket)."
  value       = module.data_lake.kms_key_arn
}

output "engagement" {
  description = "Where the Export step publishes each class's engagement ranking."
  value       = module.ranking_pipeline.engagement
}

output "popularity" {
  description = "Where the Export step publishes the items' popularity."
  value       = module.ranking_pipeline.popularity
}

output "ranking_api_endpoint" {
  description = "Base URL of the ranking API (GET /ranking/{userId}[?type=], GET /classes/{classId}/ranking)."
  value       = module.ranking_api.api_endpoint
}
