variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev, prod), so that environments sharing an account never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits and '-', start with a letter and not end with '-' (e.g. dev, prod)."
  }
}

variable "domain" {
  description = "Sending domain verified with Easy DKIM, e.g. mail.example.edu.vn."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "domain must be a lowercase DNS name such as mail.example.edu.vn (no scheme, no trailing dot)."
  }
}

variable "sender_email" {
  description = "From address of the platform's emails, verified as its own identity (ideally at var.domain)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$", var.sender_email))
    error_message = "sender_email must be a valid email address such as no-reply@mail.example.edu.vn."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of var.domain. When set, the DKIM (and MAIL FROM) records are created; when null they are only output (dkim_records) for whoever runs the DNS."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[A-Z0-9]{1,32}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ."
  }
}

variable "dns_records" {
  description = "DKIM / MAIL FROM records in route53_zone_id, with ttl (seconds). enabled null means \"when route53_zone_id is set\"; set it explicitly (true) when the zone id comes from a resource of the same configuration, whose id is unknown until apply."
  type = object({
    enabled = optional(bool)
    ttl     = optional(number, 1800)
  })
  default  = {}
  nullable = false
}

variable "dkim_signing_key_length" {
  description = "Easy DKIM key length: RSA_2048_BIT (recommended) or RSA_1024_BIT; null leaves the SES default."
  type        = string
  default     = "RSA_2048_BIT"

  validation {
    condition     = var.dkim_signing_key_length == null ? true : contains(["RSA_1024_BIT", "RSA_2048_BIT"], var.dkim_signing_key_length)
    error_message = "dkim_signing_key_length must be RSA_1024_BIT or RSA_2048_BIT."
  }
}

variable "mail_from_subdomain" {
  description = "Optional custom MAIL FROM subdomain (e.g. \"bounce\" gives bounce.<domain>) for SPF alignment; with route53_zone_id its MX and SPF records are created."
  type        = string
  default     = null

  validation {
    condition     = var.mail_from_subdomain == null || can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.mail_from_subdomain))
    error_message = "mail_from_subdomain must be a single DNS label such as bounce."
  }
}

variable "configuration_set" {
  description = "The SES configuration set. enabled = false uses an existing one named name (e.g. managed account-wide), or none when that is null; event_destination must then be none. name null gives <name_prefix>-student-email when the module creates it. event_destination: where bounce/complaint events go: sns (a KMS-encrypted topic created here), eventbridge (the account's default event bus, the only bus SES can target) or none. event_types: SES event types sent to the event destination."
  type = object({
    enabled           = optional(bool, true)
    name              = optional(string)
    event_destination = optional(string, "sns")
    event_types       = optional(list(string), ["BOUNCE", "COMPLAINT"])
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.configuration_set.name == null || can(regex("^[A-Za-z0-9_-]{1,64}$", var.configuration_set.name))
    error_message = "configuration_set.name must be 1-64 letters, digits, '_' or '-'."
  }

  validation {
    condition     = contains(["sns", "eventbridge", "none"], var.configuration_set.event_destination)
    error_message = "configuration_set.event_destination must be sns, eventbridge or none."
  }

  validation {
    condition     = length(var.configuration_set.event_types) > 0 && alltrue([for t in var.configuration_set.event_types : contains(["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"], t)])
    error_message = "configuration_set.event_types must be a non-empty list of SEND, REJECT, BOUNCE, COMPLAINT, DELIVERY, OPEN, CLICK, RENDERING_FAILURE, DELIVERY_DELAY or SUBSCRIPTION."
  }
}

variable "kms_key" {
  description = "Customer managed KMS key for the SNS topic (configuration_set.event_destination = sns). enabled with arn null creates one (with rotation; deletion_window_in_days applies to it); arn uses an existing key, whose key policy must let ses.amazonaws.com call kms:GenerateDataKey and kms:Decrypt. SES cannot publish to a topic encrypted with the AWS managed alias/aws/sns key, so enabled = false fails for event_destination = sns."
  type = object({
    enabled                 = optional(bool, true)
    arn                     = optional(string)
    deletion_window_in_days = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.kms_key.arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key.arn))
    error_message = "kms_key.arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = var.kms_key.enabled || var.kms_key.arn == null
    error_message = "kms_key.arn must be null when kms_key.enabled = false."
  }

  validation {
    condition     = var.kms_key.deletion_window_in_days >= 7 && var.kms_key.deletion_window_in_days <= 30 && floor(var.kms_key.deletion_window_in_days) == var.kms_key.deletion_window_in_days
    error_message = "kms_key.deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
