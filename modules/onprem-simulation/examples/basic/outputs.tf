output "cloud_vpc_id" {
  description = "ID of the cloud VPC."
  value       = module.cloud_vpc.vpc_id
}

output "cloud_route_table_ids" {
  description = "Route tables of the cloud VPC."
  value       = module.cloud_vpc.route_table_ids
}

output "interface_endpoint_id" {
  description = "S3 interface endpoint ID."
  value       = module.s3_private_access.interface_endpoint_id
}

output "inbound_resolver_ips" {
  description = "Inbound Resolver endpoint IPs in the cloud VPC."
  value       = module.s3_private_access.inbound_resolver_ips
}

output "onprem_vpc_id" {
  description = "ID of the simulated data centre VPC."
  value       = module.onprem.onprem_vpc_id
}

output "onprem_vpc_cidr" {
  description = "CIDR of the simulated data centre VPC."
  value       = module.onprem.onprem_vpc_cidr
}

output "onprem_route_table_ids" {
  description = "Route tables of the simulated data centre."
  value       = module.onprem.onprem_route_table_ids
}

output "vpn_connection_id" {
  description = "VPN connection ID."
  value       = module.onprem.vpn_connection_id
}

output "customer_gateway_id" {
  description = "Customer gateway ID."
  value       = module.onprem.customer_gateway_id
}

output "customer_gateway_ip" {
  description = "Elastic IP of the strongSwan instance."
  value       = module.onprem.customer_gateway_ip
}

output "instance_id" {
  description = "strongSwan instance ID."
  value       = module.onprem.instance_id
}

output "psk_parameter_name" {
  description = "SSM parameter of the tunnel keys."
  value       = module.onprem.psk_parameter_name
}

output "test_commands" {
  description = "Commands to check the simulation and the private S3 path."
  value       = merge(module.onprem.test_commands, module.s3_private_access.test_commands)
}

output "vpn_gateway_id" {
  description = "Virtual private gateway ID."
  value       = module.onprem.vpn_gateway_id
}

output "dns_server_ip" {
  description = "The simulated data centre's DNS server."
  value       = module.onprem.dns_server_ip
}

output "dns_forwarder_config" {
  description = "The data centre DNS server's forwarding configuration."
  value       = module.onprem.dns_forwarder_config
}

output "vpn_tunnel_addresses" {
  description = "Outside addresses of the two AWS tunnel endpoints."
  value       = module.onprem.vpn_tunnel_addresses
}
