# Every input validation and precondition of the module, with a mocked AWS provider:
#   cd modules/student-notifier && terraform init -backend=false && terraform test
# The Lambda package must exist (`make package` builds build/lambda/notifier.zip).

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
  students_table_name = "ntest-students"
  students_table_arn  = "arn:aws:dynamodb:us-east-1:123456789012:table/ntest-students"
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_leading_dash" {
  command = plan
  variables { name_prefix = "-dev" }
  expect_failures = [var.name_prefix]
}

run "sender_email_without_domain" {
  command = plan
  variables { sender_email = "no-reply@" }
  expect_failures = [var.sender_email]
}

run "ses_identity_arns_not_arns" {
  command = plan
  variables { ses_identity_arns = ["mail.example.com"] }
  expect_failures = [var.ses_identity_arns]
}

run "ses_identity_arns_empty" {
  command = plan
  variables { ses_identity_arns = [] }
  expect_failures = [var.ses_identity_arns]
}

run "students_table_arn_not_a_table" {
  command = plan
  variables { students_table_arn = "arn:aws:s3:::ntest-students" }
  expect_failures = [var.students_table_arn]
}

run "students_table_name_without_arn" {
  command = plan
  variables { students_table_arn = null }
  expect_failures = [aws_dynamodb_table.idempotency]
}

run "students_class_index_too_short" {
  command = plan
  variables { students_class_index = "ix" }
  expect_failures = [var.students_class_index]
}

run "idempotency_ttl_under_an_hour" {
  command = plan
  variables { idempotency_ttl_seconds = 3599 }
  expect_failures = [var.idempotency_ttl_seconds]
}

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key_arn = "alias/mine" }
  expect_failures = [var.kms_key_arn]
}

run "sending_rate_below_one" {
  command = plan
  variables {
    sending = { ses_max_send_rate = 0 }
  }
  expect_failures = [var.sending]
}
