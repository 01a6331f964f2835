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

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_one_character
    name_prefix = "x"
    # domain_with_scheme
    domain = "https://mail.example.com"
    # sender_email_without_at
    sender_email = "not-an-email"
    # route53_zone_id_not_a_zone
    route53_zone_id = "zone-1"
    # dkim_signing_key_length_unknown
    dkim_signing_key_length = "RSA_4096_BIT"
    # mail_from_subdomain_two_labels
    mail_from_subdomain = "a.b"
    # configuration_set_name_with_dot
    configuration_set = { name = "my.set" }
    # kms_key_arn_alias
    kms_key = { arn = "alias/aws/sns" }
  }
  expect_failures = [
    var.name_prefix,
    var.domain,
    var.sender_email,
    var.route53_zone_id,
    var.dkim_signing_key_length,
    var.mail_from_subdomain,
    var.configuration_set,
    var.kms_key,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # sender_email_with_space
    sender_email = "a b@example.com"
    # event_destination_unknown
    configuration_set = { event_destination = "sqs" }
    # kms_key_arn_while_disabled
    kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
  expect_failures = [
    var.sender_email,
    var.configuration_set,
    var.kms_key,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # event_types_unknown
    configuration_set = { event_types = ["BOUNCES"] }
    # kms_deletion_window_too_short
    kms_key = { deletion_window_in_days = 6 }
  }
  expect_failures = [
    var.configuration_set,
    var.kms_key,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # event_types_empty
    configuration_set = { event_types = [] }
  }
  expect_failures = [
    var.configuration_set,
  ]
}
