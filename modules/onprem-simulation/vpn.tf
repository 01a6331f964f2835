# ------------------------------------------------- the cloud side: ../onprem-connectivity

# The same module, and the same option, as a real site would use in envs/prod: a Site-to-Site
# VPN to a virtual private gateway on the cloud VPC (free, where a transit gateway bills each
# attachment by the hour), routes to the on-premises CIDR in every cloud route table.
module "connectivity" {
  source = "../onprem-connectivity"

  name_prefix     = var.name_prefix
  vpc_id          = var.cloud_vpc_id
  vpc_cidr        = var.cloud_vpc_cidr
  route_table_ids = var.cloud_route_table_ids
  onprem_cidrs    = [var.cidr_block]
  connectivity = {
    type = "vpn"
    vpn = {
      customer_gateway_ip = aws_eip.vpn.public_ip
      bgp_asn             = var.customer_bgp_asn
      routing             = var.vpn_routing
      gateway             = "vpn_gateway"
    }
    amazon_side_asn = var.amazon_side_asn
  }
  tags = var.tags
}

moved {
  from = aws_customer_gateway.this
  to   = module.connectivity.aws_customer_gateway.this[0]
}

moved {
  from = aws_vpn_connection.this
  to   = module.connectivity.aws_vpn_connection.this[0]
}

locals {
  tunnels = module.connectivity.vpn_tunnels
}

resource "aws_eip" "vpn" {
  domain = "vpc"
  tags   = merge(var.tags, { Name = "${local.name}-vpn" })

  lifecycle {
    precondition {
      condition     = !local.cidrs_overlap
      error_message = "cidr_block (${var.cidr_block}) overlaps cloud_vpc_cidr (${var.cloud_vpc_cidr}): the VPN cannot route between overlapping networks. Choose a non-overlapping on-premises range, e.g. 172.16.0.0/16 for a 10.0.0.0/16 cloud VPC."
    }
  }
}

# On-premises side: the cloud CIDR goes to the VPN instance.
resource "aws_route" "onprem_to_cloud" {
  for_each = module.vpc.route_table_ids_by_key

  route_table_id         = each.value
  destination_cidr_block = var.cloud_vpc_cidr
  network_interface_id   = aws_instance.vpn.primary_network_interface_id
}

# ------------------------------------------------------- tunnel pre-shared keys (SSM)

# kms_key.enabled: a customer managed key (created, or kms_key.arn) that only IAM principals
# of this account use: the instance role, by its IAM policy, decrypts through SSM. Disabled:
# the AWS managed key aws/ssm (no monthly charge; the lab in envs/dev uses it).
module "kms_key" {
  source = "../kms-key"
  count  = var.kms_key.enabled && var.kms_key.arn == null ? 1 : 0

  alias                   = "${local.name}-vpn-psk"
  description             = "Encrypts the VPN tunnel pre-shared keys of ${local.name}"
  deletion_window_in_days = var.kms_key.deletion_window_in_days
  tags                    = var.tags
}

moved {
  from = module.kms_key
  to   = module.kms_key[0]
}

moved {
  from = aws_kms_key.psk
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.psk
  to   = module.kms_key[0].aws_kms_alias.this
}

locals {
  psk_kms_key_arn = var.kms_key.enabled ? coalesce(var.kms_key.arn, try(module.kms_key[0].key_arn, null)) : null
}

# The instance reads the keys at boot: they never appear in user data.
resource "aws_ssm_parameter" "psk" {
  name        = "/${var.name_prefix}/onprem-simulation/vpn-tunnel-psks"
  description = "Pre-shared keys of the two VPN tunnels (JSON: tunnel1, tunnel2)"
  type        = "SecureString"
  key_id      = local.psk_kms_key_arn
  value = jsonencode({
    tunnel1 = module.connectivity.vpn_tunnel_preshared_keys[0]
    tunnel2 = module.connectivity.vpn_tunnel_preshared_keys[1]
  })
  tags = var.tags
}
