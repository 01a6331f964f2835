# An existing VPC stands in for yours: the s3-private-access module only takes its IDs.
module "vpc" {
  source = "../../../vpc"

  name_prefix = var.name_prefix
  name        = "cloud"
  cidr_block  = var.vpc_cidr
  azs         = var.azs
  flow_logs   = { enabled = false }
  tags        = { example = "s3-private-access" }
}

data "aws_caller_identity" "current" {}

# The role (not the STS session) running Terraform: the bucket policy's escape hatch.
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

module "s3_private_access" {
  source = "../.."

  name_prefix     = var.name_prefix
  vpc_id          = module.vpc.vpc_id
  vpc_cidr        = module.vpc.vpc_cidr
  subnet_ids      = var.subnet_count == null ? module.vpc.subnet_ids : slice(module.vpc.subnet_ids, 0, var.subnet_count)
  route_table_ids = module.vpc.route_table_ids
  onprem_cidrs    = var.onprem_cidrs

  dns_mode            = var.dns_mode
  allowed_bucket_arns = var.allowed_bucket_arns
  inbound_resolver    = var.inbound_resolver

  demo_bucket = {
    enabled              = var.demo_bucket.enabled
    admin_principal_arns = var.demo_bucket_admin_principal_arns == null ? [data.aws_iam_session_context.current.issuer_arn] : var.demo_bucket_admin_principal_arns
    force_destroy        = true
  }

  tags = { example = "s3-private-access" }
}
