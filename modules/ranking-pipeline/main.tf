data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  # kms_key.enabled && no key given; a key known only after apply must be known non-null
  # (coalesce(<arn>)), or this count is unknown at plan time.
  create_kms_key = var.kms_key.enabled ? var.kms_key.arn == null : false
  kms_key_arn    = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)
  campaign       = var.deploy_mode == "campaign"

  # Names the pipeline gives Personalize resources (lambda_src/training/common.py):
  # dataset group and campaign <prefix>-student-ranking, solutions/schemas <that>-*,
  # jobs <prefix>-<kind>-<runId>.
  base_name       = "${var.name_prefix}-student-ranking"
  personalize_arn = "arn:${local.partition}:personalize:${local.region}:${local.account_id}"
  recipe_arn      = "arn:${local.partition}:personalize:::recipe/${var.recipe}"
  # CreateSolutionVersion accepts trainingMode=UPDATE only for User-Personalization (and the
  # legacy HRNN-Coldstart); training.common.UPDATE_CAPABLE_RECIPES is the same list.
  update_capable = var.recipe == "aws-user-personalization"

  bucket_arn        = "arn:${local.partition}:s3:::${var.data_bucket_name}"
  crawler_arn       = "arn:${local.partition}:glue:${local.region}:${local.account_id}:crawler/${var.glue_crawler_name}"
  ssm_arn           = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter"
  batch_input_glob  = "${var.batch_output_prefix}input/*"
  batch_output_glob = "${var.batch_output_prefix}output/*"
  # The Export step publishes one engagement ranking per class here (training/engagement.py).
  engagement_prefix = "${var.batch_output_prefix}engagement/classes/"
  engagement_glob   = "${local.engagement_prefix}*"
  # ... and the items' popularity, overall and per item type (training/popularity.py): the
  # ranking API's fallback reads this one object.
  popularity_key = "${var.batch_output_prefix}popularity/current.json"

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

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = "${var.name_prefix}-ranking-pipeline"
  description             = "${var.name_prefix} ranking pipeline: logs, DLQs, function environment"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  service_principals = {
    CloudWatchLogsEncryptPipelineLogs = {
      service = "logs.${local.region}.amazonaws.com"
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values = [
          "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name_prefix}-ranking-*",
          "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/vendedlogs/states/${local.state_machine_name}",
        ]
      }]
    }
    EventBridgeWritesRuleDlq = {
      service      = "events.amazonaws.com"
      actions      = ["kms:GenerateDataKey", "kms:Decrypt"]
      same_account = true
    }
  }
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
      condition     = var.kms_key.enabled
      error_message = "Encryption needs a customer managed key: keep kms_key.enabled = true (with kms_key.arn, or null to create one)."
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
