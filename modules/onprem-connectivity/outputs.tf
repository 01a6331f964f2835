output "vpn_gateway_id" {
  description = "Virtual private gateway on the VPC (vpn.gateway = \"vpn_gateway\", direct_connect), else null."
  value       = try(aws_vpn_gateway.this[0].id, null)
}

output "transit_gateway_id" {
  description = "Transit gateway the VPC is attached to (created here or given), else null."
  value       = local.use_tgw ? local.transit_gateway_id : null
}

output "transit_gateway_attachment_id" {
  description = "The VPC's transit gateway attachment, else null."
  value       = try(aws_ec2_transit_gateway_vpc_attachment.this[0].id, null)
}

output "customer_gateway_id" {
  description = "Customer gateway (type = \"vpn\"), else null."
  value       = try(aws_customer_gateway.this[0].id, null)
}

output "vpn_connection_id" {
  description = "Site-to-Site VPN connection (type = \"vpn\"), else null."
  value       = try(aws_vpn_connection.this[0].id, null)
}

output "vpn_tunnels" {
  description = "The two tunnels' outside address and inside addresses (AWS and customer side), for the on-premises device (type = \"vpn\"), else []."
  value = local.kind != "vpn" ? [] : [
    for n in [1, 2] : {
      outside_address     = n == 1 ? aws_vpn_connection.this[0].tunnel1_address : aws_vpn_connection.this[0].tunnel2_address
      aws_inside_address  = n == 1 ? aws_vpn_connection.this[0].tunnel1_vgw_inside_address : aws_vpn_connection.this[0].tunnel2_vgw_inside_address
      cgw_inside_address  = n == 1 ? aws_vpn_connection.this[0].tunnel1_cgw_inside_address : aws_vpn_connection.this[0].tunnel2_cgw_inside_address
      aws_bgp_asn         = n == 1 ? aws_vpn_connection.this[0].tunnel1_bgp_asn : aws_vpn_connection.this[0].tunnel2_bgp_asn
      customer_gateway_ip = local.vpn.customer_gateway_ip
    }
  ]
}

output "vpn_tunnel_preshared_keys" {
  description = "The two tunnels' pre-shared keys (type = \"vpn\"), else []."
  value       = local.kind != "vpn" ? [] : [aws_vpn_connection.this[0].tunnel1_preshared_key, aws_vpn_connection.this[0].tunnel2_preshared_key]
  sensitive   = true
}

output "vpn_transit_gateway_attachment_id" {
  description = "The VPN connection's transit gateway attachment (VPN on a transit gateway), else null."
  value       = local.kind == "vpn" && local.use_tgw ? aws_vpn_connection.this[0].transit_gateway_attachment_id : null
}

output "dx_gateway_association_id" {
  description = "Direct Connect gateway association (type = \"direct_connect\"), else null."
  value       = try(aws_dx_gateway_association.this[0].id, null)
}

output "route_ids" {
  description = "The routes to on-premises, keyed \"<route table key>/<cidr>\"."
  value       = { for key, route in aws_route.onprem : key => route.id }
}
