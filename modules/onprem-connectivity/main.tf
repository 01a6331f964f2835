locals {
  name    = "${var.name_prefix}-onprem"
  kind    = var.connectivity.type
  vpn     = var.connectivity.vpn
  gateway = local.kind == "vpn" ? local.vpn.gateway : local.kind
  static  = local.kind == "vpn" && try(local.vpn.routing, "") == "static"

  # Which gateway the VPC's routes to on-premises point at.
  use_vgw = local.gateway == "vpn_gateway" || local.gateway == "direct_connect"
  new_tgw = local.gateway == "new_transit_gateway"
  use_tgw = !local.use_vgw

  transit_gateway_id = local.new_tgw ? aws_ec2_transit_gateway.this[0].id : try(var.connectivity.transit_gateway.id, null)
  # Static VPN routes on a transit gateway go to its route table (the default one of a new
  # gateway, the given one of an existing gateway).
  transit_gateway_route_table_id = local.new_tgw ? aws_ec2_transit_gateway.this[0].association_default_route_table_id : try(var.connectivity.transit_gateway.route_table_id, null)

  routes = {
    for pair in setproduct(keys(var.route_table_ids), var.onprem_cidrs) :
    "${pair[0]}/${pair[1]}" => { route_table_id = var.route_table_ids[pair[0]], cidr = pair[1] }
  }
}

# ------------------------------------------------------------------ gateways

# A virtual private gateway on the VPC (VPN or Direct Connect): no hourly charge.
resource "aws_vpn_gateway" "this" {
  count = local.use_vgw ? 1 : 0

  vpc_id          = var.vpc_id
  amazon_side_asn = tostring(var.connectivity.amazon_side_asn)
  tags            = merge(var.tags, { Name = local.name })
}

resource "aws_ec2_transit_gateway" "this" {
  count = local.new_tgw ? 1 : 0

  description                     = "${local.name}: the VPC and the on-premises VPN"
  amazon_side_asn                 = var.connectivity.amazon_side_asn
  auto_accept_shared_attachments  = "disable"
  default_route_table_association = "enable"
  default_route_table_propagation = "enable"
  dns_support                     = "enable"
  vpn_ecmp_support                = "enable"
  tags                            = merge(var.tags, { Name = local.name })
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  count = local.use_tgw ? 1 : 0

  transit_gateway_id = local.transit_gateway_id
  vpc_id             = var.vpc_id
  subnet_ids         = var.subnet_ids
  dns_support        = "enable"
  tags               = merge(var.tags, { Name = "${local.name}-vpc" })

  lifecycle {
    precondition {
      condition     = length(var.subnet_ids) >= 1
      error_message = "A transit gateway attachment needs subnet_ids (one subnet per Availability Zone of the VPC)."
    }
  }
}

# ------------------------------------------------------------------ Site-to-Site VPN

resource "aws_customer_gateway" "this" {
  count = local.kind == "vpn" ? 1 : 0

  bgp_asn    = tostring(local.vpn.bgp_asn)
  ip_address = local.vpn.customer_gateway_ip
  type       = "ipsec.1"
  tags       = merge(var.tags, { Name = local.name })
}

resource "aws_vpn_connection" "this" {
  count = local.kind == "vpn" ? 1 : 0

  customer_gateway_id  = aws_customer_gateway.this[0].id
  vpn_gateway_id       = local.use_vgw ? aws_vpn_gateway.this[0].id : null
  transit_gateway_id   = local.use_tgw ? local.transit_gateway_id : null
  type                 = "ipsec.1"
  static_routes_only   = local.static
  tunnel1_ike_versions = ["ikev2"]
  tunnel2_ike_versions = ["ikev2"]
  tags                 = merge(var.tags, { Name = local.name })
}

# Static routing: the gateway sends each on-premises CIDR into the VPN.
resource "aws_vpn_connection_route" "this" {
  for_each = local.static && local.use_vgw ? toset(var.onprem_cidrs) : toset([])

  destination_cidr_block = each.value
  vpn_connection_id      = aws_vpn_connection.this[0].id
}

resource "aws_ec2_transit_gateway_route" "this" {
  for_each = local.static && local.use_tgw ? toset(var.onprem_cidrs) : toset([])

  destination_cidr_block         = each.value
  transit_gateway_attachment_id  = aws_vpn_connection.this[0].transit_gateway_attachment_id
  transit_gateway_route_table_id = local.transit_gateway_route_table_id
}

# ------------------------------------------------------------------ Direct Connect

resource "aws_dx_gateway_association" "this" {
  count = local.kind == "direct_connect" ? 1 : 0

  dx_gateway_id         = var.connectivity.direct_connect.gateway_id
  associated_gateway_id = aws_vpn_gateway.this[0].id
  allowed_prefixes      = coalesce(var.connectivity.direct_connect.allowed_prefixes, [var.vpc_cidr])
}

# ------------------------------------------------------------------ VPC routes

# Every private route table: each on-premises CIDR to the gateway.
resource "aws_route" "onprem" {
  for_each = local.routes

  route_table_id         = each.value.route_table_id
  destination_cidr_block = each.value.cidr
  gateway_id             = local.use_vgw ? aws_vpn_gateway.this[0].id : null
  transit_gateway_id     = local.use_tgw ? local.transit_gateway_id : null

  # A transit gateway route needs the VPC's attachment first.
  depends_on = [aws_ec2_transit_gateway_vpc_attachment.this]
}
