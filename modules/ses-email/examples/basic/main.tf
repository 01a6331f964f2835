# A sending domain with Easy DKIM, a sender address, a configuration set and an encrypted
# SNS topic for bounces and complaints. The zone is created here only to show the records.
resource "aws_route53_zone" "this" {
  #checkov:skip=CKV2_AWS_38:Example zone; DNSSEC signing needs a KMS key in us-east-1 and a registrar DS record.
  #checkov:skip=CKV2_AWS_39:Example zone; query logging is an operational choice of the real zone owner.
  count = var.route53_zone.enabled ? 1 : 0

  name          = var.domain
  force_destroy = true
}

module "email" {
  source = "../.."

  name_prefix         = var.name_prefix
  domain              = var.domain
  sender_email        = var.sender_email
  route53_zone_id     = one(aws_route53_zone.this[*].zone_id)
  dns_records         = { enabled = var.route53_zone.enabled }
  mail_from_subdomain = var.mail_from_subdomain

  configuration_set       = var.configuration_set
  dkim_signing_key_length = var.dkim_signing_key_length

  tags = var.tags
}
