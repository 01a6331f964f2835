# Wiring the mocked plan shows: names, the event destination and key switches, DNS records
# and the sender statement built from the identities' names.
#   cd modules/ses-email && terraform init -backend=false && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix  = "sestest"
  domain       = "mail.sestest.example"
  sender_email = "no-reply@mail.sestest.example"
}

run "defaults_sns_destination_with_own_key" {
  command = plan

  # The module's key gets a known ARN at plan, so the topic's wiring to it can be compared.
  override_resource {
    target          = module.kms_key[0].aws_kms_key.this
    override_during = plan
    values          = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-00000000ses0" }
  }

  assert {
    condition     = aws_sesv2_configuration_set.this[0].configuration_set_name == "sestest-student-email" && output.configuration_set_name == "sestest-student-email"
    error_message = "The configuration set is <prefix>-student-email by default."
  }
  assert {
    condition     = aws_sesv2_email_identity.domain.configuration_set_name == "sestest-student-email" && aws_sesv2_email_identity.sender.configuration_set_name == "sestest-student-email"
    error_message = "Both identities use the configuration set."
  }
  assert {
    condition     = aws_sns_topic.events[0].name == "sestest-ses-events" && length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/sestest-ses-events"
    error_message = "The SNS destination gets its topic and a customer managed key."
  }
  assert {
    condition     = aws_sns_topic.events[0].kms_master_key_id == "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-00000000ses0"
    error_message = "The topic is encrypted with the module's own key (SES cannot use alias/aws/sns)."
  }
  assert {
    condition     = aws_sesv2_configuration_set_event_destination.this[0].event_destination_name == "sns-feedback" && aws_sesv2_configuration_set_event_destination.this[0].event_destination[0].matching_event_types == toset(["BOUNCE", "COMPLAINT"])
    error_message = "Bounces and complaints go to the sns-feedback destination."
  }
  assert {
    condition     = length(aws_route53_record.dkim) == 0 && length(aws_route53_record.mail_from) == 0 && !output.dns_records_managed
    error_message = "Without a zone no DNS record is created."
  }
  assert {
    condition     = length(aws_sesv2_email_identity_mail_from_attributes.this) == 0 && length(output.mail_from_records) == 0
    error_message = "No MAIL FROM domain unless mail_from_subdomain is set."
  }
  assert {
    condition = output.sender_policy_statement.resources == [
      "arn:aws:ses:us-east-1:123456789012:identity/mail.sestest.example",
      "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.sestest.example",
      "arn:aws:ses:us-east-1:123456789012:configuration-set/sestest-student-email",
    ]
    error_message = "The sender statement names both identities and the configuration set (known at plan)."
  }
  assert {
    condition     = output.sender_policy_statement.conditions[0].values == ["no-reply@mail.sestest.example"]
    error_message = "The sender statement pins the From address."
  }
}

run "zone_creates_dkim_and_mail_from_records" {
  command = plan

  variables {
    route53_zone_id     = "Z0123456789ABCDEFGHIJ"
    mail_from_subdomain = "bounce"
    dns_records         = { ttl = 600 }
  }

  assert {
    condition     = length(aws_route53_record.dkim) == 3 && alltrue([for r in aws_route53_record.dkim : r.type == "CNAME" && r.ttl == 600 && r.zone_id == "Z0123456789ABCDEFGHIJ"])
    error_message = "A zone gets the three DKIM CNAME records with the given TTL (their count does not wait for the tokens, unknown at plan)."
  }
  assert {
    condition     = aws_sesv2_email_identity_mail_from_attributes.this[0].mail_from_domain == "bounce.mail.sestest.example"
    error_message = "mail_from_subdomain sets the MAIL FROM domain <subdomain>.<domain>."
  }
  assert {
    condition     = aws_route53_record.mail_from["MX"].records == toset(["10 feedback-smtp.us-east-1.amazonses.com"]) && aws_route53_record.mail_from["TXT"].records == toset(["v=spf1 include:amazonses.com ~all"])
    error_message = "The MAIL FROM domain gets its MX and SPF records."
  }
  assert {
    condition     = output.dns_records_managed
    error_message = "dns_records_managed reports the records."
  }
}

run "eventbridge_destination_needs_no_topic" {
  command = plan

  variables {
    configuration_set = {
      event_destination = "eventbridge"
      event_types       = ["BOUNCE", "COMPLAINT", "DELIVERY"]
    }
  }

  assert {
    condition     = length(aws_sns_topic.events) == 0 && length(module.kms_key) == 0 && output.events_topic_arn == null
    error_message = "The EventBridge destination creates no topic and no key."
  }
  assert {
    condition     = aws_sesv2_configuration_set_event_destination.this[0].event_destination[0].event_bridge_destination[0].event_bus_arn == "arn:aws:events:us-east-1:123456789012:event-bus/default"
    error_message = "SES sends events to the account's default bus."
  }
  assert {
    condition     = length(aws_sesv2_configuration_set_event_destination.this[0].event_destination[0].matching_event_types) == 3
    error_message = "configuration_set.event_types reach the destination."
  }
}

run "existing_configuration_set_without_destination" {
  command = plan

  variables {
    configuration_set = { enabled = false, name = "shared-set", event_destination = "none" }
    kms_key           = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }

  assert {
    condition     = length(aws_sesv2_configuration_set.this) == 0 && length(aws_sesv2_configuration_set_event_destination.this) == 0
    error_message = "An existing configuration set is used, not created; no destination."
  }
  assert {
    condition     = aws_sesv2_email_identity.domain.configuration_set_name == "shared-set" && output.configuration_set_arn == "arn:aws:ses:us-east-1:123456789012:configuration-set/shared-set"
    error_message = "The identities use the existing configuration set."
  }
  assert {
    condition     = length(aws_sns_topic.events) == 0 && length(module.kms_key) == 0
    error_message = "configuration_set.event_destination = none creates no topic and no key."
  }
}
