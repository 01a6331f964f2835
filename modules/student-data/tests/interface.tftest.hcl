# Wiring the mocked plan shows: names, the key switch, the DLQ and the EventBridge grants.
#   cd modules/student-data && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix            = "sdtest"
  ingestion_package_path = "../../build/lambda/ingestion.zip"
}

run "defaults_create_key_tables_and_dlq" {
  command = plan

  assert {
    condition     = [for t in aws_dynamodb_table.this : t.name] == ["sdtest-ClassActivity", "sdtest-Interactions", "sdtest-Students"]
    error_message = "The three tables are <prefix>-ClassActivity, -Interactions and -Students."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/sdtest-student-data"
    error_message = "Without kms_key.arn the module creates its own key (modules/kms-key: rotated) and alias."
  }
  assert {
    condition     = module.ingestion_dlq.queues["ingestion"].name == "sdtest-ingestion-dlq" && output.ingestion_dlq_arn == "arn:aws:sqs:us-east-1:123456789012:sdtest-ingestion-dlq"
    error_message = "The ingestion function always has its dead-letter queue."
  }
  assert {
    condition     = length(aws_lambda_permission.events) == 0
    error_message = "No EventBridge permission without event_rule_arns."
  }
  assert {
    condition     = output.ingestion_function_name == "sdtest-ingestion"
    error_message = "The ingestion function is <prefix>-ingestion."
  }
  assert {
    condition     = keys(output.tables) == ["class_activity", "interactions", "students"]
    error_message = "Output tables has one entry per table."
  }
  assert {
    condition     = output.tables.interactions.arn == "arn:aws:dynamodb:us-east-1:123456789012:table/sdtest-Interactions"
    error_message = "Table ARNs are built from the names (known at plan)."
  }
}

run "given_key_replaces_own_key_and_rules_get_permissions" {
  command = plan

  variables {
    kms_key = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
    event_rule_arns = {
      enrolled = "arn:aws:events:us-east-1:123456789012:rule/sdtest-bus/sdtest-student-enrolled"
    }
  }

  assert {
    condition     = length(module.kms_key) == 0 && output.kms_key_arn == var.kms_key.arn
    error_message = "A given key replaces the module's own key."
  }
  assert {
    condition     = alltrue([for t in aws_dynamodb_table.this : t.server_side_encryption[0].kms_key_arn == var.kms_key.arn])
    error_message = "Every table is encrypted with the given key."
  }
  assert {
    condition     = module.ingestion_dlq.queues["ingestion"].kms_key_arn == var.kms_key.arn
    error_message = "The DLQ is encrypted with the given key."
  }
  assert {
    condition     = aws_lambda_permission.events["enrolled"].source_arn == var.event_rule_arns.enrolled
    error_message = "One lambda:InvokeFunction permission per given rule."
  }
}
