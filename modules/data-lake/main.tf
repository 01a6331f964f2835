data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  bucket_name = coalesce(var.bucket_name, "${var.name_prefix}-ranking-data-${local.account_id}-${local.region}")
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"
  # kms_key.enabled && no key given; a key known only after apply must be known non-null
  # (coalesce(<arn>)), or this count is unknown at plan time.
  create_kms_key = var.kms_key.enabled ? var.kms_key.arn == null : false
  kms_key_arn    = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)

  database_name          = "${replace(var.name_prefix, "-", "_")}_ranking_data"
  crawler_name           = "${var.name_prefix}-ranking-export"
  crawler_role_name      = "${var.name_prefix}-ranking-export-crawler"
  security_config_name   = "${var.name_prefix}-ranking-data"
  crawler_log_group_name = "/aws-glue/crawlers-role/${local.crawler_role_name}-${local.security_config_name}"
  crawler_log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.crawler_log_group_name}"
  crawler_arn            = "arn:${local.partition}:glue:${local.region}:${local.account_id}:crawler/${local.crawler_name}"
  database_arn           = "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${local.database_name}"
  export_s3_uri          = "s3://${local.bucket_name}/${var.export_prefix}"

  # Lifecycle rules by stable key; an empty prefix means the whole bucket.
  lifecycle_rules = {
    expire-exports = {
      prefix          = var.export_prefix
      expiration_days = var.export_expiration_days
    }
    expire-batch-output = {
      prefix          = var.batch_output_prefix
      expiration_days = var.batch_output_expiration_days
    }
    noncurrent-versions = {
      prefix          = ""
      expiration_days = null
    }
  }
}

# --------------------------------------------------------------------------- KMS

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = "${var.name_prefix}-ranking-data"
  description             = "${var.name_prefix} ranking data lake: S3 exports, Glue security configuration, crawler logs"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  service_principals = merge(
    {
      CloudWatchLogsEncryptCrawlerLogs = {
        service = "logs.${local.region}.amazonaws.com"
        conditions = [{
          test     = "ArnLike"
          variable = "kms:EncryptionContext:aws:logs:arn"
          values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/crawlers*"]
        }]
      }
    },
    var.personalize_access.enabled ? {
      PersonalizeUsesKeyForThisAccount = {
        service      = "personalize.amazonaws.com"
        actions      = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"]
        same_account = true
      }
    } : {},
  )
  tags = var.tags
}

