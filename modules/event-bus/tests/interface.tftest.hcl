# Wiring the mocked plan shows: names, the key and archive switches, one target resource per
# (target, rule) with one DLQ per target, Lambda permissions, the targets role, schemas.
#   cd modules/event-bus && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix = "ebtest"
}

run "defaults_create_key_archive_and_bus_dlq" {
  command = plan

  # A known ARN for the module's key at plan, to see what is wired to it.
  override_resource {
    target          = module.kms_key[0].aws_kms_key.this
    override_during = plan
    values          = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-0000000000eb" }
  }

  assert {
    condition     = aws_cloudwatch_event_bus.this.name == "ebtest-student-event-bus"
    error_message = "The bus is <name_prefix>-student-event-bus by default."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/ebtest-student-events"
    error_message = "Without kms_key.arn the module creates a key (modules/kms-key: rotated) aliased alias/<prefix>-<name>."
  }
  assert {
    condition     = module.bus_dlq.queues["bus"].name == "ebtest-student-events-bus-dlq" && output.bus_dlq_arn == "arn:aws:sqs:us-east-1:123456789012:ebtest-student-events-bus-dlq"
    error_message = "With a customer managed key the bus has its dead-letter queue."
  }
  assert {
    condition     = aws_cloudwatch_event_archive.this[0].name == "ebtest-student-events" && aws_cloudwatch_event_archive.this[0].retention_days == 30
    error_message = "The archive is on by default, named <prefix>-<name>, kept 30 days."
  }
  assert {
    condition     = aws_cloudwatch_event_archive.this[0].kms_key_identifier == "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-0000000000eb"
    error_message = "The archive is encrypted with the bus's key (the module's own)."
  }
  assert {
    condition     = length(aws_schemas_registry.this) == 0 && length(aws_iam_role.targets) == 0
    error_message = "No schema registry and no targets role unless asked for."
  }
}

run "given_key_and_bus_name" {
  command = plan

  variables {
    bus_name = "custom.bus"
    kms_key  = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
    rules    = { r = { description = "r", event_pattern = "{\"source\":[\"a\"]}" } }
    targets  = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }

  assert {
    condition     = aws_cloudwatch_event_bus.this.name == "custom.bus" && aws_cloudwatch_event_rule.this["r"].event_bus_name == "custom.bus"
    error_message = "bus_name names the bus that the rules live on."
  }
  assert {
    condition     = length(module.kms_key) == 0 && aws_cloudwatch_event_bus.this.kms_key_identifier == var.kms_key.arn
    error_message = "A given key replaces the module's own key."
  }
  assert {
    condition     = module.dlq.queues["q"].kms_key_arn == var.kms_key.arn && module.bus_dlq.queues["bus"].kms_key_arn == var.kms_key.arn
    error_message = "The dead-letter queues are encrypted with the given key."
  }
  assert {
    condition     = aws_cloudwatch_event_archive.this[0].kms_key_identifier == var.kms_key.arn
    error_message = "The archive is encrypted with the given key."
  }
  assert {
    condition     = output.kms_key_arn == var.kms_key.arn
    error_message = "kms_key_arn output is the given key."
  }
}

run "aws_owned_keys" {
  command = plan

  variables {
    kms_key = { enabled = false }
    archive = { enabled = false }
    rules   = { r = { description = "r", event_pattern = "{\"source\":[\"a\"]}" } }
    targets = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }

  assert {
    condition     = length(module.kms_key) == 0 && length(module.bus_dlq.queues) == 0 && output.bus_dlq_arn == null
    error_message = "Without a customer managed key there is no key and no bus DLQ."
  }
  assert {
    condition     = module.dlq.queues["q"].kms_key_arn == null
    error_message = "Without a key the target DLQs use SQS-managed encryption (modules/sqs-dlq)."
  }
  assert {
    condition     = length(aws_cloudwatch_event_archive.this) == 0 && output.archive_name == null
    error_message = "archive.enabled = false removes the archive."
  }
}

