output "vpc_id" {
  description = "ID of the example VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr" {
  description = "CIDR of the example VPC."
  value       = module.vpc.vpc_cidr
}

output "subnet_ids" {
  description = "Private subnet IDs in zone order."
  value       = module.vpc.subnet_ids
}

output "subnet_ids_by_az" {
  description = "Private subnet IDs by zone."
  value       = module.vpc.subnet_ids_by_az
}

output "subnet_cidrs_by_az" {
  description = "Private subnet CIDRs by zone."
  value       = module.vpc.subnet_cidrs_by_az
}

output "route_table_ids" {
  description = "Private route table IDs."
  value       = module.vpc.route_table_ids
}

output "route_table_ids_by_az" {
  description = "Route table of each zone."
  value       = module.vpc.route_table_ids_by_az
}

output "default_security_group_id" {
  description = "The emptied default security group."
  value       = module.vpc.default_security_group_id
}

output "internet_gateway_id" {
  description = "Internet gateway ID, if any."
  value       = module.vpc.internet_gateway_id
}

output "flow_log_id" {
  description = "Flow log ID, if enabled."
  value       = module.vpc.flow_log_id
}

output "flow_log_group_name" {
  description = "Flow log group, if enabled."
  value       = module.vpc.flow_log_group_name
}

output "flow_log_role_arn" {
  description = "Flow log role, if enabled."
  value       = module.vpc.flow_log_role_arn
}

output "flow_log_kms_key_arn" {
  description = "Flow log KMS key, if enabled."
  value       = module.vpc.flow_log_kms_key_arn
}

output "route_table_ids_by_key" {
  description = "Route tables by key."
  value       = module.vpc.route_table_ids_by_key
}
