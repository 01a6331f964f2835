variable "region" {
  description = "AWS region to deploy the example into."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Environment prefix for every name, e.g. prod."
  type        = string
  default     = "example"
}

variable "onprem_cidrs" {
  description = "On-premises CIDRs routed to the gateway."
  type        = list(string)
  default     = ["192.168.0.0/20", "192.168.16.0/20"]
}

variable "connectivity" {
  description = "The module's connectivity input (see its README); by default a VPN to a virtual private gateway with static routing."
  type        = any
  default = {
    type = "vpn"
    vpn  = { customer_gateway_ip = "203.0.113.10" }
  }
}