run "targets_per_rule_pair_with_one_dlq_per_target" {
  command = plan

  # Known ARNs at plan for the targets role and two rules, to see what refers to them.
  override_resource {
    target          = aws_iam_role.targets[0]
    override_during = plan
    values          = { arn = "arn:aws:iam::123456789012:role/ebtest-student-events-targets" }
  }
  override_resource {
    target          = aws_cloudwatch_event_rule.this["r1"]
    override_during = plan
    values          = { arn = "arn:aws:events:us-east-1:123456789012:rule/ebtest-student-event-bus/ebtest-r1" }
  }
  override_resource {
    target          = aws_cloudwatch_event_rule.this["nightly"]
    override_during = plan
    values          = { arn = "arn:aws:events:us-east-1:123456789012:rule/ebtest-nightly" }
  }

  variables {
    rules = {
      r1      = { description = "one", event_pattern = "{\"source\":[\"a\"]}" }
      r2      = { description = "two", event_pattern = "{\"source\":[\"b\"]}", state = "DISABLED" }
      nightly = { description = "cron", schedule_expression = "cron(0 19 * * ? *)", on_default_bus = true }
    }
    targets = {
      q  = { rule_keys = ["r1", "r2"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" }
      fn = { rule_keys = ["r1", "nightly"], arn = "arn:aws:lambda:us-east-1:123456789012:function:fn", type = "lambda", dead_letter = false }
      sm = { rule_keys = ["r2"], arn = "arn:aws:states:us-east-1:123456789012:stateMachine:sm", type = "stepfunctions" }
      fifo = {
        rule_keys            = ["r1"]
        arn                  = "arn:aws:sqs:us-east-1:123456789012:q.fifo"
        type                 = "sqs"
        sqs_message_group_id = "students"
        retry                = { maximum_event_age_in_seconds = 7200, maximum_retry_attempts = 12 }
      }
    }
  }

  assert {
    condition     = sort(keys(aws_cloudwatch_event_target.this)) == tolist(["fifo/r1", "fn/nightly", "fn/r1", "q/r1", "q/r2", "sm/r2"])
    error_message = "One target resource per (target, rule) pair, keyed <target>/<rule>."
  }
  assert {
    condition     = aws_cloudwatch_event_target.this["q/r2"].target_id == "q" && aws_cloudwatch_event_target.this["q/r2"].rule == "ebtest-r2"
    error_message = "The target id is the target key; the rule is <name_prefix>-<rule key>."
  }
  assert {
    condition     = sort(keys(module.dlq.queues)) == tolist(["fifo", "q", "sm"]) && module.dlq.queues["q"].name == "ebtest-student-events-q-dlq"
    error_message = "One DLQ per target (not per pair), none for dead_letter = false."
  }
  assert {
    condition     = length(aws_cloudwatch_event_target.this["fn/r1"].dead_letter_config) == 0 && length(aws_cloudwatch_event_target.this["q/r1"].dead_letter_config) == 1
    error_message = "Only targets with a DLQ get a dead_letter_config."
  }
  assert {
    condition     = aws_cloudwatch_event_target.this["q/r1"].retry_policy[0].maximum_event_age_in_seconds == 3600 && aws_cloudwatch_event_target.this["q/r1"].retry_policy[0].maximum_retry_attempts == 8
    error_message = "The default retry policy is 1 h and 8 attempts."
  }
  assert {
    condition     = aws_cloudwatch_event_target.this["fifo/r1"].retry_policy[0].maximum_retry_attempts == 12 && aws_cloudwatch_event_target.this["fifo/r1"].sqs_target[0].message_group_id == "students"
    error_message = "Explicit retry settings and the message group id reach the target."
  }
  assert {
    condition     = aws_cloudwatch_event_rule.this["nightly"].event_bus_name == "default" && aws_cloudwatch_event_target.this["fn/nightly"].event_bus_name == "default"
    error_message = "on_default_bus puts the rule and its targets on the default bus."
  }
  assert {
    condition     = aws_cloudwatch_event_rule.this["r2"].state == "DISABLED" && aws_cloudwatch_event_rule.this["r1"].state == "ENABLED"
    error_message = "Rule state defaults to ENABLED and follows the input."
  }
  assert {
    condition     = sort(keys(aws_lambda_permission.this)) == tolist(["fn/nightly", "fn/r1"]) && aws_lambda_permission.this["fn/r1"].statement_id == "ebtest-student-events-fn-r1"
    error_message = "One Lambda permission per (Lambda target, rule)."
  }
  assert {
    condition     = aws_lambda_permission.this["fn/r1"].source_arn == "arn:aws:events:us-east-1:123456789012:rule/ebtest-student-event-bus/ebtest-r1" && aws_lambda_permission.this["fn/nightly"].source_arn == "arn:aws:events:us-east-1:123456789012:rule/ebtest-nightly"
    error_message = "Each Lambda permission is scoped to its own rule's ARN."
  }
  assert {
    condition     = sort(keys(aws_sqs_queue_policy.target)) == tolist(["fifo", "q"])
    error_message = "Every SQS target gets a queue policy (sqs_target_policy)."
  }
  assert {
    condition     = aws_sqs_queue_policy.target["q"].queue_url == "https://sqs.us-east-1.amazonaws.com/123456789012/q"
    error_message = "The target queue URL is derived from its ARN."
  }
  assert {
    condition     = length(aws_iam_role.targets) == 1 && aws_iam_role.targets[0].name == "ebtest-student-events-targets"
    error_message = "The Step Functions target gets the targets role."
  }
  assert {
    condition     = [for k, t in aws_cloudwatch_event_target.this : k if t.role_arn != null] == ["sm/r2"] && aws_cloudwatch_event_target.this["sm/r2"].role_arn == "arn:aws:iam::123456789012:role/ebtest-student-events-targets"
    error_message = "Only Step Functions / event bus targets use the targets role."
  }
}

run "caller_managed_sqs_policy" {
  command = plan

  variables {
    sqs_target_policy = { enabled = false }
    rules             = { r = { description = "r", event_pattern = "{\"source\":[\"a\"]}" } }
    targets           = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }

  assert {
    condition     = length(aws_sqs_queue_policy.target) == 0 && length(module.dlq.queues) == 1
    error_message = "sqs_target_policy.enabled = false leaves the target queue policy to the caller."
  }
}

run "schemas_are_converted_to_draft4" {
  command = plan

  variables {
    schema_registry = {
      enabled = true
      schemas = {
        "student.enrolled" = jsonencode({
          "$schema"   = "http://json-schema.org/draft-07/schema#"
          "$id"       = "https://example.edu/student.enrolled"
          description = "A student enrolled"
          properties  = { source = { const = "api.student" } }
        })
      }
    }
  }

  assert {
    condition     = aws_schemas_registry.this[0].name == "ebtest-student-events" && aws_schemas_schema.this["student.enrolled"].registry_name == "ebtest-student-events"
    error_message = "The registry is <prefix>-<name> and holds the schemas."
  }
  assert {
    condition = jsondecode(aws_schemas_schema.this["student.enrolled"].content) == {
      "$schema"   = "http://json-schema.org/draft-04/schema#"
      id          = "https://example.edu/student.enrolled"
      description = "A student enrolled"
      properties  = { source = { enum = ["api.student"] } }
    }
    error_message = "Draft-07 $schema, $id and scalar const become their draft-04 forms."
  }
  assert {
    condition     = aws_schemas_schema.this["student.enrolled"].description == "A student enrolled" && aws_schemas_schema.this["student.enrolled"].type == "JSONSchemaDraft4"
    error_message = "The schema description comes from the document."
  }
}

run "openapi_schemas_pass_unchanged" {
  command = plan

  variables {
    schema_registry = {
      enabled     = true
      schema_type = "OpenApi3"
      schemas     = { x = "{\"openapi\":\"3.0.0\",\"properties\":{\"a\":{\"const\":{\"k\":1}}}}" }
    }
  }

  assert {
    condition     = jsondecode(aws_schemas_schema.this["x"].content) == { openapi = "3.0.0", properties = { a = { const = { k = 1 } } } }
    error_message = "OpenApi3 documents are registered as given (canonical JSON)."
  }
  assert {
    condition     = aws_schemas_schema.this["x"].description == "Schema of x"
    error_message = "Without a description the schema gets 'Schema of <name>'."
  }
}

run "publishers_sharing_a_source_pair_it_each" {
  command = plan

  variables {
    publishers = {
      api = {
        principal_arns = ["arn:aws:iam::123456789012:role/api"]
        events         = { "api.student" = ["student.enrolled"], "api.teacher" = ["teacher.sendAnnouncement"] }
      }
      operators = {
        principal_arns = ["arn:aws:iam::123456789012:role/ops"]
        events         = { "api.student" = ["student.enrolled", "student.registered"] }
      }
    }
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.bus[0].statement : s.sid] == ["AllowApiApiStudent", "AllowApiApiTeacher", "AllowOperatorsApiStudent", "DenyOtherPrincipals", "DenyOtherSourcesApi", "DenyOtherSourcesOperators", "DenyOtherTypesApiApiStudent", "DenyOtherTypesApiApiTeacher", "DenyOtherTypesOperatorsApiStudent"]
    error_message = "One Allow and one Deny per (publisher, source), one Deny of other sources per publisher, whatever sources publishers share."
  }
}
