# Names and ARNs come from the module's locals: known at plan time, so consumers' IAM
# policies are reviewable in the plan (nothing needs the bucket to exist to be created).

output "bucket_name" {
  description = "Name of the data lake bucket (DATA_BUCKET of the training functions)."
  value       = local.bucket_name
}

output "bucket_arn" {
  description = "ARN of the data lake bucket."
  value       = local.bucket_arn
}

output "kms_key_arn" {
  description = "KMS key encrypting the bucket, the Glue security configuration and the crawler logs (module-created or the kms_key.arn input)."
  value       = local.kms_key_arn
}

output "export_prefix" {
  description = "Key prefix of the training exports (what the crawler and Personalize read)."
  value       = var.export_prefix
}

output "export_s3_uri" {
  description = "s3:// URI of the export prefix (the crawler's target)."
  value       = local.export_s3_uri
}

output "batch_output_prefix" {
  description = "Key prefix of Personalize batch inference input (<prefix>input/) and output (<prefix>output/)."
  value       = var.batch_output_prefix
}

output "database_name" {
  description = "Glue catalog database the crawler writes the export tables into."
  value       = local.database_name
  depends_on  = [aws_glue_catalog_database.this]
}

output "database_arn" {
  description = "ARN of the Glue catalog database."
  value       = local.database_arn
  depends_on  = [aws_glue_catalog_database.this]
}

output "crawler_name" {
  description = "Name of the Glue crawler over the export prefix (GLUE_CRAWLER_NAME of the export step)."
  value       = local.crawler_name
  depends_on  = [aws_glue_crawler.this]
}

output "crawler_arn" {
  description = "ARN of the Glue crawler (for glue:StartCrawler permissions)."
  value       = local.crawler_arn
  depends_on  = [aws_glue_crawler.this]
}

output "crawler_role_arn" {
  description = "ARN of the crawler's own IAM role."
  value       = aws_iam_role.crawler.arn
}

output "security_configuration_name" {
  description = "Glue security configuration (SSE-KMS for CloudWatch logs and S3, CSE-KMS for bookmarks) used by the crawler."
  value       = aws_glue_security_configuration.this.name
}
