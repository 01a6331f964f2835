locals {
  resolver_ips    = sort(flatten([for endpoint in aws_route53_resolver_endpoint.inbound : [for ip in endpoint.ip_address : ip.ip]]))
  bucket_for_cmds = local.create_demo_bucket ? local.demo_bucket_name : "<bucket>"
  resolver_for_cmds = var.inbound_resolver.enabled ? (
    length(local.resolver_ips) > 0 ? local.resolver_ips[0] : "<inbound resolver ip>"
  ) : "<inbound resolver ip>"
}

output "dns_mode" {
  description = "DNS mode in use: private_hosted_zone or inbound_resolver_private_dns."
  value       = var.dns_mode
}

output "interface_endpoint_id" {
  description = "ID of the S3 interface endpoint (vpce-...)."
  value       = aws_vpc_endpoint.interface.id
}

output "interface_endpoint_dns_name" {
  description = "Regional DNS name of the interface endpoint (vpce-<id>.s3.<region>.vpce.amazonaws.com)."
  value       = local.endpoint_dns_name
}

output "interface_endpoint_dns_entries" {
  description = "Every DNS entry of the interface endpoint (regional and zonal names with their hosted zone IDs)."
  value       = aws_vpc_endpoint.interface.dns_entry
}

output "interface_endpoint_network_interface_ids" {
  description = "Network interfaces of the interface endpoint, one per subnet."
  value       = aws_vpc_endpoint.interface.network_interface_ids
}

output "bucket_endpoint_url_pattern" {
  description = "Endpoint URL for bucket-style requests through the interface endpoint: https://bucket.vpce-<id>.s3.<region>.vpce.amazonaws.com (use with --endpoint-url)."
  value       = "https://bucket.${local.endpoint_dns_name}"
}

output "gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint."
  value       = aws_vpc_endpoint.gateway.id
}

output "endpoint_policy" {
  description = "Endpoint policy (JSON) of both S3 endpoints."
  value       = data.aws_iam_policy_document.endpoint.json
}

output "endpoint_security_group_id" {
  description = "Security group of the interface endpoint (TCP 443 from onprem_cidrs and vpc_cidr)."
  value       = aws_security_group.endpoint.id
}

output "inbound_resolver_endpoint_id" {
  description = "ID of the Route 53 Resolver inbound endpoint, or null when not created."
  value       = one(aws_route53_resolver_endpoint.inbound[*].id)
}

output "inbound_resolver_ips" {
  description = "IP addresses of the inbound Resolver endpoint (targets of the on-premises forward rule), sorted; empty when not created."
  value       = local.resolver_ips
}

output "resolver_security_group_id" {
  description = "Security group of the inbound Resolver endpoint (DNS from onprem_cidrs), or null."
  value       = one(aws_security_group.resolver[*].id)
}

output "hosted_zone_id" {
  description = "ID of the private hosted zone s3.<region>.amazonaws.com, or null in dns_mode inbound_resolver_private_dns."
  value       = one(aws_route53_zone.s3[*].zone_id)
}

output "s3_domain" {
  description = "The S3 regional domain on-premises DNS must forward to the inbound Resolver endpoint."
  value       = local.s3_domain
}

output "demo_bucket_name" {
  description = "Name of the demo bucket, or null when not created."
  value       = one(aws_s3_bucket.demo[*].bucket)
}

output "demo_bucket_arn" {
  description = "ARN of the demo bucket, or null when not created."
  value       = one(aws_s3_bucket.demo[*].arn)
}

output "demo_bucket_kms_key_arn" {
  description = "KMS key encrypting the demo bucket, or null when not created."
  value       = local.create_demo_bucket ? local.demo_bucket_kms_key_arn : null
}

output "test_commands" {
  description = "Commands to run from an on-premises host (e.g. the simulation's instance through Session Manager) to prove the private path."
  value = {
    resolve_s3_via_inbound_resolver = "dig +short ${local.s3_domain} @${local.resolver_for_cmds}"
    list_bucket_via_endpoint_url    = "aws s3 ls s3://${local.bucket_for_cmds}/ --region ${local.region} --endpoint-url https://bucket.${local.endpoint_dns_name}"
    list_bucket_via_default_name    = "aws s3 ls s3://${local.bucket_for_cmds}/ --region ${local.region}"
  }
}
