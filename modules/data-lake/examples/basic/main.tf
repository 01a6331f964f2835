# The ranking data lake: the export bucket, its Glue database and the crawler the ranking
# pipeline starts after each export.
module "data_lake" {
  source = "../.."

  name_prefix                = var.name_prefix
  bucket_name                = var.bucket_name
  export_prefix              = var.export_prefix
  batch_output_prefix        = var.batch_output_prefix
  export_expiration_days     = var.export_expiration_days
  access_log_bucket          = var.access_log_bucket
  kms_key                    = var.kms_key
  personalize_access         = var.personalize_access
  crawler_log_retention_days = 7
  force_destroy              = true # example only: lets the test destroy a bucket with objects

  tags = { example = "data-lake" }
}
