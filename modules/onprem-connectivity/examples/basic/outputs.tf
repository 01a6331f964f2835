output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "route_table_ids" {
  description = "The VPC's private route tables."
  value       = module.vpc.route_table_ids
}

output "vpn_gateway_id" {
  description = "Virtual private gateway, or null."
  value       = module.connectivity.vpn_gateway_id
}

output "transit_gateway_id" {
  description = "Transit gateway, or null."
  value       = module.connectivity.transit_gateway_id
}

output "vpn_connection_id" {
  description = "VPN connection, or null."
  value       = module.connectivity.vpn_connection_id
}

output "vpn_tunnels" {
  description = "Tunnel addresses for the on-premises device."
  value       = module.connectivity.vpn_tunnels
}

output "route_ids" {
  description = "Routes to on-premises."
  value       = module.connectivity.route_ids
}
