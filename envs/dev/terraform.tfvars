# dev: 2 AZs, the simulated on-prem site, short retention, no deletion protection, ranking
# in batch mode (no always-on campaign), every event also on an audit queue.
environment            = "dev"
region                 = "us-east-1"
availability_zones     = ["us-east-1a", "us-east-1b"]
vpc_cidr               = "10.10.0.0/16"
onprem_simulation      = { enabled = true, cidr_block = "172.16.0.0/16" }
s3_dns_mode            = "private_hosted_zone"
ses_domain             = "dev.student-system.example.com"
sender_email           = "noreply@dev.student-system.example.com"
log_retention_days     = 7
deletion_protection    = { enabled = false }
point_in_time_recovery = { enabled = false }
audit_queue            = { enabled = true }
ranking                = { deploy_mode = "batch" }
# Powertools for AWS Lambda (Python) v3 layer 27 = 3.23.0; look up the one matching
# pyproject's pin: aws ssm get-parameter --name /aws/service/powertools/python/x86_64/python3.13/3.37.0
powertools_layer_version = 27
