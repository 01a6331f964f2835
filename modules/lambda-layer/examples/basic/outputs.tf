output "layer_version_arn" {
  description = "ARN of the published layer version."
  value       = module.layer.arn
}

output "layer_version" {
  description = "Version number of the published layer."
  value       = module.layer.version
}

output "function_name" {
  description = "Name of the example function that uses the layer."
  value       = module.function.function_name
}
