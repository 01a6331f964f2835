variable "name_prefix" {
  description = "Environment prefix of every name (e.g. dev, prod), so that environments sharing an account never collide."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits and '-', start with a letter and not end with '-' (e.g. dev, prod)."
  }
}

variable "package_path" {
  description = "Path to the publisher package built from lambda_src/publisher (build/lambda/publisher.zip)."
  type        = string
}

variable "handler" {
  description = "Handler of the publisher."
  type        = string
  default     = "publisher.app.lambda_handler"
}

variable "event_bus_name" {
  description = "Name of the bus the publisher puts events on (EVENT_BUS_NAME)."
  type        = string

  validation {
    # null only appears while the bus is being deleted out of band (a refresh); the provider rejects it.
    condition     = var.event_bus_name == null || can(regex("^[A-Za-z0-9._/-]{1,256}$", var.event_bus_name))
    error_message = "event_bus_name must be an event bus name (1-256 letters, digits, '.', '_', '-', '/')."
  }
}

variable "event_bus_arn" {
  description = "ARN of that bus: the only resource of the publisher's events:PutEvents permission."
  type        = string

  validation {
    condition     = var.event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/.+$", var.event_bus_arn))
    error_message = "event_bus_arn must be an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)."
  }
}

variable "authorization_type" {
  description = "Who may call the POST /events/<type> routes: AWS_IAM (default: SigV4-signed services with execute-api:Invoke on the routes their policy names), JWT (end users of an OIDC/Cognito issuer, per-route scopes, acting as the token's sub) or NONE (no identity: the function refuses every request with 401)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["NONE", "AWS_IAM", "JWT"], var.authorization_type)
    error_message = "authorization_type must be NONE, AWS_IAM or JWT."
  }
}

variable "jwt" {
  description = "JWT authorizer of the routes, required when authorization_type = JWT (ignored otherwise): token `issuer` (https://..., e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>), accepted `audience` (client ids), authorizer `name` (default `<prefix>-jwt`), `identity_sources` (default the Authorization header) and the OAuth `scopes` naming the roles (student.* routes need student or admin, teacher.sendAnnouncement teacher or admin; e.g. a Cognito resource server's `platform/student`)."
  type = object({
    issuer           = string
    audience         = list(string)
    name             = optional(string)
    identity_sources = optional(list(string), ["$request.header.Authorization"])
    scopes = optional(object({
      student = optional(string, "student")
      teacher = optional(string, "teacher")
      admin   = optional(string, "admin")
    }), {})
  })
  default = null

  validation {
    condition     = var.jwt == null || can(regex("^https://[^\\s]+$", var.jwt.issuer))
    error_message = "jwt.issuer must be an https:// URL."
  }

  validation {
    condition     = var.authorization_type != "JWT" || try(var.jwt.issuer != null, false)
    error_message = "authorization_type = JWT needs jwt.issuer (the token issuer URL) and jwt.audience."
  }

  validation {
    condition     = var.jwt == null || alltrue([for s in values(try(var.jwt.scopes, {})) : can(regex("^[!#-\\[\\]-~]{1,256}$", s))])
    error_message = "jwt.scopes values must be OAuth scope strings (1-256 printable ASCII characters, no space, quote or backslash)."
  }

  validation {
    condition     = var.authorization_type != "JWT" || try(length(var.jwt.audience) > 0, false)
    error_message = "authorization_type = JWT needs jwt.audience (at least one audience / client id) and jwt.issuer."
  }
}

variable "throttling" {
  description = "Default route throttling: burst limit (requests) and steady-state rate limit (requests per second)."
  type = object({
    burst_limit = optional(number, 50)
    rate_limit  = optional(number, 100)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.throttling.burst_limit >= 1 && floor(var.throttling.burst_limit) == var.throttling.burst_limit
    error_message = "throttling.burst_limit must be a whole number of at least 1."
  }

  validation {
    condition     = var.throttling.rate_limit > 0
    error_message = "throttling.rate_limit must be greater than 0."
  }
}

variable "log_retention_days" {
  description = "Retention of the access log group and the function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key" {
  description = "Customer managed KMS key for the log groups and the function environment. enabled with arn null creates one (with rotation; deletion_window_in_days applies to it); arn uses an existing key, whose key policy must allow logs.<region>.amazonaws.com. enabled = false uses AWS owned keys."
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

variable "layers" {
  description = "Lambda layer ARNs: the dependency layer (modules/lambda-layer) with Powertools and fastjsonschema (the package does not bundle them)."
  type        = list(string)
  default     = []
}

variable "idempotency" {
  description = "Idempotency-Key records (a DynamoDB table encrypted with the module's key): how long a key is remembered (`ttl_seconds`, 1 h to 7 days; a client retrying with the same key within it publishes nothing twice) and the table's deletion protection."
  type = object({
    ttl_seconds         = optional(number, 86400)
    deletion_protection = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.idempotency.ttl_seconds >= 3600 && var.idempotency.ttl_seconds <= 604800 && floor(var.idempotency.ttl_seconds) == var.idempotency.ttl_seconds
    error_message = "idempotency.ttl_seconds must be a whole number of seconds from 3600 (1 h) to 604800 (7 days)."
  }
}

variable "publish_max_attempts" {
  description = "PutEvents attempts for entries that failed (PUBLISH_MAX_ATTEMPTS of the publisher)."
  type        = number
  default     = 3

  validation {
    condition     = var.publish_max_attempts >= 1 && var.publish_max_attempts <= 10
    error_message = "publish_max_attempts must be between 1 and 10."
  }
}

variable "timeout" {
  description = "Function timeout in seconds (below the HTTP API's 30 s integration limit)."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 29
    error_message = "timeout must be 1-29 seconds: the HTTP API integration times out at 30 s."
  }
}

variable "tags" {
  description = "Tags for every taggable resource of the module."
  type        = map(string)
  default     = {}
}
