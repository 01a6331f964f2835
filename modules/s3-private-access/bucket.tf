# Optional demo bucket: reachable only through this module's endpoints, except for the
# admin principals (the escape hatch that keeps the bucket manageable, Terraform included).

# The bucket's key: only the bucket's S3 SSE and IAM principals of this account use it.
module "kms_key" {
  source = "../kms-key"
  count  = local.create_demo_bucket && var.demo_bucket.kms_key_arn == null ? 1 : 0

  alias                   = "${local.name}-privatelink-demo"
  description             = "Encrypts the ${local.demo_bucket_name} demo bucket"
  deletion_window_in_days = 7
  tags                    = var.tags
}

moved {
  from = aws_kms_key.demo_bucket[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.demo_bucket[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

locals {
  demo_bucket_kms_key_arn = var.demo_bucket.kms_key_arn != null ? var.demo_bucket.kms_key_arn : one(module.kms_key[*].key_arn)
  demo_bucket_endpoints = compact([
    aws_vpc_endpoint.interface.id,
    var.demo_bucket.allow_gateway_endpoint ? aws_vpc_endpoint.gateway.id : "",
  ])
}

resource "aws_s3_bucket" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  #checkov:skip=CKV_AWS_18:Lab bucket of a few test objects; server access logs would need a second bucket.
  #checkov:skip=CKV_AWS_144:Lab bucket; cross-region replication is out of scope.
  #checkov:skip=CKV2_AWS_62:No consumer of event notifications for a lab bucket.
  bucket        = local.demo_bucket_name
  force_destroy = var.demo_bucket.force_destroy
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = length(var.demo_bucket.admin_principal_arns) > 0
      error_message = "demo_bucket.enabled = true needs at least one demo_bucket.admin_principal_arns entry (e.g. the role that runs Terraform): the bucket policy denies everyone else outside the interface endpoint, Terraform included."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  bucket = aws_s3_bucket.demo[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  bucket                  = aws_s3_bucket.demo[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  bucket = aws_s3_bucket.demo[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  bucket = aws_s3_bucket.demo[0].id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.demo_bucket_kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  bucket = aws_s3_bucket.demo[0].id

  rule {
    id     = "expire-old-versions-and-uploads"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "demo_bucket" {
  count = local.create_demo_bucket ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.demo_bucket_arn, "${local.demo_bucket_arn}/*"]
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

  statement {
    sid       = "DenyAccessNotThroughTheEndpoint"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.demo_bucket_arn, "${local.demo_bucket_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = local.demo_bucket_endpoints
    }
    # Escape hatch: these principals keep access from anywhere (Terraform, break-glass).
    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = var.demo_bucket.admin_principal_arns
    }
  }
}

resource "aws_s3_bucket_policy" "demo" {
  count = local.create_demo_bucket ? 1 : 0

  bucket = aws_s3_bucket.demo[0].id
  policy = data.aws_iam_policy_document.demo_bucket[0].json

  depends_on = [aws_s3_bucket_public_access_block.demo]
}
