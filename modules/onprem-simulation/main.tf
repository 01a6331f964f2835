data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name      = "${var.name_prefix}-onprem"
  region    = data.aws_region.current.region
  partition = data.aws_partition.current.partition
  s3_domain = "s3.${local.region}.amazonaws.com"

  # Two IPv4 blocks overlap exactly when they agree on the bits of the shorter prefix.
  onprem_prefix = tonumber(split("/", var.cidr_block)[1])
  cloud_prefix  = tonumber(split("/", var.cloud_vpc_cidr)[1])
  common_prefix = min(local.onprem_prefix, local.cloud_prefix)
  cidrs_overlap = (
    cidrhost("${cidrhost(var.cidr_block, 0)}/${local.common_prefix}", 0) ==
    cidrhost("${cidrhost(var.cloud_vpc_cidr, 0)}/${local.common_prefix}", 0)
  )
}

# The simulated data centre: a second VPC with an internet gateway (the VPN's public side).
module "vpc" {
  source = "../vpc"

  name_prefix      = var.name_prefix
  name             = "onprem"
  cidr_block       = var.cidr_block
  azs              = var.azs
  internet_gateway = { enabled = true }
  flow_logs        = var.flow_logs
  tags             = var.tags
}

# ---------------------------------------------------------- DNS of the data centre

# The strongSwan instance is also the data centre's DNS server, as an on-premises DNS server
# would be: dnsmasq forwards s3.<region>.amazonaws.com to the cloud's inbound Resolver
# endpoint through the tunnel, everything else to the VPC resolver. (A Route 53 Resolver
# outbound endpoint would do the same for two ENIs at $0.125/h each.) Session Manager is
# reached over the internet gateway (no SSM interface endpoints, $0.01/h per AZ each).
locals {
  dns_server_ip = cidrhost(module.vpc.subnet_cidrs_by_az[var.azs[0]], 10)
  dns_forwarder_config = templatefile("${path.module}/templates/dnsmasq.conf.tftpl", {
    listen_address       = local.dns_server_ip
    s3_domain            = local.s3_domain
    inbound_resolver_ips = var.inbound_resolver_ips
    vpc_resolver_ip      = cidrhost(var.cidr_block, 2)
  })
}
