output "bucket_name" {
  description = "Data lake bucket."
  value       = module.data_lake.bucket_name
}

output "bucket_arn" {
  description = "Data lake bucket ARN."
  value       = module.data_lake.bucket_arn
}

output "kms_key_arn" {
  description = "Data lake key."
  value       = module.data_lake.kms_key_arn
}

output "export_prefix" {
  description = "Export prefix."
  value       = module.data_lake.export_prefix
}

output "export_s3_uri" {
  description = "Crawler target."
  value       = module.data_lake.export_s3_uri
}

output "database_name" {
  description = "Glue database."
  value       = module.data_lake.database_name
}

output "crawler_name" {
  description = "Glue crawler."
  value       = module.data_lake.crawler_name
}

output "crawler_arn" {
  description = "Glue crawler ARN."
  value       = module.data_lake.crawler_arn
}

output "crawler_role_arn" {
  description = "Crawler role ARN."
  value       = module.data_lake.crawler_role_arn
}

output "security_configuration_name" {
  description = "Glue security configuration."
  value       = module.data_lake.security_configuration_name
}
