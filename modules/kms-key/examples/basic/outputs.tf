output "key_arn" {
  description = "ARN of the example key."
  value       = module.kms_key.key_arn
}

output "alias_name" {
  description = "Alias of the example key."
  value       = module.kms_key.alias_name
}
