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
deletion_protection    = false
point_in_time_recovery = false
audit_queue_enabled    = true
ranking                = { deploy_mode = "batch" }
# Functions import their dependencies from the layer `make package` builds from
# lambda_src/requirements.txt (the pins the tests run). A number here deploys the AWS-managed
# Powertools layer of that version instead (not the tested pins; see envs/README.md).
powertools_layer_version = null
