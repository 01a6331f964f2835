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

variable "cidr_block" {
  description = "CIDR block of the example VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "azs" {
  description = "Availability Zones of the example VPC (the module requires at least two)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "private_subnet_cidrs" {
  description = "Explicit subnet CIDRs; empty computes them."
  type        = list(string)
  default     = []
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for computed subnets."
  type        = number
  default     = 8
}

variable "route_table_per_az" {
  description = "One route table per zone (true) or one shared (false)."
  type        = bool
  default     = true
}

variable "internet_gateway" {
  description = "Passed to the module."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "flow_logs" {
  description = "Flow log settings passed to the module."
  type = object({
    enabled           = optional(bool, true)
    retention_in_days = optional(number, 7)
    traffic_type      = optional(string, "ALL")
    kms_key_arn       = optional(string)
  })
  default = {}
}
