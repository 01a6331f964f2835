data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  configuration_set_name = var.configuration_set.enabled ? coalesce(var.configuration_set.name, "${var.name_prefix}-student-email") : var.configuration_set.name
  # Known at plan time, so policies never wait for the configuration set.
  configuration_set_arn = local.configuration_set_name == null ? null : "arn:${local.partition}:ses:${local.region}:${local.account_id}:configuration-set/${local.configuration_set_name}"
  default_bus_arn       = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/default"
  topic_name            = "${var.name_prefix}-ses-events"
  topic_arn             = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"

  sns            = var.configuration_set.event_destination == "sns"
  create_kms_key = local.sns && var.kms_key.enabled && var.kms_key.arn == null
  # SES cannot use the AWS managed alias/aws/sns key: the topic needs a customer managed key.
  topic_kms_key = var.kms_key.arn != null ? var.kms_key.arn : one(module.kms_key[*].key_arn)

  # Known at plan time even when the zone id is not (count/for_each need that).
  # ARNs built from the identities' names: known at plan time (the sender policy is then
  # reviewable in a plan) and still dependent on the identities.
  identity_arn_prefix = "arn:${local.partition}:ses:${local.region}:${local.account_id}:identity/"
  domain_identity_arn = try("${local.identity_arn_prefix}${aws_sesv2_email_identity.domain.email_identity}", null)
  sender_identity_arn = try("${local.identity_arn_prefix}${aws_sesv2_email_identity.sender.email_identity}", null)
  # The configuration set the identities use (created here, existing, or none).
  used_configuration_set     = var.configuration_set.enabled ? one(aws_sesv2_configuration_set.this[*].configuration_set_name) : local.configuration_set_name
  used_configuration_set_arn = local.used_configuration_set == null ? null : "arn:${local.partition}:ses:${local.region}:${local.account_id}:configuration-set/${local.used_configuration_set}"

  dns_records      = var.dns_records.enabled != null ? var.dns_records.enabled : var.route53_zone_id != null
  mail_from_domain = var.mail_from_subdomain == null ? null : "${var.mail_from_subdomain}.${var.domain}"

  # Easy DKIM always issues three tokens; each becomes a CNAME <token>._domainkey.<domain>.
  dkim_tokens = try(aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens, [])
  dkim_records = [
    for token in local.dkim_tokens : {
      name  = "${token}._domainkey.${var.domain}"
      type  = "CNAME"
      value = "${token}.dkim.amazonses.com"
    }
  ]
  mail_from_records = local.mail_from_domain == null ? [] : [
    { name = local.mail_from_domain, type = "MX", value = "10 feedback-smtp.${local.region}.amazonses.com" },
    { name = local.mail_from_domain, type = "TXT", value = "v=spf1 include:amazonses.com ~all" },
  ]
}

# --- configuration set: reputation metrics, suppression, TLS required --------------------

resource "aws_sesv2_configuration_set" "this" {
  count = var.configuration_set.enabled ? 1 : 0

  configuration_set_name = local.configuration_set_name

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }

  tags = var.tags

}

# --- identities ----------------------------------------------------------------------

resource "aws_sesv2_email_identity" "domain" {
  email_identity         = var.domain
  configuration_set_name = var.configuration_set.enabled ? one(aws_sesv2_configuration_set.this[*].configuration_set_name) : local.configuration_set_name

  # Easy DKIM: SES generates the key pair; only the key length is chosen here (null keeps
  # the SES default for new identities).
  dynamic "dkim_signing_attributes" {
    for_each = var.dkim_signing_key_length == null ? [] : [var.dkim_signing_key_length]
    content {
      next_signing_key_length = dkim_signing_attributes.value
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !local.dns_records || var.route53_zone_id != null
      error_message = "dns_records.enabled = true needs route53_zone_id (the hosted zone of the domain)."
    }
    precondition {
      condition     = var.configuration_set.enabled || var.configuration_set.event_destination == "none"
      error_message = "configuration_set.event_destination = \"${var.configuration_set.event_destination}\" needs the module's configuration set: keep configuration_set.enabled = true or set configuration_set.event_destination = \"none\"."
    }
  }
}

resource "aws_sesv2_email_identity" "sender" {
  email_identity         = var.sender_email
  configuration_set_name = var.configuration_set.enabled ? one(aws_sesv2_configuration_set.this[*].configuration_set_name) : local.configuration_set_name
  tags                   = var.tags
}

resource "aws_route53_record" "dkim" {
  count = local.dns_records ? 3 : 0

  zone_id = var.route53_zone_id
  name    = "${local.dkim_tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = var.dns_records.ttl
  records = ["${local.dkim_tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_sesv2_email_identity_mail_from_attributes" "this" {
  count = local.mail_from_domain == null ? 0 : 1

  email_identity         = aws_sesv2_email_identity.domain.email_identity
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "USE_DEFAULT_VALUE"
}

resource "aws_route53_record" "mail_from" {
  for_each = local.dns_records ? { for r in local.mail_from_records : r.type => r } : {}

  zone_id = var.route53_zone_id
  name    = each.value.name
  type    = each.value.type
  ttl     = var.dns_records.ttl
  records = [each.value.value]
}

# --- bounce / complaint events ---------------------------------------------------------

module "kms_key" {
  source = "../kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias                   = "${var.name_prefix}-ses-events"
  description             = "Encrypts the SES event topic of ${local.configuration_set_name}"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  service_principals = {
    SesPublishesEncrypted = {
      service      = "ses.amazonaws.com"
      actions      = ["kms:GenerateDataKey", "kms:Decrypt"]
      same_account = true
    }
  }
  tags = var.tags
}

moved {
  from = aws_kms_key.this[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.this[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

resource "aws_sns_topic" "events" {
  count = local.sns ? 1 : 0

  name              = local.topic_name
  kms_master_key_id = local.topic_kms_key
  tags              = var.tags

  lifecycle {
    precondition {
      condition     = local.topic_kms_key != null
      error_message = "configuration_set.event_destination = \"sns\" needs a customer managed KMS key for the topic (SES cannot use alias/aws/sns): keep kms_key.enabled = true (with kms_key.arn, or null to create one)."
    }
  }
}

data "aws_iam_policy_document" "topic" {
  count = local.sns ? 1 : 0

  statement {
    sid       = "SesPublishesFromConfigurationSet"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "AWS:SourceArn"
      values   = [local.configuration_set_arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  count = local.sns ? 1 : 0

  arn    = aws_sns_topic.events[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}

resource "aws_sesv2_configuration_set_event_destination" "this" {
  # Only on the module's own configuration set; the identity's precondition explains the rest.
  count = var.configuration_set.enabled && var.configuration_set.event_destination != "none" ? 1 : 0

  configuration_set_name = one(aws_sesv2_configuration_set.this[*].configuration_set_name)
  event_destination_name = "${var.configuration_set.event_destination}-feedback"

  event_destination {
    enabled              = true
    matching_event_types = var.configuration_set.event_types

    dynamic "sns_destination" {
      for_each = local.sns ? [aws_sns_topic.events[0].arn] : []
      content {
        topic_arn = sns_destination.value
      }
    }

    dynamic "event_bridge_destination" {
      for_each = var.configuration_set.event_destination == "eventbridge" ? [local.default_bus_arn] : []
      content {
        event_bus_arn = event_bridge_destination.value
      }
    }
  }

  depends_on = [aws_sns_topic_policy.events]
}
