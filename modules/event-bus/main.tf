data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  # Account-wide names (queues, role, archive, registry, alias) carry prefix + stack name.
  base     = "${var.name_prefix}-${var.name}"
  bus_name = coalesce(var.bus_name, "${var.name_prefix}-student-event-bus")
  # Known at plan time: used in policies so that they never depend on the bus itself.
  bus_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${local.bus_name}"

  create_kms_key = var.kms_key.enabled && var.kms_key.arn == null
  kms_key_arn    = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)
  encrypted      = var.kms_key.enabled

  # Cross-variable checks, reported by the preconditions on the bus.
  unknown_rule_refs = flatten([
    for t_key, t in var.targets : [for r_key in t.rule_keys : "${t_key} -> ${r_key}" if !contains(keys(var.rules), r_key)]
  ])
  schedule_rules_off_default_bus = [
    for r_key, r in var.rules : r_key if r.schedule_expression != null && !r.on_default_bus
  ]
  group_id_on_non_sqs = [for t_key, t in var.targets : t_key if t.sqs_message_group_id != null && t.type != "sqs"]
}

# --- encryption ----------------------------------------------------------------------

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = local.base
  description             = "Encrypts the ${local.bus_name} event bus, its archive and dead-letter queues"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  service_principals = {
    EventBridgeUsesKey = {
      service      = "events.amazonaws.com"
      actions      = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
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

# Events that EventBridge cannot encrypt or decrypt with the bus key land here.
module "bus_dlq" {
  source = "../sqs-dlq"

  queues = local.encrypted ? {
    bus = {
      name = "${local.base}-bus-dlq"
      senders = {
        EventBridgeSendsFromBus = { service = "events.amazonaws.com", source_arns = [local.bus_arn] }
      }
    }
  } : {}
  kms_key_arn               = local.kms_key_arn
  message_retention_seconds = var.dlq_message_retention_seconds
  tags                      = var.tags
}

moved {
  from = aws_sqs_queue.bus_dlq[0]
  to   = module.bus_dlq.aws_sqs_queue.this["bus"]
}

moved {
  from = aws_sqs_queue_policy.bus_dlq[0]
  to   = module.bus_dlq.aws_sqs_queue_policy.this["bus"]
}

# --- bus and archive -----------------------------------------------------------------

resource "aws_cloudwatch_event_bus" "this" {
  name               = local.bus_name
  description        = "Student platform domain events (${var.name_prefix})"
  kms_key_identifier = local.kms_key_arn
  tags               = var.tags

  dynamic "dead_letter_config" {
    for_each = local.encrypted ? [1] : []
    content {
      arn = module.bus_dlq.queues["bus"].arn
    }
  }

  lifecycle {
    precondition {
      condition     = length(local.unknown_rule_refs) == 0
      error_message = "targets reference rules that do not exist (target -> rule): ${join(", ", local.unknown_rule_refs)}. Every entry of a target's rule_keys must be a key of var.rules (${join(", ", sort(keys(var.rules)))})."
    }
    precondition {
      condition     = length(local.schedule_rules_off_default_bus) == 0
      error_message = "Rules ${join(", ", local.schedule_rules_off_default_bus)} have a schedule_expression, but scheduled rules run only on the default event bus: set on_default_bus = true for them (or use EventBridge Scheduler)."
    }
    precondition {
      condition     = length(local.group_id_on_non_sqs) == 0
      error_message = "sqs_message_group_id is only valid for sqs targets (set on: ${join(", ", local.group_id_on_non_sqs)})."
    }
  }
}

resource "aws_cloudwatch_event_archive" "this" {
  count = var.archive.enabled ? 1 : 0

  name               = local.base
  description        = "Replayable archive of ${local.bus_name}"
  event_source_arn   = aws_cloudwatch_event_bus.this.arn
  retention_days     = var.archive.retention_days
  event_pattern      = var.archive.event_pattern
  kms_key_identifier = var.archive.encrypted_with_cmk ? local.kms_key_arn : null
}
