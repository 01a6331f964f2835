# Routing of the four API event types on the student event bus, with SQS queues as targets:
# one queue per rule, an "activity" queue serving two rules, and an "audit" queue on a
# catch-all rule. Optional Lambda (notifier) and Step Functions (ranking) targets.

locals {
  catalog_dir = "${path.module}/../../../../lambda_src/student_platform/catalog"

  # detail-type => source, the event types clients publish through the API.
  event_types = {
    "student.enrolled"         = "api.student"
    "student.submitAssignment" = "api.assignment"
    "teacher.sendAnnouncement" = "api.teacher"
    "ranking.requestUpdate"    = "api.ranking"
  }
  rule_keys = {
    "student.enrolled"         = "enrolled"
    "student.submitAssignment" = "submit-assignment"
    "teacher.sendAnnouncement" = "announcement"
    "ranking.requestUpdate"    = "ranking-request"
  }

  type_rules = {
    for detail_type, source in local.event_types : local.rule_keys[detail_type] => {
      description   = "Route ${detail_type} events from ${source}"
      event_pattern = jsonencode({ source = [source], "detail-type" = [detail_type] })
    }
  }
  rules = merge(
    local.type_rules,
    {
      all-events = {
        description   = "Every platform event, for the audit trail"
        event_pattern = jsonencode({ source = [{ prefix = "api." }] })
      }
    },
    var.nightly_ranking.enabled ? {
      nightly-ranking = {
        description         = "Request a ranking update every night (scheduled rules live on the default bus)"
        schedule_expression = "cron(0 19 * * ? *)"
        on_default_bus      = true
      }
    } : {}
  )

  # Queue key => the rules it serves: one queue per type rule, "audit" on the catch-all rule,
  # "activity" serving two rules, "nightly" fed by the scheduled rule.
  queue_rules = merge(
    { for k in keys(local.type_rules) : k => [k] },
    { audit = ["all-events"], activity = ["enrolled", "submit-assignment"] },
    var.nightly_ranking.enabled ? { nightly = ["nightly-ranking"] } : {}
  )
  nightly_input = {
    input_template = jsonencode({ source = "api.ranking", "detail-type" = "ranking.requestUpdate", detail = { trigger = "nightly" } })
  }

  queue_targets = {
    for k, queue in aws_sqs_queue.target : k => {
      rule_keys         = local.queue_rules[k]
      arn               = queue.arn
      type              = "sqs"
      input_transformer = k == "nightly" ? local.nightly_input : null
    }
  }

  optional_targets = merge(
    var.notifier_function_arn == null ? {} : {
      notifier = {
        rule_keys = ["enrolled", "announcement"]
        arn       = var.notifier_function_arn
        type      = "lambda"
        retry     = { maximum_event_age_in_seconds = 7200, maximum_retry_attempts = 12 }
      }
    },
    var.ranking_state_machine_arn == null ? {} : {
      ranking = {
        rule_keys = ["ranking-request"]
        arn       = var.ranking_state_machine_arn
        type      = "stepfunctions"
      }
    }
  )
}

resource "aws_sqs_queue" "target" {
  for_each = local.queue_rules

  name                    = "${var.name_prefix}-routing-${each.key}"
  sqs_managed_sse_enabled = true
}

module "events" {
  source = "../.."

  name_prefix = var.name_prefix
  kms_key     = var.kms_key
  archive     = { retention_days = 7, encrypted_with_cmk = var.archive.encrypted_with_cmk }

  schema_registry = {
    enabled = var.schema_registry.enabled
    schemas = {
      for f in fileset(local.catalog_dir, "*.json") : trimsuffix(f, ".json") => file("${local.catalog_dir}/${f}")
    }
  }

  rules      = local.rules
  targets    = merge(local.queue_targets, local.optional_targets)
  publishers = var.publishers

  tags = { example = "event-bus-routing" }
}
