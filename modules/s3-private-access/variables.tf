variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev, prod), so environments never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 characters: a lowercase letter, then lowercase letters, digits or '-' (e.g. dev)."
  }
}

variable "vpc_id" {
  description = "ID of the existing VPC that receives the endpoints (DNS support and DNS hostnames must be on)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC (one of its associated blocks); clients in the VPC may reach the interface endpoint on 443."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR such as 10.0.0.0/16."
  }

  validation {
    condition     = try(tonumber(split("/", var.vpc_cidr)[1]) >= 8, false)
    error_message = "vpc_cidr must not be 0.0.0.0/0 or any prefix shorter than /8: give the VPC's own CIDR block."
  }
}

variable "subnet_ids" {
  description = "Private subnets, in at least two Availability Zones, for the interface endpoint's network interfaces; the first two also hold the inbound Resolver endpoint's IPs."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets in different Availability Zones: the interface endpoint and the Resolver inbound endpoint each need two."
  }

  validation {
    # Null entries (resources gone during a refresh) are not repeats.
    condition     = length(distinct(compact(var.subnet_ids))) == length(compact(var.subnet_ids))
    error_message = "subnet_ids must not repeat a subnet."
  }
}

variable "route_table_ids" {
  description = "Route tables of the VPC that get the S3 gateway endpoint route (in-VPC S3 traffic, free of charge)."
  type        = list(string)

  validation {
    condition     = length(var.route_table_ids) >= 1
    error_message = "route_table_ids must list at least one route table for the S3 gateway endpoint."
  }
}

variable "onprem_cidrs" {
  description = "On-premises networks allowed to reach the interface endpoint (TCP 443) and the inbound Resolver endpoint (TCP/UDP 53)."
  type        = list(string)

  validation {
    condition     = length(var.onprem_cidrs) >= 1
    error_message = "onprem_cidrs must list at least one on-premises CIDR (e.g. [\"172.16.0.0/16\"])."
  }

  validation {
    condition     = alltrue([for c in var.onprem_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "Every onprem_cidrs entry must be an IPv4 CIDR such as 172.16.0.0/16."
  }

  validation {
    condition     = alltrue([for c in var.onprem_cidrs : try(tonumber(split("/", c)[1]) >= 8, false)])
    error_message = "onprem_cidrs must not contain 0.0.0.0/0 (or any prefix shorter than /8): the endpoint security groups would be open to the world. List the on-premises network ranges instead."
  }
}

variable "dns_mode" {
  description = <<-EOT
    How on-premises clients resolve S3 names to the interface endpoint:
    - "private_hosted_zone": private DNS off; the module creates a private hosted zone s3.<region>.amazonaws.com with apex and wildcard alias records to the endpoint (the workshop's way). In-VPC S3 traffic then also uses the interface endpoint.
    - "inbound_resolver_private_dns": AWS-managed private DNS, answered with the endpoint IPs only for queries through an inbound Resolver endpoint; in-VPC traffic keeps using the gateway endpoint.
  EOT
  type        = string
  default     = "private_hosted_zone"

  validation {
    condition     = contains(["private_hosted_zone", "inbound_resolver_private_dns"], var.dns_mode)
    error_message = "dns_mode must be \"private_hosted_zone\" or \"inbound_resolver_private_dns\": set one of these two values."
  }
}

variable "allowed_bucket_arns" {
  description = "Buckets the endpoints may reach (endpoint policy). Empty allows only buckets owned by this account (aws:ResourceAccount), never every bucket. The demo bucket is added when listed buckets are given."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.allowed_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", arn))])
    error_message = "Every allowed_bucket_arns entry must be a bucket ARN such as arn:aws:s3:::my-bucket (no object paths or wildcards)."
  }
}

variable "endpoint_policy_actions" {
  description = "S3 actions the endpoint policy allows on the permitted buckets (explicit actions, no wildcards)."
  type        = list(string)
  default = [
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
  ]

  validation {
    condition     = length(var.endpoint_policy_actions) > 0 && alltrue([for a in var.endpoint_policy_actions : can(regex("^s3:[A-Za-z]+$", a))])
    error_message = "endpoint_policy_actions must list explicit S3 actions such as s3:GetObject (no '*' wildcards)."
  }
}

variable "inbound_resolver" {
  description = "The Route 53 Resolver inbound endpoint (two IPs in the first two subnets) that on-premises DNS forwards s3.<region>.amazonaws.com to."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "demo_bucket" {
  description = <<-EOT
    Optional demo bucket reachable only through the interface endpoint:
    - enabled: create it (default false);
    - name: bucket name (default <name_prefix>-s3-privatelink-demo-<account id>);
    - admin_principal_arns: IAM principals exempt from the "only through the endpoint" deny (the escape hatch; include the role that runs Terraform). Required when enabled is true;
    - allow_gateway_endpoint: also accept requests through the module's gateway endpoint (in-VPC traffic in dns_mode inbound_resolver_private_dns);
    - kms_key_arn: KMS key for SSE-KMS; null creates a CMK with rotation;
    - force_destroy: let destroy delete a non-empty bucket (lab use).
  EOT
  type = object({
    enabled                = optional(bool, false)
    name                   = optional(string)
    admin_principal_arns   = optional(list(string), [])
    allow_gateway_endpoint = optional(bool, true)
    kms_key_arn            = optional(string)
    force_destroy          = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.demo_bucket.name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.demo_bucket.name, "x")))
    error_message = "demo_bucket.name must be a valid bucket name: 3-63 lowercase letters, digits, '.' or '-'."
  }

  validation {
    condition     = alltrue([for arn in var.demo_bucket.admin_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:.+$", arn))])
    error_message = "Every demo_bucket.admin_principal_arns entry must be an IAM or STS principal ARN such as arn:aws:iam::123456789012:role/admin."
  }

  validation {
    condition     = var.demo_bucket.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.demo_bucket.kms_key_arn, "x")))
    error_message = "demo_bucket.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null to create one."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
