output "function_name" {
  description = "Name of the example function."
  value       = module.hello.function_name
}

output "function_arn" {
  description = "ARN of the example function."
  value       = module.hello.function_arn
}

output "role_name" {
  description = "Name of the example function's role."
  value       = module.hello.role_name
}

output "log_group_name" {
  description = "Log group of the example function."
  value       = module.hello.log_group_name
}

output "source_code_hash" {
  description = "Hash of the deployed package."
  value       = module.hello.source_code_hash
}
