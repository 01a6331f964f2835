azs                     = ["us-east-1a", "us-east-1b", "us-east-1c"]
create_demo_bucket      = false
create_inbound_resolver = false
