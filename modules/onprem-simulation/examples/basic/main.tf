# The whole workshop: a cloud VPC with S3 PrivateLink, and a simulated data centre that
# reaches it over a Site-to-Site VPN and forwards S3 DNS to the inbound Resolver endpoint.
module "cloud_vpc" {
  source = "../../../vpc"

  name_prefix = var.name_prefix
  name        = "cloud"
  cidr_block  = var.cloud_cidr
  azs         = var.azs
  flow_logs   = { enabled = false }
  tags        = { example = "onprem-simulation" }
}

module "s3_private_access" {
  source = "../../../s3-private-access"

  name_prefix     = var.name_prefix
  vpc_id          = module.cloud_vpc.vpc_id
  vpc_cidr        = module.cloud_vpc.vpc_cidr
  subnet_ids      = module.cloud_vpc.subnet_ids
  route_table_ids = module.cloud_vpc.route_table_ids
  onprem_cidrs    = [var.onprem_cidr]
  dns_mode        = var.dns_mode
  tags            = { example = "onprem-simulation" }
}

module "onprem" {
  source = "../.."

  name_prefix           = var.name_prefix
  cidr_block            = var.onprem_cidr
  azs                   = var.azs
  cloud_vpc_id          = module.cloud_vpc.vpc_id
  cloud_vpc_cidr        = module.cloud_vpc.vpc_cidr
  cloud_route_table_ids = module.cloud_vpc.route_table_ids_by_key
  inbound_resolver_ips  = module.s3_private_access.inbound_resolver_ips
  ami_id                = var.ami_id
  vpn_routing           = var.vpn_routing
  tags                  = { example = "onprem-simulation" }
}
