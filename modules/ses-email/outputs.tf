output "domain_identity_arn" {
  description = "ARN of the domain identity."
  value       = local.domain_identity_arn
}

output "sender_identity_arn" {
  description = "ARN of the sender address identity."
  value       = local.sender_identity_arn
}

output "identity_arns" {
  description = "Both identity ARNs (domain, sender): the resources of ses:SendEmail."
  value       = [local.domain_identity_arn, local.sender_identity_arn]
}

output "sender_email" {
  description = "The verified From address (SENDER_EMAIL of the notifier)."
  value       = aws_sesv2_email_identity.sender.email_identity
}

output "domain" {
  description = "The verified sending domain."
  value       = aws_sesv2_email_identity.domain.email_identity
}

output "configuration_set_name" {
  description = "Configuration set to pass on every SendEmail (SES_CONFIGURATION_SET of the notifier); null without one."
  value       = local.used_configuration_set
}

output "configuration_set_arn" {
  description = "ARN of the configuration set (null without one)."
  value       = local.used_configuration_set_arn
}

output "dkim_tokens" {
  description = "The three Easy DKIM tokens."
  value       = local.dkim_tokens
}

output "dkim_records" {
  description = "DNS records proving the domain (CNAME <token>._domainkey.<domain> -> <token>.dkim.amazonses.com); created when route53_zone_id is set, to be created by the DNS owner otherwise."
  value       = local.dkim_records
}

output "mail_from_records" {
  description = "MX and SPF records of the custom MAIL FROM domain (empty without mail_from_subdomain); created when route53_zone_id is set."
  value       = local.mail_from_records
}

output "dns_records_managed" {
  description = "Whether the module created the DNS records in Route 53."
  value       = local.dns_records
}

output "events_topic_arn" {
  description = "SNS topic receiving bounce/complaint events (null unless event_destination = sns)."
  value       = try(aws_sns_topic.events[0].arn, null)
}

output "kms_key_arn" {
  description = "Customer managed key of the events topic (null when none)."
  value       = local.topic_kms_key
}

output "sender_policy_statement" {
  description = "Least-privilege IAM statement for a sender, in lambda-function's policy_statements shape: ses:SendEmail on the identities and the configuration set, only with From = sender_email."
  value = {
    actions = ["ses:SendEmail"]
    resources = concat(
      [local.domain_identity_arn, local.sender_identity_arn],
      local.used_configuration_set_arn == null ? [] : [local.used_configuration_set_arn],
    )
    conditions = [{
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [aws_sesv2_email_identity.sender.email_identity]
    }]
  }
}
