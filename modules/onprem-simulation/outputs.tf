output "onprem_vpc_id" {
  description = "ID of the simulated data centre VPC."
  value       = module.vpc.vpc_id
}

output "onprem_vpc_cidr" {
  description = "CIDR of the simulated data centre VPC."
  value       = module.vpc.vpc_cidr
}

output "onprem_subnet_ids" {
  description = "Subnets of the simulated data centre, in zone order."
  value       = module.vpc.subnet_ids
}

output "onprem_route_table_ids" {
  description = "Route tables of the simulated data centre, keyed like modules/vpc route_table_ids_by_key."
  value       = module.vpc.route_table_ids_by_key
}

output "vpn_gateway_id" {
  description = "ID of the virtual private gateway on the cloud VPC (the VPN's AWS side)."
  value       = module.connectivity.vpn_gateway_id
}

output "dns_server_ip" {
  description = "The data centre's DNS server (the strongSwan instance running dnsmasq): on-premises hosts resolve through it."
  value       = local.dns_server_ip
}

output "dns_forwarder_config" {
  description = "The dnsmasq configuration of the data centre's DNS server: s3.<region>.amazonaws.com to the inbound Resolver IPs, the rest to the VPC resolver."
  value       = local.dns_forwarder_config
}

output "vpn_connection_id" {
  description = "ID of the Site-to-Site VPN connection."
  value       = module.connectivity.vpn_connection_id
}

output "vpn_tunnel_addresses" {
  description = "Outside IP addresses of the two AWS tunnel endpoints."
  value       = [for tunnel in local.tunnels : tunnel.outside_address]
}

output "customer_gateway_id" {
  description = "ID of the customer gateway."
  value       = module.connectivity.customer_gateway_id
}

output "customer_gateway_ip" {
  description = "Public (Elastic) IP of the strongSwan instance, the customer gateway address."
  value       = aws_eip.vpn.public_ip
}

output "instance_id" {
  description = "ID of the strongSwan instance (reach it with Session Manager, it has no SSH key)."
  value       = aws_instance.vpn.id
}

output "psk_parameter_name" {
  description = "SSM SecureString parameter holding the tunnel pre-shared keys."
  value       = aws_ssm_parameter.psk.name
}

output "test_commands" {
  description = "Commands to reach the simulated data centre and check the VPN."
  value = {
    start_session    = "aws ssm start-session --region ${local.region} --target ${aws_instance.vpn.id}"
    tunnel_status    = "aws ec2 describe-vpn-connections --region ${local.region} --vpn-connection-ids ${module.connectivity.vpn_connection_id} --query 'VpnConnections[0].VgwTelemetry[].[OutsideIpAddress,Status,StatusMessage]' --output table"
    ipsec_status     = "sudo swanctl --list-sas"
    resolve_s3       = "dig +short ${local.s3_domain} @${local.dns_server_ip}"
    boot_log_on_host = "sudo cat /var/log/onprem-vpn-setup.log"
  }
}

output "connectivity" {
  description = "The cloud side's gateways and VPN, as ../onprem-connectivity reports them (the ids envs/<env> outputs for a real site too)."
  value = {
    vpn_gateway_id                = module.connectivity.vpn_gateway_id
    transit_gateway_id            = module.connectivity.transit_gateway_id
    transit_gateway_attachment_id = module.connectivity.transit_gateway_attachment_id
    customer_gateway_id           = module.connectivity.customer_gateway_id
    vpn_connection_id             = module.connectivity.vpn_connection_id
    dx_gateway_association_id     = module.connectivity.dx_gateway_association_id
  }
}

output "vpn_tunnels" {
  description = "The two tunnels (outside and inside addresses) and their pre-shared keys."
  value = [
    for index, tunnel in module.connectivity.vpn_tunnels :
    merge(tunnel, { preshared_key = module.connectivity.vpn_tunnel_preshared_keys[index] })
  ]
  sensitive = true
}
