data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  name = "${var.name_prefix}-${var.name}"

  # One private subnet per zone, keyed by zone name (stable keys: adding a zone adds a subnet).
  # try(): on inputs the VPC's preconditions refuse, plan shows those messages, not an
  # index or cidrsubnet error.
  subnet_cidrs = length(var.private_subnet_cidrs) > 0 ? var.private_subnet_cidrs : [
    for index, _ in var.azs : try(cidrsubnet(var.cidr_block, var.subnet_newbits, index), null)
  ]
  subnets = { for index, az in var.azs : az => try(local.subnet_cidrs[index], null) }

  # Route tables: one per zone, or a single "shared" one.
  route_table_keys = var.route_table_per_az ? toset(var.azs) : toset(["shared"])
  route_table_of   = { for az in var.azs : az => var.route_table_per_az ? az : "shared" }

  flow_logs_enabled = var.flow_logs.enabled
  create_flow_key   = local.flow_logs_enabled && var.flow_logs.kms_key_arn == null
  flow_log_group    = "/aws/vpc/flow-logs/${local.name}"
  flow_log_group_arn = format(
    "arn:%s:logs:%s:%s:log-group:%s",
    data.aws_partition.current.partition,
    data.aws_region.current.region,
    data.aws_caller_identity.current.account_id,
    local.flow_log_group,
  )
  flow_key_arn = local.create_flow_key ? one(module.kms_key[*].key_arn) : var.flow_logs.kms_key_arn
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = local.name })

  lifecycle {
    precondition {
      condition     = length(var.private_subnet_cidrs) == 0 || length(var.private_subnet_cidrs) == length(var.azs)
      error_message = "private_subnet_cidrs must be empty (computed) or list exactly one CIDR per entry of azs, in the same order."
    }
    precondition {
      condition     = length(var.private_subnet_cidrs) > 0 || tonumber(split("/", var.cidr_block)[1]) + var.subnet_newbits <= 28
      error_message = "cidr_block prefix + subnet_newbits must be at most 28 (AWS's smallest subnet is /28): lower subnet_newbits or use a larger cidr_block."
    }
    precondition {
      condition     = length(var.private_subnet_cidrs) > 0 || pow(2, var.subnet_newbits) >= length(var.azs)
      error_message = "subnet_newbits is too small for the number of azs: 2^subnet_newbits must be at least length(azs)."
    }
  }
}

# Checkov CKV2_AWS_12: the default security group allows nothing; use explicit groups.
resource "aws_default_security_group" "this" {
  vpc_id  = aws_vpc.this.id
  ingress = []
  egress  = []
  tags    = merge(var.tags, { Name = "${local.name}-default-deny" })
}

resource "aws_subnet" "private" {
  for_each = local.subnets

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = each.value
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${local.name}-private-${each.key}", Tier = "private" })
}

resource "aws_route_table" "private" {
  for_each = local.route_table_keys

  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${local.name}-private-${each.key}" })
}

resource "aws_route_table_association" "private" {
  for_each = local.subnets

  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[local.route_table_of[each.key]].id
}

resource "aws_internet_gateway" "this" {
  count = var.internet_gateway.enabled ? 1 : 0

  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = local.name })
}

resource "aws_route" "internet" {
  for_each = var.internet_gateway.enabled ? local.route_table_keys : toset([])

  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

# ---------------------------------------------------------------------------- flow logs

module "kms_key" {
  source = "../kms-key"
  count  = local.create_flow_key ? 1 : 0

  alias                   = "${local.name}-flow-logs"
  description             = "Encrypts the VPC flow logs of ${local.name}"
  deletion_window_in_days = 7
  service_principals = {
    # CloudWatch Logs may use the key for this log group only.
    CloudWatchLogsUsesTheKeyForThisLogGroup = {
      service = "logs.${data.aws_region.current.region}.amazonaws.com"
      conditions = [{
        test     = "ArnEquals"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = [local.flow_log_group_arn]
      }]
    }
  }
  tags = var.tags
}

moved {
  from = aws_kms_key.flow_logs[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.flow_logs[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  name              = local.flow_log_group
  retention_in_days = var.flow_logs.retention_in_days
  kms_key_id        = local.flow_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "flow_logs_assume" {
  count = local.flow_logs_enabled ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  name                 = "${local.name}-vpc-flow-logs"
  description          = "Lets VPC Flow Logs write the flow logs of ${local.name} to its own log group"
  assume_role_policy   = data.aws_iam_policy_document.flow_logs_assume[0].json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [local.flow_log_group_arn, "${local.flow_log_group_arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count = local.flow_logs_enabled ? 1 : 0

  name   = "${local.name}-vpc-flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs[0].json
}

resource "aws_flow_log" "this" {
  count = local.flow_logs_enabled ? 1 : 0

  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.flow_logs.traffic_type
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn             = aws_iam_role.flow_logs[0].arn
  max_aggregation_interval = 60
  tags                     = merge(var.tags, { Name = local.name })

  depends_on = [aws_iam_role_policy.flow_logs]
}
