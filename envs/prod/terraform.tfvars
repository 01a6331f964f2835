# prod: 3 AZs, real on-prem networks (no simulation), long retention, PITR and deletion
# protection, a Personalize campaign, alarms to the on-call address.
environment        = "prod"
region             = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
vpc_cidr           = "10.20.0.0/16"
onprem_simulation  = { enabled = false }
onprem_cidrs       = ["192.168.0.0/20"]
# The on-premises link (modules/onprem-connectivity): here a Site-to-Site VPN from the data
# centre's device (replace the documentation address) to a virtual private gateway with BGP.
# Alternatives: vpn.gateway = "new_transit_gateway" / "transit_gateway" (+ transit_gateway),
# type = "transit_gateway" (an existing attachment), type = "direct_connect".
onprem_connectivity = {
  type = "vpn"
  vpn  = { customer_gateway_ip = "203.0.113.10", bgp_asn = 65000, routing = "bgp" }
}
s3_dns_mode                  = "inbound_resolver_private_dns"
ses_domain                   = "student-system.example.com"
sender_email                 = "noreply@student-system.example.com"
log_retention_days           = 365
deletion_protection          = { enabled = true }
point_in_time_recovery       = { enabled = true }
event_archive_retention_days = 30
ranking                      = { deploy_mode = "campaign", min_provisioned_tps = 1 }
alarm_email                  = "oncall@student-system.example.com"
# The account's SES rate out of the sandbox (aws sesv2 get-account: SendQuota.MaxSendRate); the
# notifier's concurrency cap (2 at 14/s) is reserved, the account's limit being above 10.
ses_sending = { ses_max_send_rate = 14, reserve_concurrency = true }
# Functions import their dependencies from the layer `make package` builds from
# lambda_src/requirements.txt (the pins the tests run). A number here deploys the AWS-managed
# Powertools layer of that version instead (not the tested pins; see envs/README.md).
powertools_layer_version = null
