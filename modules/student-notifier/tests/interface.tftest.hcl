# Wiring the mocked plan shows: names, the environment the function gets, the Students table
# and DLQ switches and the key.
#   cd modules/student-notifier && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix  = "ntest"
  package_path = "../../build/lambda/notifier.zip"
  sender_email = "no-reply@mail.ntest.example"
  ses_identity_arns = [
    "arn:aws:ses:us-east-1:123456789012:identity/mail.ntest.example",
    "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.ntest.example",
  ]
}

run "students_table_and_configuration_set" {
  command = plan

  variables {
    students_table_name        = "ntest-students"
    students_table_arn         = "arn:aws:dynamodb:us-east-1:123456789012:table/ntest-students"
    configuration_set_name     = "ntest-student-email"
    students_table_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = output.permissions == tolist(["decrypt-students", "idempotency-records", "read-students", "send-email"])
    error_message = "With the Students table's key the function may decrypt it (through DynamoDB), as the other readers of the table."
  }

  assert {
    condition = output.environment == {
      POWERTOOLS_SERVICE_NAME = "notifier"
      SENDER_EMAIL            = "no-reply@mail.ntest.example"
      IDEMPOTENCY_TABLE_NAME  = "ntest-notifier-idempotency"
      IDEMPOTENCY_TTL_SECONDS = "90000"
      SES_SEND_INTERVAL_MS    = "1000"
      SES_CONFIGURATION_SET   = "ntest-student-email"
      STUDENTS_TABLE_NAME     = "ntest-students"
      STUDENTS_CLASS_INDEX    = "classId-index"
    }
    error_message = "The function gets the sender, idempotency table, configuration set and Students table."
  }
  assert {
    condition     = output.function_name == "ntest-student-notifier" && aws_dynamodb_table.idempotency.name == "ntest-notifier-idempotency"
    error_message = "The function is <prefix>-student-notifier, its table <prefix>-notifier-idempotency."
  }
  assert {
    condition     = aws_dynamodb_table.idempotency.ttl[0].attribute_name == "expiration" && aws_dynamodb_table.idempotency.point_in_time_recovery[0].enabled
    error_message = "Idempotency records expire by TTL; the table has point-in-time recovery."
  }
  assert {
    condition     = module.dlq.queues["notifier"].name == "ntest-student-notifier-dlq" && module.dlq.queues["notifier"].kms_key_arn == null && output.dlq_arn == "arn:aws:sqs:us-east-1:123456789012:ntest-student-notifier-dlq"
    error_message = "The DLQ is on by default, with SQS-managed encryption without a key."
  }
}

run "detail_email_only_with_a_key_and_no_dlq" {
  command = plan

  variables {
    kms_key_arn             = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    dead_letter_queue       = { enabled = false }
    idempotency_ttl_seconds = 7200
  }

  assert {
    condition     = !contains(keys(output.environment), "STUDENTS_TABLE_NAME") && !contains(keys(output.environment), "STUDENTS_CLASS_INDEX")
    error_message = "Without a Students table the function gets no table name (it emails detail.email)."
  }
  assert {
    condition     = !contains(keys(output.environment), "SES_CONFIGURATION_SET")
    error_message = "Without a configuration set SES_CONFIGURATION_SET is not set."
  }
  assert {
    condition     = output.environment.IDEMPOTENCY_TTL_SECONDS == "7200"
    error_message = "idempotency_ttl_seconds reaches the function."
  }
  assert {
    condition     = length(module.dlq.queues) == 0 && output.dlq_arn == null
    error_message = "dead_letter_queue.enabled = false removes the DLQ."
  }
  assert {
    condition     = aws_dynamodb_table.idempotency.server_side_encryption[0].kms_key_arn == var.kms_key_arn
    error_message = "The idempotency table is encrypted with the given key."
  }
}

run "given_key_encrypts_the_dlq" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = module.dlq.queues["notifier"].kms_key_arn == var.kms_key_arn
    error_message = "The DLQ is encrypted with the given key."
  }
}

run "sending_rate_defaults_to_the_sandbox_without_reservation" {
  command = plan

  assert {
    condition     = output.concurrency == { max_concurrency = 1, reserved = -1, send_interval_ms = 1000 }
    error_message = "By default (SES sandbox, 1 email/s): one email per second per invocation, no reserved concurrency (new accounts cannot reserve any)."
  }
}

run "sending_rate_derives_the_cap_and_the_pace" {
  command = plan

  variables {
    sending = { ses_max_send_rate = 14, reserve_concurrency = true }
  }

  assert {
    condition     = output.concurrency == { max_concurrency = 2, reserved = 2, send_interval_ms = 143 } && output.environment.SES_SEND_INTERVAL_MS == "143"
    error_message = "14 emails/s: two invocations at most (reserved), each sending one email per 143 ms (2 x 7 = 14/s)."
  }
}

run "sending_rate_of_a_large_account" {
  command = plan

  variables {
    sending = { ses_max_send_rate = 200, reserve_concurrency = true }
  }

  assert {
    condition     = output.concurrency == { max_concurrency = 20, reserved = 20, send_interval_ms = 100 }
    error_message = "200 emails/s: 20 invocations at 10 emails/s each."
  }
}
