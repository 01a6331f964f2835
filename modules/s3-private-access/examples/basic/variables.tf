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

variable "vpc_cidr" {
  description = "CIDR of the example's cloud VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "azs" {
  description = "Availability Zones of the example VPC."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "subnet_count" {
  description = "How many of the VPC's subnets to give the endpoint (null: all of them)."
  type        = number
  default     = null
}

variable "onprem_cidrs" {
  description = "On-premises networks allowed to reach the endpoints."
  type        = list(string)
  default     = ["172.16.0.0/16"]
}

variable "dns_mode" {
  description = "private_hosted_zone or inbound_resolver_private_dns."
  type        = string
  default     = "private_hosted_zone"
}

variable "allowed_bucket_arns" {
  description = "Buckets the endpoint policy allows; empty allows only this account's buckets."
  type        = list(string)
  default     = []
}

variable "inbound_resolver" {
  description = "Passed to the module."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "demo_bucket" {
  description = "The module's demo bucket (enabled by default in this example)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "demo_bucket_admin_principal_arns" {
  description = "Admin principals of the demo bucket; null uses the identity running Terraform."
  type        = list(string)
  default     = null
}
