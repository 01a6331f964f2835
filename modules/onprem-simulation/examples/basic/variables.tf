variable "region" {
  description = "AWS region to deploy the example into."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Environment prefix for every name, e.g. dev."
  type        = string
  default     = "example"
}

variable "cloud_cidr" {
  description = "CIDR of the cloud VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "onprem_cidr" {
  description = "CIDR of the simulated data centre (must not overlap cloud_cidr)."
  type        = string
  default     = "172.16.0.0/16"
}

variable "azs" {
  description = "Availability Zones of both VPCs."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "dns_mode" {
  description = "DNS mode of the S3 interface endpoint."
  type        = string
  default     = "inbound_resolver_private_dns"
}

variable "vpn_routing" {
  description = "static or bgp."
  type        = string
  default     = "static"
}

variable "ami_id" {
  description = "AMI of the VPN instance; null reads the latest Amazon Linux 2023 from SSM."
  type        = string
  default     = null
}
