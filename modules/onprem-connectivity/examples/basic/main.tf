# A VPC with three private route tables and the connectivity the variable asks for.
module "vpc" {
  source = "../../../vpc"

  name_prefix = var.name_prefix
  name        = "cloud"
  cidr_block  = "10.20.0.0/16"
  azs         = ["us-east-1a", "us-east-1b", "us-east-1c"]
  flow_logs   = { enabled = false }
  tags        = { example = "onprem-connectivity" }
}

module "connectivity" {
  source = "../.."

  name_prefix     = var.name_prefix
  vpc_id          = module.vpc.vpc_id
  vpc_cidr        = module.vpc.vpc_cidr
  subnet_ids      = module.vpc.subnet_ids
  route_table_ids = module.vpc.route_table_ids_by_key
  onprem_cidrs    = var.onprem_cidrs
  connectivity    = var.connectivity
  tags            = { example = "onprem-connectivity" }
}
