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

run "students_table_name_without_arn" {
  command = plan
  variables { students_table_arn = null }
  expect_failures = [aws_dynamodb_table.idempotency]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_leading_dash
    name_prefix = "-dev"
    # sender_email_without_domain
    sender_email = "no-reply@"
    # ses_identity_arns_not_arns
    ses_identity_arns = ["mail.example.com"]
    # students_table_arn_not_a_table
    students_table_arn = "arn:aws:s3:::ntest-students"
    # students_class_index_too_short
    students_class_index = "ix"
    # idempotency_ttl_under_an_hour
    idempotency_ttl_seconds = 3599
    # kms_key_arn_alias
    kms_key_arn = "alias/mine"
    # sending_rate_below_one
    sending = { ses_max_send_rate = 0 }
  }
  expect_failures = [
    var.name_prefix,
    var.sender_email,
    var.ses_identity_arns,
    var.students_table_arn,
    var.students_class_index,
    var.idempotency_ttl_seconds,
    var.kms_key_arn,
    var.sending,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # ses_identity_arns_empty
    ses_identity_arns = []
  }
  expect_failures = [
    var.ses_identity_arns,
  ]
}
