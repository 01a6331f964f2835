module "vpc" {
  source = "../.."

  name_prefix          = var.name_prefix
  name                 = "cloud"
  cidr_block           = var.cidr_block
  azs                  = var.azs
  private_subnet_cidrs = var.private_subnet_cidrs
  subnet_newbits       = var.subnet_newbits
  route_table_per_az   = var.route_table_per_az
  internet_gateway     = var.internet_gateway
  flow_logs            = var.flow_logs

  tags = { example = "vpc" }
}
