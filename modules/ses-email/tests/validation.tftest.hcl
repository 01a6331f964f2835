# Every input validation and precondition of the module, with a mocked AWS provider:
#   cd modules/ses-email && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix  = "sestest"
  domain       = "mail.sestest.example"
  sender_email = "no-reply@mail.sestest.example"
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_one_character" {
  command = plan
  variables { name_prefix = "x" }
  expect_failures = [var.name_prefix]
}

run "domain_with_scheme" {
  command = plan
  variables { domain = "https://mail.example.com" }
  expect_failures = [var.domain]
}

run "sender_email_without_at" {
  command = plan
  variables { sender_email = "not-an-email" }
  expect_failures = [var.sender_email]
}

run "sender_email_with_space" {
  command = plan
  variables { sender_email = "a b@example.com" }
  expect_failures = [var.sender_email]
}

run "route53_zone_id_not_a_zone" {
  command = plan
  variables { route53_zone_id = "zone-1" }
  expect_failures = [var.route53_zone_id]
}

run "dkim_signing_key_length_unknown" {
  command = plan
  variables { dkim_signing_key_length = "RSA_4096_BIT" }
  expect_failures = [var.dkim_signing_key_length]
}

run "mail_from_subdomain_two_labels" {
  command = plan
  variables { mail_from_subdomain = "a.b" }
  expect_failures = [var.mail_from_subdomain]
}

run "configuration_set_name_with_dot" {
  command = plan
  variables { configuration_set = { name = "my.set" } }
  expect_failures = [var.configuration_set]
}

run "event_destination_unknown" {
  command = plan
  variables { configuration_set = { event_destination = "sqs" } }
  expect_failures = [var.configuration_set]
}

run "event_types_unknown" {
  command = plan
  variables { configuration_set = { event_types = ["BOUNCES"] } }
  expect_failures = [var.configuration_set]
}

run "event_types_empty" {
  command = plan
  variables { configuration_set = { event_types = [] } }
  expect_failures = [var.configuration_set]
}

run "kms_key_arn_alias" {
  command = plan
  variables { kms_key = { arn = "alias/aws/sns" } }
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

run "sns_destination_without_customer_managed_key" {
  command = plan
  variables {
    configuration_set = { event_destination = "sns" }
    kms_key           = { enabled = false }
  }
  expect_failures = [aws_sns_topic.events]
}

run "dns_records_without_zone" {
  command = plan
  variables { dns_records = { enabled = true } }
  expect_failures = [aws_sesv2_email_identity.domain]
}

run "event_destination_without_the_modules_configuration_set" {
  command = plan
  variables {
    configuration_set = { enabled = false, name = "existing-set", event_destination = "eventbridge" }
  }
  expect_failures = [aws_sesv2_email_identity.domain]
}
