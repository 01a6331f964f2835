# ------------------------------------------------ transit gateway and Site-to-Site VPN

resource "aws_ec2_transit_gateway" "this" {
  description                     = "${local.name}: cloud VPC <-> simulated data centre VPN"
  amazon_side_asn                 = var.amazon_side_asn
  auto_accept_shared_attachments  = "disable"
  default_route_table_association = "enable"
  default_route_table_propagation = "enable"
  dns_support                     = "enable"
  vpn_ecmp_support                = "enable"
  tags                            = merge(var.tags, { Name = local.name })

  lifecycle {
    precondition {
      condition     = !local.cidrs_overlap
      error_message = "cidr_block (${var.cidr_block}) overlaps cloud_vpc_cidr (${var.cloud_vpc_cidr}): the VPN cannot route between overlapping networks. Choose a non-overlapping on-premises range, e.g. 172.16.0.0/16 for a 10.0.0.0/16 cloud VPC."
    }
  }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "cloud" {
  transit_gateway_id                              = aws_ec2_transit_gateway.this.id
  vpc_id                                          = var.cloud_vpc_id
  subnet_ids                                      = var.cloud_subnet_ids
  dns_support                                     = "enable"
  transit_gateway_default_route_table_association = true
  transit_gateway_default_route_table_propagation = true
  tags                                            = merge(var.tags, { Name = "${local.name}-cloud-vpc" })
}

# Cloud side: the on-premises CIDR goes to the transit gateway.
resource "aws_route" "cloud_to_onprem" {
  for_each = var.cloud_route_table_ids

  route_table_id         = each.value
  destination_cidr_block = var.cidr_block
  transit_gateway_id     = aws_ec2_transit_gateway.this.id

  depends_on = [aws_ec2_transit_gateway_vpc_attachment.cloud]
}

resource "aws_eip" "vpn" {
  domain = "vpc"
  tags   = merge(var.tags, { Name = "${local.name}-vpn" })
}

resource "aws_customer_gateway" "this" {
  bgp_asn    = tostring(var.customer_bgp_asn)
  ip_address = aws_eip.vpn.public_ip
  type       = "ipsec.1"
  tags       = merge(var.tags, { Name = "${local.name}-strongswan" })
}

resource "aws_vpn_connection" "this" {
  customer_gateway_id  = aws_customer_gateway.this.id
  transit_gateway_id   = aws_ec2_transit_gateway.this.id
  type                 = "ipsec.1"
  static_routes_only   = var.vpn_routing == "static"
  tunnel1_ike_versions = ["ikev2"]
  tunnel2_ike_versions = ["ikev2"]
  tags                 = merge(var.tags, { Name = local.name })
}

# Static routing: the transit gateway sends the on-premises CIDR into the VPN.
resource "aws_ec2_transit_gateway_route" "onprem" {
  count = var.vpn_routing == "static" ? 1 : 0

  destination_cidr_block         = var.cidr_block
  transit_gateway_attachment_id  = aws_vpn_connection.this.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.this.association_default_route_table_id
}

# On-premises side: the cloud CIDR goes to the VPN instance.
resource "aws_route" "onprem_to_cloud" {
  for_each = module.vpc.route_table_ids_by_key

  route_table_id         = each.value
  destination_cidr_block = var.cloud_vpc_cidr
  network_interface_id   = aws_instance.vpn.primary_network_interface_id
}

# ------------------------------------------------------- tunnel pre-shared keys (SSM)

# Only IAM principals of this account use the key: the instance role, by its IAM policy,
# decrypts through SSM.
module "kms_key" {
  source = "../kms-key"

  alias                   = "${local.name}-vpn-psk"
  description             = "Encrypts the VPN tunnel pre-shared keys of ${local.name}"
  deletion_window_in_days = 7
  tags                    = var.tags
}

moved {
  from = aws_kms_key.psk
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.psk
  to   = module.kms_key.aws_kms_alias.this
}

# The instance reads the keys at boot: they never appear in user data.
resource "aws_ssm_parameter" "psk" {
  name        = "/${var.name_prefix}/onprem-simulation/vpn-tunnel-psks"
  description = "Pre-shared keys of the two VPN tunnels (JSON: tunnel1, tunnel2)"
  type        = "SecureString"
  key_id      = module.kms_key.key_arn
  value = jsonencode({
    tunnel1 = aws_vpn_connection.this.tunnel1_preshared_key
    tunnel2 = aws_vpn_connection.this.tunnel2_preshared_key
  })
  tags = var.tags
}
