output "domain_identity_arn" {
  description = "Domain identity ARN."
  value       = module.email.domain_identity_arn
}

output "sender_identity_arn" {
  description = "Sender identity ARN."
  value       = module.email.sender_identity_arn
}

output "sender_email" {
  description = "From address."
  value       = module.email.sender_email
}

output "configuration_set_name" {
  description = "Configuration set name."
  value       = module.email.configuration_set_name
}

output "dkim_records" {
  description = "DKIM records."
  value       = module.email.dkim_records
}

output "mail_from_records" {
  description = "MAIL FROM records."
  value       = module.email.mail_from_records
}

output "events_topic_arn" {
  description = "Bounce/complaint topic."
  value       = module.email.events_topic_arn
}

output "sender_policy_statement" {
  description = "Statement for senders."
  value       = module.email.sender_policy_statement
}
