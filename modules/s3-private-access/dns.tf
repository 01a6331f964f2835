# ------------------------------------------------- dns_mode = "private_hosted_zone"

resource "aws_route53_zone" "s3" {
  count = local.create_hosted_zone ? 1 : 0

  #checkov:skip=CKV2_AWS_38:DNSSEC signing applies to public hosted zones only; this zone is private.
  #checkov:skip=CKV2_AWS_39:Private zones are logged by Resolver query logging of the VPC, not by hosted-zone query logging (public zones only).
  name    = local.s3_domain
  comment = "Resolves S3 to the ${local.name} interface endpoint for clients using this VPC's resolver (on-premises through the inbound Resolver endpoint)"
  tags    = var.tags

  vpc {
    vpc_id = var.vpc_id
  }
}

resource "aws_route53_record" "s3" {
  for_each = local.create_hosted_zone ? { apex = local.s3_domain, wildcard = "*.${local.s3_domain}" } : {}

  zone_id = aws_route53_zone.s3[0].zone_id
  name    = each.value
  type    = "A"

  alias {
    name                   = local.endpoint_dns_name
    zone_id                = local.endpoint_zone_id
    evaluate_target_health = false
  }
}

# -------------------------------------------------- Route 53 Resolver inbound endpoint

resource "aws_security_group" "resolver" {
  count = var.inbound_resolver.enabled ? 1 : 0

  name        = "${local.name}-resolver-inbound"
  description = "Route 53 Resolver inbound endpoint: DNS from on-premises only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-resolver-inbound" })
  # No egress rule: the inbound endpoint only answers queries (stateful).

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "resolver_dns" {
  for_each = var.inbound_resolver.enabled ? {
    for pair in setproduct(["tcp", "udp"], var.onprem_cidrs) : "${pair[0]}-${pair[1]}" => {
      protocol = pair[0]
      cidr     = pair[1]
    }
  } : {}

  security_group_id = aws_security_group.resolver[0].id
  description       = "DNS over ${upper(each.value.protocol)} from ${each.value.cidr}"
  ip_protocol       = each.value.protocol
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = each.value.cidr
  tags              = var.tags
}

resource "aws_route53_resolver_endpoint" "inbound" {
  count = var.inbound_resolver.enabled ? 1 : 0

  name                   = "${local.name}-inbound"
  direction              = "INBOUND"
  resolver_endpoint_type = "IPV4"
  protocols              = ["Do53"]
  security_group_ids     = [aws_security_group.resolver[0].id]
  tags                   = var.tags

  dynamic "ip_address" {
    for_each = slice(var.subnet_ids, 0, 2)
    content {
      subnet_id = ip_address.value
    }
  }
}
