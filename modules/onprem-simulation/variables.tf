variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev), so environments never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 characters: a lowercase letter, then lowercase letters, digits or '-' (e.g. dev)."
  }
}

variable "cidr_block" {
  description = "CIDR of the simulated data centre (the on-premises VPC), /16 to /24; must not overlap cloud_vpc_cidr."
  type        = string
  default     = "172.16.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.cidr_block))
    error_message = "cidr_block must be an IPv4 CIDR such as 172.16.0.0/16."
  }
}

variable "azs" {
  description = "Availability Zones of the on-premises VPC (at least two, like a data centre with two rooms; the instance lives in the first)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2
    error_message = "azs must list at least two Availability Zones (e.g. [\"us-east-1a\", \"us-east-1b\"])."
  }
}

variable "cloud_vpc_id" {
  description = "ID of the cloud VPC (where the S3 interface endpoint lives); the virtual private gateway is attached to it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.cloud_vpc_id))
    error_message = "cloud_vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "cloud_vpc_cidr" {
  description = "CIDR of the cloud VPC: routed through the VPN from on-premises."
  type        = string

  validation {
    condition     = can(cidrhost(var.cloud_vpc_cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.cloud_vpc_cidr))
    error_message = "cloud_vpc_cidr must be an IPv4 CIDR such as 10.0.0.0/16."
  }
}

variable "cloud_route_table_ids" {
  description = "Cloud VPC route tables that get a route to the on-premises CIDR through the virtual private gateway, keyed by a name known at plan (e.g. modules/vpc output route_table_ids_by_key)."
  type        = map(string)
}

variable "inbound_resolver_ips" {
  description = "IPs of the cloud VPC's Route 53 Resolver inbound endpoint: where the instance's DNS server forwards s3.<region>.amazonaws.com (e.g. modules/s3-private-access output inbound_resolver_ips)."
  type        = list(string)

  validation {
    condition     = length(var.inbound_resolver_ips) >= 1
    error_message = "inbound_resolver_ips must list at least one inbound Resolver endpoint IP (two for availability)."
  }
}

variable "ami_id" {
  description = "AMI of the VPN instance. Null reads the latest Amazon Linux 2023 AMI from the public SSM parameter."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]+$", coalesce(var.ami_id, "x")))
    error_message = "ami_id must be an AMI ID such as ami-0123456789abcdef0, or null for the latest Amazon Linux 2023."
  }
}

variable "ami_ssm_parameter" {
  description = "Public SSM parameter holding the AMI used when ami_id is null; null picks Amazon Linux 2023 for the instance type's architecture (arm64 for Graviton types such as t4g)."
  type        = string
  default     = null
}

variable "instance_type" {
  description = "Instance type of the strongSwan VPN instance (t4g.nano: the cheapest that runs it; the AMI follows its architecture)."
  type        = string
  default     = "t4g.nano"
}

variable "root_volume_size" {
  description = "Size in GiB of the instance's encrypted gp3 root volume (at least the AMI's snapshot: 8 for Amazon Linux 2023)."
  type        = number
  default     = 8

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 100 && floor(var.root_volume_size) == var.root_volume_size
    error_message = "root_volume_size must be a whole number of GiB between 8 and 100."
  }
}

variable "vpn_routing" {
  description = "\"static\": static routes (a VPN connection route for cidr_block, default); \"bgp\": dynamic routing (the instance then needs a BGP speaker, which the user data does not configure)."
  type        = string
  default     = "static"

  validation {
    condition     = contains(["static", "bgp"], var.vpn_routing)
    error_message = "vpn_routing must be \"static\" or \"bgp\"."
  }
}

variable "customer_bgp_asn" {
  description = "BGP ASN of the customer gateway (the simulated data centre)."
  type        = number
  default     = 65000

  validation {
    condition     = var.customer_bgp_asn >= 1 && var.customer_bgp_asn <= 4294967294 && floor(var.customer_bgp_asn) == var.customer_bgp_asn
    error_message = "customer_bgp_asn must be a whole number between 1 and 4294967294."
  }
}

variable "amazon_side_asn" {
  description = "Private ASN of the virtual private gateway."
  type        = number
  default     = 64512

  validation {
    condition = floor(var.amazon_side_asn) == var.amazon_side_asn && (
      (var.amazon_side_asn >= 64512 && var.amazon_side_asn <= 65534) ||
      (var.amazon_side_asn >= 4200000000 && var.amazon_side_asn <= 4294967294)
    )
    error_message = "amazon_side_asn must be a private ASN: 64512-65534 or 4200000000-4294967294."
  }
}

variable "strongswan_version" {
  description = "strongSwan release built from source at boot when the distribution has no strongswan package (Amazon Linux 2023 has none)."
  type        = string
  default     = "5.9.14"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.strongswan_version))
    error_message = "strongswan_version must look like 5.9.14."
  }
}

variable "strongswan_source_sha256" {
  description = "SHA-256 of the strongSwan source tarball; when set, the boot script refuses a tarball that does not match. Set it outside labs."
  type        = string
  default     = null

  validation {
    condition     = var.strongswan_source_sha256 == null || can(regex("^[0-9a-f]{64}$", coalesce(var.strongswan_source_sha256, "x")))
    error_message = "strongswan_source_sha256 must be 64 lowercase hex characters, or null."
  }
}

variable "flow_logs" {
  description = "VPC flow logs of the simulated data centre, passed to modules/vpc's flow_logs (a KMS key and a log group; disabled by default for this short-lived lab). kms_key_arn null makes the vpc module create a CMK with rotation."
  type = object({
    enabled           = optional(bool, false)
    retention_in_days = optional(number, 90)
    traffic_type      = optional(string, "ALL")
    kms_key_arn       = optional(string)
  })
  default  = {}
  nullable = false
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}

variable "kms_key" {
  description = "Encryption of the tunnel keys' SecureString parameter: enabled with arn null creates a customer managed key, with arn uses that key; enabled = false uses the AWS managed key aws/ssm (no monthly key charge, the envs/dev lab)."
  type = object({
    enabled                 = optional(bool, true)
    arn                     = optional(string)
    deletion_window_in_days = optional(number, 7)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.kms_key.enabled || var.kms_key.arn == null
    error_message = "kms_key.arn is only used with kms_key.enabled = true."
  }
  validation {
    condition     = var.kms_key.deletion_window_in_days >= 7 && var.kms_key.deletion_window_in_days <= 30
    error_message = "kms_key.deletion_window_in_days must be between 7 and 30."
  }
}
