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

# ------------------------------------------- Session Manager without public SSM endpoints

locals {
  ssm_endpoints = {
    ssm         = "com.amazonaws.${local.region}.ssm"
    ssmmessages = "com.amazonaws.${local.region}.ssmmessages"
    ec2messages = "com.amazonaws.${local.region}.ec2messages"
  }
}

resource "aws_security_group" "ssm_endpoints" {
  name        = "${local.name}-ssm-endpoints"
  description = "Session Manager interface endpoints: HTTPS from the on-premises VPC only"
  vpc_id      = module.vpc.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-ssm-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "ssm_endpoints_https" {
  security_group_id = aws_security_group.ssm_endpoints.id
  description       = "HTTPS from the on-premises VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.cidr_block
  tags              = var.tags
}

resource "aws_vpc_endpoint" "ssm" {
  for_each = local.ssm_endpoints

  vpc_id              = module.vpc.vpc_id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  subnet_ids          = module.vpc.subnet_ids
  security_group_ids  = [aws_security_group.ssm_endpoints.id]
  private_dns_enabled = true
  tags                = merge(var.tags, { Name = "${local.name}-${each.key}" })
}
