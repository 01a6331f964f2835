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

output "transit_gateway_id" {
  description = "ID of the transit gateway joining the cloud VPC and the VPN."
  value       = aws_ec2_transit_gateway.this.id
}

output "transit_gateway_vpc_attachment_id" {
  description = "ID of the cloud VPC's transit gateway attachment."
  value       = aws_ec2_transit_gateway_vpc_attachment.cloud.id
}

output "vpn_connection_id" {
  description = "ID of the Site-to-Site VPN connection."
  value       = aws_vpn_connection.this.id
}

output "vpn_transit_gateway_attachment_id" {
  description = "Transit gateway attachment of the VPN connection."
  value       = aws_vpn_connection.this.transit_gateway_attachment_id
}

output "vpn_tunnel_addresses" {
  description = "Outside IP addresses of the two AWS tunnel endpoints."
  value       = [aws_vpn_connection.this.tunnel1_address, aws_vpn_connection.this.tunnel2_address]
}

output "customer_gateway_id" {
  description = "ID of the customer gateway."
  value       = aws_customer_gateway.this.id
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

output "ssm_endpoint_ids" {
  description = "Session Manager interface endpoints of the on-premises VPC, keyed by service."
  value       = { for key, endpoint in aws_vpc_endpoint.ssm : key => endpoint.id }
}

output "outbound_resolver_endpoint_id" {
  description = "ID of the Route 53 Resolver outbound endpoint."
  value       = aws_route53_resolver_endpoint.outbound.id
}

output "forward_rule_id" {
  description = "ID of the Resolver rule forwarding s3.<region>.amazonaws.com to the cloud."
  value       = aws_route53_resolver_rule.s3.id
}

output "test_commands" {
  description = "Commands to reach the simulated data centre and check the VPN."
  value = {
    start_session    = "aws ssm start-session --region ${local.region} --target ${aws_instance.vpn.id}"
    tunnel_status    = "aws ec2 describe-vpn-connections --region ${local.region} --vpn-connection-ids ${aws_vpn_connection.this.id} --query 'VpnConnections[0].VgwTelemetry[].[OutsideIpAddress,Status,StatusMessage]' --output table"
    ipsec_status     = "sudo swanctl --list-sas"
    resolve_s3       = "dig +short ${local.s3_domain}"
    boot_log_on_host = "sudo cat /var/log/onprem-vpn-setup.log"
  }
}
