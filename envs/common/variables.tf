variable "project" {
  description = "Project name, used in default tags."
  type        = string
  default     = "student-platform"
}

variable "environment" {
  description = "Environment name; prefixes every resource name (dev, prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,11}$", var.environment))
    error_message = "environment must be 2-12 characters of lowercase letters, digits or '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
}

variable "availability_zones" {
  description = "Availability zones of the cloud VPC (at least two)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "availability_zones needs at least two zones."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the cloud VPC."
  type        = string
}

variable "onprem_cidrs" {
  description = "Real on-premises CIDRs allowed to reach the S3 endpoint and the inbound resolver (used when the on-prem simulation is off)."
  type        = list(string)
  default     = []
}

variable "onprem_simulation" {
  description = "Simulated on-premises site (the lab: a second VPC whose strongSwan instance is its VPN gateway and DNS server, over a Site-to-Site VPN to a virtual private gateway): enabled (the switch: off keeps the rest of the environment and uses onprem_cidrs), its CIDR, optionally a fixed AMI id, the instance type, and the tunnel keys' KMS key (modules/onprem-simulation kms_key; off by default here: the AWS managed aws/ssm key, no monthly charge)."
  type = object({
    enabled       = bool
    cidr_block    = optional(string, "172.16.0.0/16")
    ami_id        = optional(string)
    instance_type = optional(string, "t4g.nano")
    kms_key = optional(object({
      enabled = optional(bool, false)
      arn     = optional(string)
    }), {})
  })
  default = { enabled = false }
}

variable "onprem_connectivity" {
  description = "How the real on-premises network (onprem_cidrs) reaches the VPC, modules/onprem-connectivity's connectivity input: a Site-to-Site VPN (to a new virtual private gateway, a new or existing transit gateway; static or BGP), an existing transit gateway attachment, or a Direct Connect gateway association. null: none (only with the on-prem simulation, which has its own)."
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
  default = null

  validation {
    condition     = var.onprem_connectivity == null || !var.onprem_simulation.enabled
    error_message = "onprem_connectivity is for a real on-premises network: the on-prem simulation (onprem_simulation.enabled) brings its own VPN. Turn one of them off."
  }
  validation {
    condition     = var.onprem_connectivity == null || length(var.onprem_cidrs) > 0
    error_message = "onprem_connectivity needs onprem_cidrs, the on-premises networks to route to."
  }
}

variable "s3_dns_mode" {
  description = "How on-prem resolves S3 to the interface endpoint: private_hosted_zone or inbound_resolver_private_dns."
  type        = string
  default     = "private_hosted_zone"
}

variable "admin_principal_arns" {
  description = "Principals exempt from the demo bucket's endpoint-only policy; an empty list skips the demo bucket."
  type        = list(string)
  default     = []
}

variable "ses_domain" {
  description = "Domain verified in SES for sending (DKIM)."
  type        = string
}

variable "sender_email" {
  description = "Sender address of the notification emails."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 public zone of ses_domain for the DKIM records; null outputs the records to create instead."
  type        = string
  default     = null
}

variable "ses_configuration_set" {
  description = "Send through an SES configuration set (TLS required, reputation metrics, bounce/complaint events to SNS). Disabled only where SES cannot decode it (the local emulator)."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "ses_sending" {
  description = "The notifier's SES sending rate (modules/student-notifier `sending`): the account's SES maximum send rate (emails per second; 1 in the sandbox) from which the notifier's concurrency cap and per-invocation pace derive, and whether the cap is reserved concurrency (needs an account concurrency limit of cap + 10 or more: not on a new account)."
  type = object({
    ses_max_send_rate   = optional(number, 1)
    reserve_concurrency = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "ses_dkim_signing_key_length" {
  description = "Easy DKIM key length (RSA_2048_BIT); null leaves it to SES (the local emulator cannot decode the explicit setting)."
  type        = string
  default     = "RSA_2048_BIT"
}

variable "api_auth" {
  description = "Authorization of both HTTP APIs (publisher and ranking), one object: type AWS_IAM (default: SigV4-signed services with execute-api:Invoke), JWT (end users of an OIDC/Cognito issuer: jwt.issuer and jwt.audience required; jwt.scopes name the student/teacher/admin roles, default the bare role names) or NONE (every request refused with 401). Each API gets its own JWT authorizer of the same issuer and audience."
  type = object({
    type = optional(string, "AWS_IAM")
    jwt = optional(object({
      issuer   = string
      audience = list(string)
      scopes = optional(object({
        student = optional(string, "student")
        teacher = optional(string, "teacher")
        admin   = optional(string, "admin")
      }), {})
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["AWS_IAM", "JWT", "NONE"], var.api_auth.type)
    error_message = "api_auth.type must be AWS_IAM, JWT or NONE."
  }

  validation {
    condition     = var.api_auth.type != "JWT" || try(can(regex("^https://[^\\s]+$", var.api_auth.jwt.issuer)) && length(var.api_auth.jwt.audience) > 0, false)
    error_message = "api_auth.type = JWT needs api_auth.jwt with issuer (an https:// URL, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>) and audience (at least one client id)."
  }

  validation {
    condition     = var.api_auth.type == "JWT" || var.api_auth.jwt == null
    error_message = "api_auth.jwt is only used with api_auth.type = JWT: set the type or drop jwt."
  }
}

variable "bus_operator_role_arns" {
  description = "IAM roles (operators, CI) that may put any event type on the closed bus besides the publisher API and the pipeline, e.g. ranking.requestUpdate for a manual retraining."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of every log group."
  type        = number
}

variable "deletion_protection" {
  description = "Deletion protection on tables and no force-destroy on buckets."
  type = object({
    enabled = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "point_in_time_recovery" {
  description = "DynamoDB point-in-time recovery."
  type = object({
    enabled = optional(bool, true)
  })
  # Spelled out rather than {} so that Checkov can evaluate CKV_AWS_28 (PITR on).
  default  = { enabled = true }
  nullable = false
}

variable "event_archive_retention_days" {
  description = "Retention of the event bus archive (replay window)."
  type        = number
  default     = 7
}

variable "audit_queue" {
  description = "Route every event to an audit SQS queue (dev)."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "ranking" {
  description = "Ranking: deploy_mode batch (no always-on cost) or campaign, min_provisioned_tps for campaigns, the nightly schedule time zone, the Personalize recipe (one value for the pipeline and the API; ranking-pipeline validates it)."
  type = object({
    deploy_mode         = string
    min_provisioned_tps = optional(number, 1)
    schedule_timezone   = optional(string, "Asia/Ho_Chi_Minh")
    recipe              = optional(string, "aws-user-personalization-v2")
  })
}

variable "powertools_layer_version" {
  description = "Optional alternative to the dependency layer built by `make package`: a version of the AWS-managed Powertools for AWS Lambda (Python) v3 layer (python3.13, x86_64) that every function uses instead (the built layer is then not published). null (default) deploys the built layer, whose pins are the ones the tests run."
  type        = number
  default     = null

  validation {
    condition     = var.powertools_layer_version == null || try(var.powertools_layer_version >= 1 && floor(var.powertools_layer_version) == var.powertools_layer_version, false)
    error_message = "powertools_layer_version must be null (the built layer) or a whole layer version number from 1."
  }
}

variable "alarm_email" {
  description = "Address that receives CloudWatch alarms (DLQ depth, Lambda errors); null disables alarms."
  type        = string
  default     = null
}
