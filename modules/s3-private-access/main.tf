data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# The VPC is read to check, before creating anything in it, what the endpoints need.
data "aws_vpc" "this" {
  id = var.vpc_id
}

locals {
  name       = "${var.name_prefix}-s3"
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  s3_service = "com.amazonaws.${local.region}.s3"
  s3_domain  = "s3.${local.region}.amazonaws.com"

  private_dns         = var.dns_mode == "inbound_resolver_private_dns"
  create_hosted_zone  = var.dns_mode == "private_hosted_zone"
  create_demo_bucket  = var.demo_bucket.enabled
  demo_bucket_name    = coalesce(var.demo_bucket.name, "${var.name_prefix}-s3-privatelink-demo-${local.account_id}")
  demo_bucket_arn     = "arn:${local.partition}:s3:::${local.demo_bucket_name}"
  restrict_to_buckets = length(var.allowed_bucket_arns) > 0
  allowed_buckets = distinct(concat(
    var.allowed_bucket_arns,
    local.create_demo_bucket ? [local.demo_bucket_arn] : [],
  ))

  # TCP 443 to the interface endpoint: each on-premises network (keyed by its CIDR) and the
  # VPC itself (keyed "vpc", so the key is known even when the VPC's CIDR is not yet).
  endpoint_ingress_cidrs = merge({ for cidr in var.onprem_cidrs : cidr => cidr }, { vpc = var.vpc_cidr })

  # The first DNS entry of an S3 interface endpoint is its regional name, "*.vpce-<id>.s3.<region>.vpce.amazonaws.com".
  endpoint_dns_name = trimprefix(try(aws_vpc_endpoint.interface.dns_entry[0].dns_name, ""), "*.")
  endpoint_zone_id  = try(aws_vpc_endpoint.interface.dns_entry[0].hosted_zone_id, "")
}

# --------------------------------------------------------------------- endpoint policy

data "aws_iam_policy_document" "endpoint" {
  dynamic "statement" {
    for_each = local.restrict_to_buckets ? [1] : []
    content {
      sid       = "AllowListedBucketsOnly"
      actions   = var.endpoint_policy_actions
      resources = flatten([for arn in local.allowed_buckets : [arn, "${arn}/*"]])
      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.restrict_to_buckets ? [] : [1]
    content {
      sid = "AllowOwnAccountBucketsOnly"
      # Which buckets is decided by the condition: only buckets this account owns.
      actions   = var.endpoint_policy_actions
      resources = ["arn:${local.partition}:s3:::*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

# ------------------------------------------------------------------------ endpoints

resource "aws_security_group" "endpoint" {
  name        = "${local.name}-interface-endpoint"
  description = "S3 interface endpoint: HTTPS from on-premises and the VPC only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-interface-endpoint" })
  # No egress rule: the endpoint only answers (security groups are stateful).

  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = !contains(var.onprem_cidrs, var.vpc_cidr)
      error_message = "onprem_cidrs must not contain vpc_cidr (${var.vpc_cidr}): the VPC is allowed already; list only on-premises networks."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "endpoint_https" {
  for_each = local.endpoint_ingress_cidrs

  security_group_id = aws_security_group.endpoint.id
  description       = each.key == "vpc" ? "HTTPS to S3 from the VPC" : "HTTPS to S3 from on-premises ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
  tags              = var.tags
}

# Gateway endpoint: free, serves in-VPC traffic; AWS requires it before an interface endpoint
# may use private_dns_only_for_inbound_resolver_endpoint.
resource "aws_vpc_endpoint" "gateway" {
  vpc_id            = var.vpc_id
  service_name      = local.s3_service
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
  policy            = data.aws_iam_policy_document.endpoint.json
  tags              = merge(var.tags, { Name = "${local.name}-gateway" })
}

resource "aws_vpc_endpoint" "interface" {
  vpc_id              = var.vpc_id
  service_name        = local.s3_service
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.endpoint.id]
  private_dns_enabled = local.private_dns
  policy              = data.aws_iam_policy_document.endpoint.json
  tags                = merge(var.tags, { Name = "${local.name}-interface" })

  # Set in both modes so that switching modes is an explicit, reviewed change.
  dns_options {
    dns_record_ip_type                             = "ipv4"
    private_dns_only_for_inbound_resolver_endpoint = local.private_dns
  }

  lifecycle {
    precondition {
      condition     = data.aws_vpc.this.enable_dns_support && data.aws_vpc.this.enable_dns_hostnames
      error_message = "The VPC ${var.vpc_id} must have DNS support and DNS hostnames enabled (enable_dns_support and enable_dns_hostnames; modules/vpc turns both on)."
    }
    precondition {
      condition     = contains(concat([data.aws_vpc.this.cidr_block], data.aws_vpc.this.cidr_block_associations[*].cidr_block), var.vpc_cidr)
      error_message = "vpc_cidr (${var.vpc_cidr}) must be a CIDR block of the VPC ${var.vpc_id}: pass the VPC's own CIDR."
    }
  }

  # AWS rejects private_dns_only_for_inbound_resolver_endpoint unless the VPC already has
  # the S3 gateway endpoint.
  depends_on = [aws_vpc_endpoint.gateway]
}
