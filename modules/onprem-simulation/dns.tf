# ------------------------------------ DNS: forward s3.<region>.amazonaws.com to the cloud

resource "aws_security_group" "resolver" {
  name        = "${local.name}-resolver-outbound"
  description = "Route 53 Resolver outbound endpoint: DNS to the cloud VPC's inbound endpoint only"
  vpc_id      = module.vpc.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-resolver-outbound" })
  # No ingress rule: an outbound endpoint only sends queries (stateful replies).

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "resolver_dns" {
  for_each = toset(["tcp", "udp"])

  security_group_id = aws_security_group.resolver.id
  description       = "DNS over ${upper(each.key)} to the cloud VPC (inbound Resolver endpoint)"
  ip_protocol       = each.key
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = var.cloud_vpc_cidr
  tags              = var.tags
}

resource "aws_route53_resolver_endpoint" "outbound" {
  name                   = "${local.name}-outbound"
  direction              = "OUTBOUND"
  resolver_endpoint_type = "IPV4"
  protocols              = ["Do53"]
  security_group_ids     = [aws_security_group.resolver.id]
  tags                   = var.tags

  dynamic "ip_address" {
    for_each = slice(module.vpc.subnet_ids, 0, 2)
    content {
      subnet_id = ip_address.value
    }
  }
}

resource "aws_route53_resolver_rule" "s3" {
  name                 = "${local.name}-forward-s3"
  domain_name          = local.s3_domain
  rule_type            = "FORWARD"
  resolver_endpoint_id = aws_route53_resolver_endpoint.outbound.id
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = length(var.inbound_resolver_ips) >= 1
      error_message = "inbound_resolver_ips must list at least one inbound Resolver endpoint IP (two for availability)."
    }
  }

  dynamic "target_ip" {
    for_each = var.inbound_resolver_ips
    content {
      ip       = target_ip.value
      port     = 53
      protocol = "Do53"
    }
  }
}

resource "aws_route53_resolver_rule_association" "s3" {
  name             = "${local.name}-forward-s3"
  resolver_rule_id = aws_route53_resolver_rule.s3.id
  vpc_id           = module.vpc.vpc_id
}
