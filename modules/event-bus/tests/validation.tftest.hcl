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

# --- names -------------------------------------------------------------------------------

run "name_prefix_uppercase_and_underscore" {
  command = plan
  variables { name_prefix = "Bad_Prefix" }
  expect_failures = [var.name_prefix]
}

run "name_prefix_trailing_dash" {
  command = plan
  variables { name_prefix = "dev-" }
  expect_failures = [var.name_prefix]
}

run "name_too_long" {
  command = plan
  variables { name = "a-stack-name-of-21-ch" }
  expect_failures = [var.name]
}

run "bus_name_with_spaces" {
  command = plan
  variables { bus_name = "my bus" }
  expect_failures = [var.bus_name]
}

run "bus_name_default" {
  command = plan
  variables { bus_name = "default" }
  expect_failures = [var.bus_name]
}

# --- encryption, archive, DLQs -----------------------------------------------------------

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key = { arn = "alias/events" } }
  expect_failures = [var.kms_key]
}

run "kms_key_arn_while_disabled" {
  command = plan
  variables { kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" } }
  expect_failures = [var.kms_key]
}

run "kms_deletion_window_too_short" {
  command = plan
  variables { kms_key = { deletion_window_in_days = 6 } }
  expect_failures = [var.kms_key]
}

run "archive_retention_days_fractional" {
  command = plan
  variables { archive = { retention_days = 1.5 } }
  expect_failures = [var.archive]
}

run "archive_event_pattern_not_json" {
  command = plan
  variables { archive = { event_pattern = "source = api.student" } }
  expect_failures = [var.archive]
}

run "dlq_message_retention_too_long" {
  command = plan
  variables { dlq_message_retention_seconds = 1209601 }
  expect_failures = [var.dlq_message_retention_seconds]
}

# --- schemas -----------------------------------------------------------------------------

run "schemas_not_json" {
  command = plan
  variables { schema_registry = { schemas = { "student.enrolled" = "not json" } } }
  expect_failures = [var.schema_registry]
}

run "schema_type_unknown" {
  command = plan
  variables { schema_registry = { schema_type = "Avro" } }
  expect_failures = [var.schema_registry]
}

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

run "rule_key_with_space" {
  command = plan
  variables {
    rules = { "Bad Key" = { description = "x", event_pattern = "{\"source\":[\"api.student\"]}" } }
  }
  expect_failures = [var.rules]
}

run "rule_with_neither_pattern_nor_schedule" {
  command = plan
  variables { rules = { r = { description = "neither" } } }
  expect_failures = [var.rules]
}

run "rule_with_pattern_and_schedule" {
  command = plan
  variables {
    rules = {
      r = {
        description         = "both"
        event_pattern       = "{\"source\":[\"api.student\"]}"
        schedule_expression = "rate(1 hour)"
      }
    }
  }
  expect_failures = [var.rules]
}

run "rule_event_pattern_not_json" {
  command = plan
  variables { rules = { r = { description = "x", event_pattern = "not json" } } }
  expect_failures = [var.rules]
}

run "rule_schedule_not_rate_or_cron" {
  command = plan
  variables {
    rules = { r = { description = "x", schedule_expression = "every day", on_default_bus = true } }
  }
  expect_failures = [var.rules]
}

run "rule_state_unknown" {
  command = plan
  variables {
    rules = { r = { description = "x", event_pattern = "{\"source\":[\"a\"]}", state = "ON" } }
  }
  expect_failures = [var.rules]
}

run "rule_description_too_long" {
  command = plan
  variables {
    rules = { r = { description = join("", [for i in range(513) : "x"]), event_pattern = "{\"source\":[\"a\"]}" } }
  }
  expect_failures = [var.rules]
}

run "schedule_rule_off_the_default_bus" {
  command = plan
  variables { rules = { nightly = { description = "s", schedule_expression = "rate(1 day)" } } }
  expect_failures = [aws_cloudwatch_event_bus.this]
}

# --- targets -----------------------------------------------------------------------------

run "target_key_uppercase" {
  command = plan
  variables {
    targets = { Q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }
  expect_failures = [var.targets]
}

run "target_type_unknown" {
  command = plan
  variables {
    targets = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "kinesis" } }
  }
  expect_failures = [var.targets]
}

run "target_arn_of_another_type" {
  command = plan
  variables {
    targets = { q = { rule_keys = ["r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "lambda" } }
  }
  expect_failures = [var.targets]
}

run "target_without_rule_keys" {
  command = plan
  variables {
    targets = { q = { rule_keys = [], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }
  expect_failures = [var.targets]
}

run "target_with_duplicate_rule_keys" {
  command = plan
  variables {
    targets = { q = { rule_keys = ["r", "r"], arn = "arn:aws:sqs:us-east-1:123456789012:q", type = "sqs" } }
  }
  expect_failures = [var.targets]
}

run "target_retry_attempts_too_many" {
  command = plan
  variables {
    targets = {
      q = {
        rule_keys = ["r"]
        arn       = "arn:aws:sqs:us-east-1:123456789012:q"
        type      = "sqs"
        retry     = { maximum_retry_attempts = 500 }
      }
    }
  }
  expect_failures = [var.targets]
}

run "target_event_age_too_short" {
  command = plan
  variables {
    targets = {
      q = {
        rule_keys = ["r"]
        arn       = "arn:aws:sqs:us-east-1:123456789012:q"
        type      = "sqs"
        retry     = { maximum_event_age_in_seconds = 59 }
      }
    }
  }
  expect_failures = [var.targets]
}

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

# --- publishers (bus policy) -------------------------------------------------------------

run "publisher_principal_not_a_role" {
  command = plan
  variables {
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:user/alice"], events = { "api.student" = ["student.enrolled"] } } }
  }
  expect_failures = [var.publishers]
}

run "publisher_source_without_detail_types" {
  command = plan
  variables {
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.student" = [] } } }
  }
  expect_failures = [var.publishers]
}

run "publisher_without_events" {
  command = plan
  variables {
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = {} } }
  }
  expect_failures = [var.publishers]
}

run "publisher_source_with_spaces" {
  command = plan
  variables {
    publishers = { api = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api student" = ["student.enrolled"] } } }
  }
  expect_failures = [var.publishers]
}

run "publisher_role_in_two_publishers" {
  command = plan
  variables {
    publishers = {
      api      = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.student" = ["student.enrolled"] } }
      pipeline = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.ranking" = ["ranking.updated"] } }
    }
  }
  expect_failures = [var.publishers]
}

run "publisher_key_with_spaces" {
  command = plan
  variables {
    publishers = { "the api" = { principal_arns = ["arn:aws:iam::123456789012:role/api"], events = { "api.student" = ["student.enrolled"] } } }
  }
  expect_failures = [var.publishers]
}
