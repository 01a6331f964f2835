output "vpc_id" {
  description = "ID of the example VPC."
  value       = module.vpc.vpc_id
}

output "subnet_ids" {
  description = "Subnets of the example VPC."
  value       = module.vpc.subnet_ids
}

output "route_table_ids" {
  description = "Route tables of the example VPC."
  value       = module.vpc.route_table_ids
}

output "interface_endpoint_id" {
  description = "S3 interface endpoint ID."
  value       = module.s3_private_access.interface_endpoint_id
}

output "interface_endpoint_dns_name" {
  description = "Regional DNS name of the interface endpoint."
  value       = module.s3_private_access.interface_endpoint_dns_name
}

output "bucket_endpoint_url_pattern" {
  description = "Bucket-style endpoint URL."
  value       = module.s3_private_access.bucket_endpoint_url_pattern
}

output "gateway_endpoint_id" {
  description = "S3 gateway endpoint ID."
  value       = module.s3_private_access.gateway_endpoint_id
}

output "endpoint_security_group_id" {
  description = "Security group of the interface endpoint."
  value       = module.s3_private_access.endpoint_security_group_id
}

output "resolver_security_group_id" {
  description = "Security group of the inbound Resolver endpoint."
  value       = module.s3_private_access.resolver_security_group_id
}

output "inbound_resolver_endpoint_id" {
  description = "Inbound Resolver endpoint ID."
  value       = module.s3_private_access.inbound_resolver_endpoint_id
}

output "inbound_resolver_ips" {
  description = "Inbound Resolver endpoint IPs."
  value       = module.s3_private_access.inbound_resolver_ips
}

output "hosted_zone_id" {
  description = "Private hosted zone ID, if any."
  value       = module.s3_private_access.hosted_zone_id
}

output "demo_bucket_name" {
  description = "Demo bucket name, if any."
  value       = module.s3_private_access.demo_bucket_name
}

output "demo_bucket_arn" {
  description = "Demo bucket ARN, if any."
  value       = module.s3_private_access.demo_bucket_arn
}

output "demo_bucket_kms_key_arn" {
  description = "Demo bucket KMS key, if any."
  value       = module.s3_private_access.demo_bucket_kms_key_arn
}

output "test_commands" {
  description = "Commands to prove the private path from on-premises."
  value       = module.s3_private_access.test_commands
}

output "dns_mode" {
  description = "DNS mode of the endpoint."
  value       = module.s3_private_access.dns_mode
}
