output "arn" {
  description = "ARN of the layer version (with its version number): what a function's `layers` lists."
  value       = aws_lambda_layer_version.this.arn
}

output "layer_arn" {
  description = "ARN of the layer without a version."
  value       = aws_lambda_layer_version.this.layer_arn
}

output "version" {
  description = "Version number Lambda assigned to this publication."
  value       = aws_lambda_layer_version.this.version
}

output "code_sha256" {
  description = "SHA-256 (base64) of the published zip, as Lambda reports it."
  value       = aws_lambda_layer_version.this.code_sha256
}
