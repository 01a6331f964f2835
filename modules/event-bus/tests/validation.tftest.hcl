# Every input validation and precondition of the module, with a mocked AWS provider:
#   cd modules/event-bus && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix = "ebtest"
  rules = {
    r = {
      description   = "ok"
      event_pattern = "{\"source\":[\"api.student\"]}"
    }
  }
}

run "valid_inputs_plan" {
  command = plan
}

# --- schemas -----------------------------------------------------------------------------

run "schema_with_object_const_has_no_draft4_form" {
  command = plan
  variables {
    schema_registry = {
      enabled = true
      schemas = { x = "{\"properties\":{\"a\":{\"const\":{\"k\":1}}}}" }
    }
  }
  expect_failures = [aws_schemas_registry.this]
}

# --- rules -------------------------------------------------------------------------------

run "schedule_rule_off_the_default_bus" {
  command = plan
  variables { rules = { nightly = { description = "s", schedule_expression = "rate(1 day)" } } }
  expect_failures = [aws_cloudwatch_event_bus.this]
}

# --- targets -----------------------------------------------------------------------------

run "target_referencing_an_unknown_rule" {
  command = plan
  variables {
    targets = { q = { rule_keys = ["r", "nope"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }
  expect_failures = [aws_cloudwatch_event_bus.this]
}

run "message_group_id_on_a_lambda_target" {
  command = plan
  variables {
    targets = {
      fn = {
        rule_keys            = ["r"]
        arn                  = "arn:aws:lambda:us-east-1:123456789012:function:fn"
        type                 = "lambda"
        sqs_message_group_id = "g"
      }
    }
  }
  expect_failures = [aws_cloudwatch_event_bus.this]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_uppercase_and_underscore
    name_prefix = "Bad_Prefix"
    # name_too_long
    name = "a-stack-name-of-21-ch"
    # bus_name_with_spaces
    bus_name = "my bus"
    # kms_key_arn_alias
    kms_key = { arn = "alias/events" }
    # archive_retention_days_fractional
    archive = { retention_days = 1.5 }
    # dlq_message_retention_too_long
    dlq_message_retention_seconds = 1209601
    # schemas_not_json
    schema_registry = { schemas = { "student.enrolled" = "not json" } }
    # rule_key_with_space
    rules = { "Bad Key" = { description = "x", event_pattern = "{\"source\":[\"api.student\"]}" } }
    # target_key_uppercase
    targets = { Q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
    # publisher_principal_not_a_role
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:user/alice"], events = { "api.student" = ["student.enrolled"] } } }
  }
  expect_failures = [
    var.name_prefix,
    var.name,
    var.bus_name,
    var.kms_key,
    var.archive,
    var.dlq_message_retention_seconds,
    var.schema_registry,
    var.rules,
    var.targets,
    var.publishers,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # name_prefix_trailing_dash
    name_prefix = "dev-"
    # bus_name_default
    bus_name = "default"
    # kms_key_arn_while_disabled
    kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
    # archive_event_pattern_not_json
    archive = { event_pattern = "source = api.student" }
    # schema_type_unknown
    schema_registry = { schema_type = "Avro" }
    # rule_with_neither_pattern_nor_schedule
    rules = { r = { description = "neither" } }
    # target_type_unknown
    targets = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "kinesis" } }
    # publisher_source_without_detail_types
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.student" = [] } } }
  }
  expect_failures = [
    var.name_prefix,
    var.bus_name,
    var.kms_key,
    var.archive,
    var.schema_registry,
    var.rules,
    var.targets,
    var.publishers,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # kms_deletion_window_too_short
    kms_key = { deletion_window_in_days = 6 }
    # rule_with_pattern_and_schedule
    rules = {
      r = {
        description         = "both"
        event_pattern       = "{\"source\":[\"api.student\"]}"
        schedule_expression = "rate(1 hour)"
      }
    }
    # target_arn_of_another_type
    targets = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "lambda" } }
    # publisher_without_events
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = {} } }
  }
  expect_failures = [
    var.kms_key,
    var.rules,
    var.targets,
    var.publishers,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # rule_event_pattern_not_json
    rules = { r = { description = "x", event_pattern = "not json" } }
    # target_without_rule_keys
    targets = { q = { rule_keys = [], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
    # publisher_source_with_spaces
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api student" = ["student.enrolled"] } } }
  }
  expect_failures = [
    var.rules,
    var.targets,
    var.publishers,
  ]
}

run "rejected_inputs_5" {
  command = plan
  variables {
    # rule_schedule_not_rate_or_cron
    rules = { r = { description = "x", schedule_expression = "every day", on_default_bus = true } }
    # target_with_duplicate_rule_keys
    targets = { q = { rule_keys = ["r", "r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
    # publisher_role_in_two_publishers
    publishers = {
      api      = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.student" = ["student.enrolled"] } }
      pipeline = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.ranking" = ["ranking.updated"] } }
    }
  }
  expect_failures = [
    var.rules,
    var.targets,
    var.publishers,
  ]
}

run "rejected_inputs_6" {
  command = plan
  variables {
    # rule_state_unknown
    rules = { r = { description = "x", event_pattern = "{\"source\":[\"a\"]}", state = "ON" } }
    # target_retry_attempts_too_many
    targets = {
      q = {
        rule_keys = ["r"]
        arn       = "arn:aws:sqs:us-east-1:123456789012:q"
        type      = "sqs"
        retry     = { maximum_retry_attempts = 500 }
      }
    }
    # publisher_key_with_spaces
    publishers = { "the api" = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.student" = ["student.enrolled"] } } }
  }
  expect_failures = [
    var.rules,
    var.targets,
    var.publishers,
  ]
}

run "rejected_inputs_7" {
  command = plan
  variables {
    # rule_description_too_long
    rules = { r = { description = join("", [for i in range(513) : "x"]), event_pattern = "{\"source\":[\"a\"]}" } }
    # target_event_age_too_short
    targets = {
      q = {
        rule_keys = ["r"]
        arn       = "arn:aws:sqs:us-east-1:123456789012:q"
        type      = "sqs"
        retry     = { maximum_event_age_in_seconds = 59 }
      }
    }
  }
  expect_failures = [
    var.rules,
    var.targets,
  ]
}
