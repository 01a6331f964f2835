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
  description = "Who may call POST /events/{type}: AWS_IAM (default: SigV4-signed callers with execute-api:Invoke), JWT (an OIDC/Cognito issuer) or NONE (public: anyone may publish, only for demos)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["NONE", "AWS_IAM", "JWT"], var.authorization_type)
    error_message = "authorization_type must be NONE, AWS_IAM or JWT."
  }
}

variable "jwt_issuer" {
  description = "JWT issuer URL (https://...), required when authorization_type = JWT, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>."
  type        = string
  default     = null

  validation {
    condition     = var.jwt_issuer == null || can(regex("^https://[^\\s]+$", var.jwt_issuer))
    error_message = "jwt_issuer must be an https:// URL."
  }

  validation {
    condition     = var.authorization_type != "JWT" || var.jwt_issuer != null
    error_message = "authorization_type = JWT needs jwt_issuer (the token issuer URL) and jwt_audience."
  }
}

variable "jwt_audience" {
  description = "Accepted JWT audiences (client ids), required when authorization_type = JWT."
  type        = list(string)
  default     = []

  validation {
    condition     = var.authorization_type != "JWT" || length(var.jwt_audience) > 0
    error_message = "authorization_type = JWT needs jwt_audience (at least one audience / client id) and jwt_issuer."
  }
}

variable "throttling_burst_limit" {
  description = "Default route burst limit (requests)."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number of at least 1."
  }
}

variable "throttling_rate_limit" {
  description = "Default route steady-state rate limit (requests per second)."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be greater than 0."
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

variable "create_kms_key" {
  description = "Create a customer managed KMS key (with rotation) for the log groups and the function environment when kms_key_arn is null."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Existing customer managed KMS key for the log groups and environment; its key policy must allow logs.<region>.amazonaws.com."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "layers" {
  description = "Lambda layer ARNs: the dependency layer (modules/lambda-layer) with Powertools and fastjsonschema (the package does not bundle them)."
  type        = list(string)
  default     = []
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
