data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  # create_kms_key && no key given; a key known only after apply needs create_kms_key = false.
  create_kms_key = var.create_kms_key ? var.kms_key_arn == null : false
  kms_key_arn    = var.kms_key_arn != null ? var.kms_key_arn : one(aws_kms_key.this[*].arn)
  campaign       = var.deploy_mode == "campaign"

  # Names the pipeline gives Personalize resources (lambda_src/training/common.py):
  # dataset group and campaign <prefix>-student-ranking, solutions/schemas <that>-*,
  # jobs <prefix>-<kind>-<runId>.
  base_name       = "${var.name_prefix}-student-ranking"
  personalize_arn = "arn:${local.partition}:personalize:${local.region}:${local.account_id}"
  recipe_arn      = "arn:${local.partition}:personalize:::recipe/${var.recipe}"

  bucket_arn        = "arn:${local.partition}:s3:::${var.data_bucket_name}"
  crawler_arn       = "arn:${local.partition}:glue:${local.region}:${local.account_id}:crawler/${var.glue_crawler_name}"
  ssm_arn           = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter"
  batch_input_glob  = "${var.batch_output_prefix}input/*"
  batch_output_glob = "${var.batch_output_prefix}output/*"

  personalize_role_name = "${var.name_prefix}-personalize-ranking"
  # Built from names (like the state machine ARN below) so that the step policies are
  # known at plan time and reviewable in the plan.
  personalize_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/${local.personalize_role_name}"

  state_machine_name = "${var.name_prefix}-ranking-pipeline"
  # Built rather than read from the resource so the triggers' policies and targets do not
  # wait for (or, on an emulator without ValidateStateMachineDefinition, fail with) it.
  state_machine_arn = "arn:${local.partition}:states:${local.region}:${local.account_id}:stateMachine:${local.state_machine_name}"

  # The pipeline overwrites both parameters at run time (lifecycle ignore_changes = [value]).
  parameters = {
    ranking = {
      name        = "/${var.name_prefix}/ranking/current"
      description = "Current student ranking published by ${local.state_machine_name}: {mode, campaignArn|outputUri, ...}; mode none until the first run."
      value       = jsonencode({ mode = "none" })
    }
    watermark = {
      name        = "/${var.name_prefix}/ranking/watermark"
      description = "Highest interaction TIMESTAMP imported into Personalize by ${local.state_machine_name} (incremental imports)."
      value       = jsonencode({ maxTimestamp = null })
    }
  }

  parameter_arns = { for key, p in local.parameters : key => "${local.ssm_arn}${p.name}" }

  weekday_numbers = { MON = 0, TUE = 1, WED = 2, THU = 3, FRI = 4, SAT = 5, SUN = 6 }
}

# --------------------------------------------------------------------------- KMS

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" resource means this key; account administration through IAM is the AWS default key policy.
  #checkov:skip=CKV_AWS_111:Key policy: "*" resource means this key; service principals are scoped by conditions.
  #checkov:skip=CKV_AWS_356:Key policy: "*" resource means this key.
  count = local.create_kms_key ? 1 : 0

  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"] # In a key policy "*" means this key.
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncryptPipelineLogs"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name_prefix}-ranking-*",
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/vendedlogs/states/${local.state_machine_name}",
      ]
    }
  }

  statement {
    sid       = "EventBridgeWritesRuleDlq"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "${var.name_prefix} ranking pipeline: logs, DLQs, function environment"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms[0].json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name_prefix}-ranking-pipeline"
  target_key_id = aws_kms_key.this[0].key_id
}

# --------------------------------------------------------------------------- SSM

resource "aws_ssm_parameter" "this" {
  #checkov:skip=CKV2_AWS_34:Non-secret JSON pointers (mode, campaign ARN / S3 URI, timestamps) read by the API and the pipeline; String by design.
  for_each = local.parameters

  name        = each.value.name
  description = each.value.description
  type        = "String"
  value       = each.value.value
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

# --------------------------------------------------------------------------- Personalize role

data "aws_iam_policy_document" "personalize_assume" {
  statement {
    actions = ["sts:AssumeRole"]
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

resource "aws_iam_role" "personalize" {
  name                 = local.personalize_role_name
  description          = "Amazon Personalize: reads the ranking exports and batch input, writes batch output in ${var.data_bucket_name}"
  assume_role_policy   = data.aws_iam_policy_document.personalize_assume.json
  max_session_duration = 3600
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = var.kms_key_arn != null || var.create_kms_key
      error_message = "Encryption needs a customer managed key: set kms_key_arn, or leave create_kms_key = true."
    }
  }
}

data "aws_iam_policy_document" "personalize" {
  statement {
    sid       = "ListExportAndBatchInput"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.export_prefix}*", local.batch_input_glob]
    }
  }

  statement {
    sid     = "ReadExportAndBatchInput"
    actions = ["s3:GetObject"]
    resources = [
      "${local.bucket_arn}/${var.export_prefix}*",
      "${local.bucket_arn}/${local.batch_input_glob}",
    ]
  }

  statement {
    sid       = "WriteBatchOutput"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/${local.batch_output_glob}"]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.data_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "personalize" {
  name   = "${var.name_prefix}-personalize-ranking-least-privilege"
  role   = aws_iam_role.personalize.id
  policy = data.aws_iam_policy_document.personalize.json
}

check "campaign_settings" {
  assert {
    condition     = local.campaign || var.min_provisioned_tps == 1
    error_message = "min_provisioned_tps only applies to deploy_mode campaign; it is ignored in batch mode."
  }
}
