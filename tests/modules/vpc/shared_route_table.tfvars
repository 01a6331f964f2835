azs                  = ["us-east-1a", "us-east-1b", "us-east-1c"]
route_table_per_az   = false
private_subnet_cidrs = ["10.0.10.0/24", "10.0.20.0/24", "10.0.30.0/24"]
