azs              = ["us-east-1a", "us-east-1b", "us-east-1c"]
demo_bucket      = { enabled = false }
inbound_resolver = { enabled = false }