moved {
  from = aws_kms_key.this[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.this[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

# --------------------------------------------------------------------------- bucket

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Derived training data, re-exported nightly from DynamoDB; cross-region replication would only add cost.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: the pipeline starts the crawler and Personalize jobs itself.
  #checkov:skip=CKV_AWS_18:Server access logging is enabled through the access_log_bucket input (aws_s3_bucket_logging below); the log bucket is environment-owned.
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { Name = local.bucket_name })

  lifecycle {
    precondition {
      condition     = !startswith(var.export_prefix, var.batch_output_prefix) && !startswith(var.batch_output_prefix, var.export_prefix)
      error_message = "export_prefix and batch_output_prefix must not contain each other: the crawler and the Personalize role read the export prefix only."
    }
    precondition {
      condition     = var.kms_key.enabled
      error_message = "Encryption needs a customer managed key: keep kms_key.enabled = true (with kms_key.arn, or null to create one)."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  #checkov:skip=CKV_AWS_300:Every rule (dynamic block) sets abort_incomplete_multipart_upload after 7 days; Checkov does not expand it.
  bucket = aws_s3_bucket.this.id

  dynamic "rule" {
    for_each = local.lifecycle_rules
    content {
      id     = rule.key
      status = "Enabled"

      filter {
        prefix = rule.value.prefix
      }

      dynamic "expiration" {
        for_each = rule.value.expiration_days == null ? [] : [rule.value.expiration_days]
        content {
          days = expiration.value
        }
      }

      noncurrent_version_expiration {
        noncurrent_days = var.noncurrent_version_expiration_days
      }

      abort_incomplete_multipart_upload {
        days_after_initiation = 7
      }
    }
  }

  # Versioning must be on before noncurrent-version rules mean anything.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_log_bucket == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = coalesce(var.access_log_prefix, "s3-access/${local.bucket_name}/")
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      local.bucket_arn,
      "${local.bucket_arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Default encryption covers puts without an encryption header; these two deny any put
  # that asks for something other than SSE-KMS with this bucket's key.
  statement {
    sid       = "DenyUnencryptedOrNonKmsPuts"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  dynamic "statement" {
    for_each = local.kms_key_arn == null ? [] : [local.kms_key_arn]
    content {
      sid       = "DenyPutsWithOtherKmsKeys"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["${local.bucket_arn}/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      condition {
        test     = "StringNotEqualsIfExists"
        variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
        values   = [statement.value]
      }
    }
  }

  dynamic "statement" {
    for_each = var.personalize_access.enabled ? [1] : []
    content {
      sid       = "PersonalizeListsItsPrefixes"
      actions   = ["s3:ListBucket"]
      resources = [local.bucket_arn]
      principals {
        type        = "Service"
        identifiers = ["personalize.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = var.personalize_access.enabled ? [1] : []
    content {
      sid     = "PersonalizeReadsExportsAndBatchInput"
      actions = ["s3:GetObject"]
      resources = [
        "${local.bucket_arn}/${var.export_prefix}*",
        "${local.bucket_arn}/${var.batch_output_prefix}input/*",
      ]
      principals {
        type        = "Service"
        identifiers = ["personalize.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = var.personalize_access.enabled ? [1] : []
    content {
      sid       = "PersonalizeWritesBatchOutput"
      actions   = ["s3:PutObject"]
      resources = ["${local.bucket_arn}/${var.batch_output_prefix}output/*"]
      principals {
        type        = "Service"
        identifiers = ["personalize.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # A policy naming a service principal is only accepted once public policies are blocked.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

# --------------------------------------------------------------------------- Glue

resource "aws_glue_catalog_database" "this" {
  name        = local.database_name
  description = "${var.name_prefix} ranking training exports (Personalize CSV datasets), catalogued by ${local.crawler_name}"
  tags        = var.tags
}

resource "aws_glue_security_configuration" "this" {
  name = local.security_config_name

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = local.kms_key_arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = local.kms_key_arn
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = local.kms_key_arn
    }
  }
}

# The crawler's log group (name set by Glue for crawlers with a security configuration),
# created here so it has a retention and the KMS key.
resource "aws_cloudwatch_log_group" "crawler" {
  #checkov:skip=CKV_AWS_338:Retention is the crawler_log_retention_days input (environments choose; prod may keep a year).
  name              = local.crawler_log_group_name
  retention_in_days = var.crawler_log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "crawler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "crawler" {
  name                 = local.crawler_role_name
  description          = "Glue crawler ${local.crawler_name}: reads s3://${local.bucket_name}/${var.export_prefix} into ${local.database_name}"
  assume_role_policy   = data.aws_iam_policy_document.crawler_assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "crawler" {
  statement {
    sid       = "ListExportPrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.export_prefix, "${var.export_prefix}*"]
    }
  }

  statement {
    sid       = "LocateBucket"
    actions   = ["s3:GetBucketLocation"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "ReadExports"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/${var.export_prefix}*"]
  }

  dynamic "statement" {
    for_each = local.kms_key_arn == null ? [] : [local.kms_key_arn]
    content {
      sid       = "DecryptExports"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.kms_key_arn == null ? [] : [local.kms_key_arn]
    content {
      sid       = "EncryptOwnLogs"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["logs.${local.region}.amazonaws.com"]
      }
    }
  }

  statement {
    sid = "WriteOwnLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:AssociateKmsKey",
    ]
    resources = [
      local.crawler_log_group_arn,
      "${local.crawler_log_group_arn}:*",
    ]
  }

  statement {
    sid = "CatalogExportTables"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:DeleteTable",
      "glue:BatchDeleteTable",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
      "glue:UpdatePartition",
      "glue:BatchUpdatePartition",
      "glue:DeletePartition",
      "glue:BatchDeletePartition",
    ]
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      local.database_arn,
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${local.database_name}/*",
    ]
  }
}

resource "aws_iam_role_policy" "crawler" {
  name   = "${local.crawler_role_name}-least-privilege"
  role   = aws_iam_role.crawler.id
  policy = data.aws_iam_policy_document.crawler.json
}

resource "aws_glue_crawler" "this" {
  name                   = local.crawler_name
  description            = "Catalogs the Personalize training exports; started by the ranking pipeline (no schedule)."
  database_name          = aws_glue_catalog_database.this.name
  role                   = aws_iam_role.crawler.arn
  security_configuration = aws_glue_security_configuration.this.name
  tags                   = var.tags

  s3_target {
    path = local.export_s3_uri
  }

  # One table per dataset folder (interactions/, users/, items/), partitioned by run_date.
  configuration = jsonencode({
    Version = 1.0
    CrawlerOutput = {
      Partitions = { AddOrUpdateBehavior = "InheritFromTable" }
    }
  })

  schema_change_policy {
    update_behavior = "UPDATE_IN_DATABASE"
    # Expired exports disappear from the catalog too.
    delete_behavior = "DELETE_FROM_DATABASE"
  }

  recrawl_policy {
    recrawl_behavior = "CRAWL_EVERYTHING"
  }

  depends_on = [aws_iam_role_policy.crawler, aws_cloudwatch_log_group.crawler]
}
