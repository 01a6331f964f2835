variable "name_prefix" {
  description = "Environment prefix of every name (e.g. prod); resources are named <name_prefix>-onprem."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 characters: a lowercase letter, then lowercase letters, digits or '-' (e.g. prod)."
  }
}

variable "vpc_id" {
  description = "ID of the cloud VPC that on-premises reaches."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the cloud VPC (the prefix a Direct Connect gateway association advertises by default)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR such as 10.0.0.0/16."
  }
}

variable "subnet_ids" {
  description = "Cloud VPC subnets for a transit gateway VPC attachment (one per Availability Zone); unused with a virtual private gateway."
  type        = list(string)
  default     = []
}

variable "route_table_ids" {
  description = "Every private route table of the cloud VPC, keyed by a name known at plan (modules/vpc output route_table_ids_by_key): each gets a route per onprem_cidrs entry."
  type        = map(string)
}

variable "onprem_cidrs" {
  description = "On-premises IPv4 CIDRs routed from the cloud VPC to the gateway (and, with static VPN routing, into the VPN)."
  type        = list(string)

  validation {
    condition     = length(var.onprem_cidrs) >= 1 && alltrue([for cidr in var.onprem_cidrs : can(cidrhost(cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", cidr))])
    error_message = "onprem_cidrs must list at least one IPv4 CIDR such as 192.168.0.0/20."
  }
}

variable "connectivity" {
  description = <<-EOT
    How on-premises reaches the VPC; one of:
    - type = "vpn": a Site-to-Site VPN. vpn.customer_gateway_ip (the on-premises public IPv4), vpn.bgp_asn (65000),
      vpn.routing "static" (default; a route per onprem_cidrs entry into the VPN) or "bgp", vpn.gateway "vpn_gateway"
      (default: a virtual private gateway on the VPC, no hourly charge), "new_transit_gateway" (a transit gateway and
      the VPC's attachment to it), or "transit_gateway" (an existing one: transit_gateway.id, plus
      transit_gateway.route_table_id for static routing).
    - type = "transit_gateway": attach the VPC to an existing transit gateway (transit_gateway.id) that already
      reaches on-premises (its VPN or Direct Connect is managed elsewhere).
    - type = "direct_connect": a virtual private gateway on the VPC associated with an existing Direct Connect gateway
      (direct_connect.gateway_id), advertising direct_connect.allowed_prefixes (default: the VPC CIDR).
    amazon_side_asn: private ASN of a gateway created here (64512).
  EOT
  type = object({
    type = string
    vpn = optional(object({
      customer_gateway_ip = string
      bgp_asn             = optional(number, 65000)
      routing             = optional(string, "static")
      gateway             = optional(string, "vpn_gateway")
    }))
    transit_gateway = optional(object({
      id             = string
      route_table_id = optional(string)
    }))
    direct_connect = optional(object({
      gateway_id       = string
      allowed_prefixes = optional(list(string))
    }))
    amazon_side_asn = optional(number, 64512)
  })

  validation {
    condition     = contains(["vpn", "transit_gateway", "direct_connect"], var.connectivity.type)
    error_message = "connectivity.type must be \"vpn\", \"transit_gateway\" or \"direct_connect\"."
  }
  validation {
    condition     = (var.connectivity.type == "vpn") == (var.connectivity.vpn != null)
    error_message = "connectivity.vpn is required with type = \"vpn\" and conflicts with the other types."
  }
  validation {
    condition     = (var.connectivity.type == "direct_connect") == (var.connectivity.direct_connect != null)
    error_message = "connectivity.direct_connect is required with type = \"direct_connect\" and conflicts with the other types."
  }
  validation {
    condition = (var.connectivity.transit_gateway != null) == (
      var.connectivity.type == "transit_gateway" || try(var.connectivity.vpn.gateway, "") == "transit_gateway"
    )
    error_message = "connectivity.transit_gateway (an existing transit gateway) is required with type = \"transit_gateway\" or vpn.gateway = \"transit_gateway\", and conflicts with everything else."
  }
  validation {
    condition     = var.connectivity.vpn == null || contains(["static", "bgp"], try(var.connectivity.vpn.routing, ""))
    error_message = "connectivity.vpn.routing must be \"static\" or \"bgp\"."
  }
  validation {
    condition     = var.connectivity.vpn == null || contains(["vpn_gateway", "new_transit_gateway", "transit_gateway"], try(var.connectivity.vpn.gateway, ""))
    error_message = "connectivity.vpn.gateway must be \"vpn_gateway\", \"new_transit_gateway\" or \"transit_gateway\"."
  }
  validation {
    condition = !(
      try(var.connectivity.vpn.gateway, "") == "transit_gateway" && try(var.connectivity.vpn.routing, "") == "static" &&
      try(var.connectivity.transit_gateway.route_table_id, null) == null
    )
    error_message = "Static VPN routing on an existing transit gateway needs connectivity.transit_gateway.route_table_id (where the on-premises routes go)."
  }
  validation {
    condition     = try(var.connectivity.vpn.bgp_asn, 65000) >= 1 && try(var.connectivity.vpn.bgp_asn, 65000) <= 4294967294
    error_message = "connectivity.vpn.bgp_asn must be between 1 and 4294967294."
  }
  validation {
    condition = floor(var.connectivity.amazon_side_asn) == var.connectivity.amazon_side_asn && (
      (var.connectivity.amazon_side_asn >= 64512 && var.connectivity.amazon_side_asn <= 65534) ||
      (var.connectivity.amazon_side_asn >= 4200000000 && var.connectivity.amazon_side_asn <= 4294967294)
    )
    error_message = "connectivity.amazon_side_asn must be a private ASN: 64512-65534 or 4200000000-4294967294."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
