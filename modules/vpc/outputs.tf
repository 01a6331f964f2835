output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability Zones of the subnets, in input order."
  value       = var.azs
}

output "subnet_ids" {
  description = "IDs of the private subnets, in the order of azs."
  value       = [for az in var.azs : try(aws_subnet.private[az].id, null)]
}

output "subnet_ids_by_az" {
  description = "IDs of the private subnets keyed by Availability Zone."
  value       = { for az, subnet in aws_subnet.private : az => subnet.id }
}

output "subnet_cidrs_by_az" {
  description = "CIDR blocks of the private subnets keyed by Availability Zone."
  value       = local.subnets
}

output "route_table_ids" {
  description = "IDs of the private route tables (one per zone, or one shared), sorted by key."
  value       = [for key in sort(tolist(local.route_table_keys)) : try(aws_route_table.private[key].id, null)]
}

output "route_table_ids_by_key" {
  description = "Route table IDs keyed by zone (route_table_per_az = true) or by \"shared\"; each ID once, keys known at plan: for_each over it to add routes."
  value       = { for key, rt in aws_route_table.private : key => rt.id }
}

output "route_table_ids_by_az" {
  description = "Route table ID of each Availability Zone's subnet (the same ID for every zone when route_table_per_az is false). Keys are known at plan, so callers can for_each over it."
  value       = { for az in var.azs : az => try(aws_route_table.private[local.route_table_of[az]].id, null) }
}

output "default_security_group_id" {
  description = "ID of the VPC's default security group, emptied of every rule."
  value       = aws_default_security_group.this.id
}

output "internet_gateway_id" {
  description = "ID of the internet gateway, or null when internet_gateway.enabled is false."
  value       = one(aws_internet_gateway.this[*].id)
}

output "flow_log_id" {
  description = "ID of the VPC flow log, or null when flow logs are disabled."
  value       = one(aws_flow_log.this[*].id)
}

output "flow_log_group_name" {
  description = "CloudWatch log group receiving the flow logs, or null when disabled."
  value       = one(aws_cloudwatch_log_group.flow_logs[*].name)
}

output "flow_log_role_arn" {
  description = "IAM role VPC Flow Logs assumes to write the log group, or null when disabled."
  value       = one(aws_iam_role.flow_logs[*].arn)
}

output "flow_log_kms_key_arn" {
  description = "KMS key encrypting the flow log group (module-created or the one given), or null when disabled."
  value       = local.flow_logs_enabled ? local.flow_key_arn : null
}
