variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev, prod), so environments never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 characters: a lowercase letter, then lowercase letters, digits or '-' (e.g. dev)."
  }
}

variable "name" {
  description = "Name of the network inside the environment (e.g. cloud, onprem); resources are named <name_prefix>-<name>-..."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name))
    error_message = "name must be 1-30 characters: a lowercase letter, then lowercase letters, digits or '-'."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC, /16 to /24 (e.g. 10.0.0.0/16)."
  type        = string

  validation {
    condition = (
      can(cidrhost(var.cidr_block, 0)) &&
      can(regex("^[0-9.]+/[0-9]+$", var.cidr_block)) &&
      try(tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24, false)
    )
    error_message = "cidr_block must be an IPv4 CIDR between /16 and /24, e.g. 10.0.0.0/16."
  }

  validation {
    condition     = try(cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0], false)
    error_message = "cidr_block must be a network address (host bits zero), e.g. 10.0.0.0/16 rather than 10.0.1.0/16."
  }
}

variable "azs" {
  description = "Availability Zones of the private subnets, one subnet per zone (at least two, e.g. [\"us-east-1a\", \"us-east-1b\"]). The order decides each computed subnet CIDR: append zones, do not reorder."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2
    error_message = "azs must list at least two Availability Zones (e.g. [\"us-east-1a\", \"us-east-1b\"]): interface and Resolver endpoints need two zones for availability."
  }

  validation {
    condition     = length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must not repeat a zone: list each Availability Zone once."
  }

  validation {
    condition     = alltrue([for az in var.azs : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$", az))])
    error_message = "Every entry of azs must be an Availability Zone name such as us-east-1a (not a zone ID such as use1-az1)."
  }
}

variable "private_subnet_cidrs" {
  description = "Explicit CIDR of each private subnet, in the order of azs. Empty computes them with cidrsubnet(cidr_block, subnet_newbits, index)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "Every private_subnet_cidrs entry must be an IPv4 CIDR such as 10.0.1.0/24."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each computed subnet (8 turns a /16 into /24 subnets). Ignored when private_subnet_cidrs is set."
  type        = number
  default     = 8

  validation {
    condition     = var.subnet_newbits >= 1 && var.subnet_newbits <= 12 && floor(var.subnet_newbits) == var.subnet_newbits
    error_message = "subnet_newbits must be a whole number between 1 and 12."
  }
}

variable "route_table_per_az" {
  description = "true: one route table per Availability Zone (zonal routes, e.g. a per-zone appliance); false: one route table shared by every subnet."
  type        = bool
  default     = true
}

variable "internet_gateway" {
  description = "An internet gateway and a 0.0.0.0/0 route to it in every route table. Disabled by default: the subnets stay private. No subnet auto-assigns public IPs either way."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "flow_logs" {
  description = "VPC flow logs to an encrypted CloudWatch log group. kms_key_arn null makes the module create a CMK with rotation."
  type = object({
    enabled           = optional(bool, true)
    retention_in_days = optional(number, 90)
    traffic_type      = optional(string, "ALL")
    kms_key_arn       = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs.retention_in_days)
    error_message = "flow_logs.retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_logs.traffic_type)
    error_message = "flow_logs.traffic_type must be ACCEPT, REJECT or ALL."
  }

  validation {
    condition     = var.flow_logs.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.flow_logs.kms_key_arn))
    error_message = "flow_logs.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null to create one."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
