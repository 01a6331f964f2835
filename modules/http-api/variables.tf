variable "name" {
  description = "Name of the HTTP API (also the default of the access log group name and of the Lambda permissions' statement ids)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$", var.name))
    error_message = "name must be 1-128 letters, digits, '_' or '-', starting with a letter or digit."
  }
}

variable "description" {
  description = "Description of the API."
  type        = string
  default     = null
}

variable "routes" {
  description = <<-EOT
    Routes by route key (`METHOD /path/{param}`, `ANY /path` or `$default`), all integrated with
    the one Lambda function: `authorization_type` AWS_IAM (default: SigV4-signed callers with
    execute-api:Invoke), JWT (needs `jwt`) or NONE (public); `authorization_scopes` (JWT
    routes only: the token must carry at least one of them; empty: any valid token);
    `permission_statement_id` names the Lambda permission letting API Gateway invoke the
    function from this route only (default `<name>-<method>-<path>`).
  EOT
  type = map(object({
    authorization_type      = optional(string, "AWS_IAM")
    authorization_scopes    = optional(list(string), [])
    permission_statement_id = optional(string)
  }))

  validation {
    condition     = length(var.routes) > 0
    error_message = "routes needs at least one route."
  }

  validation {
    condition     = alltrue([for k in keys(var.routes) : can(regex("^(\\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /[^ ]*)$", k))])
    error_message = "routes keys must be route keys: \"METHOD /path\" (ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) or \"$default\"."
  }

  validation {
    condition     = alltrue([for r in values(var.routes) : contains(["NONE", "AWS_IAM", "JWT"], r.authorization_type)])
    error_message = "routes[*].authorization_type must be NONE, AWS_IAM or JWT."
  }

  validation {
    condition     = alltrue([for r in values(var.routes) : length(r.authorization_scopes) == 0 || r.authorization_type == "JWT"])
    error_message = "routes[*].authorization_scopes apply to JWT routes only (AWS_IAM routes are scoped by the callers' IAM policies)."
  }

  validation {
    condition     = alltrue([for r in values(var.routes) : alltrue([for s in r.authorization_scopes : can(regex("^[!#-\\[\\]-~]{1,256}$", s))])])
    error_message = "routes[*].authorization_scopes must be OAuth scope strings (1-256 printable ASCII characters, no space, quote or backslash)."
  }

  validation {
    condition     = alltrue([for r in values(var.routes) : r.permission_statement_id == null || can(regex("^[A-Za-z0-9_-]{1,100}$", r.permission_statement_id))])
    error_message = "routes[*].permission_statement_id must be 1-100 letters, digits, '_' or '-'."
  }
}

variable "lambda" {
  description = "The Lambda function behind every route (AWS_PROXY, payload format 2.0): its name (for the permissions), its ARN or invoke ARN (`integration_uri`) and how long API Gateway waits for it (50-30000 ms)."
  type = object({
    function_name        = string
    integration_uri      = string
    timeout_milliseconds = optional(number, 30000)
  })

  validation {
    condition     = var.lambda.timeout_milliseconds >= 50 && var.lambda.timeout_milliseconds <= 30000 && floor(var.lambda.timeout_milliseconds) == var.lambda.timeout_milliseconds
    error_message = "lambda.timeout_milliseconds must be a whole number from 50 to 30000 (the HTTP API integration limit)."
  }
}

variable "jwt" {
  description = "JWT authorizer for the routes with authorization_type JWT: token `issuer` (https:// URL, e.g. a Cognito user pool), accepted `audience` (client ids), authorizer `name` (default `<name>-jwt`) and `identity_sources`. Null: no authorizer."
  type = object({
    issuer           = string
    audience         = list(string)
    name             = optional(string)
    identity_sources = optional(list(string), ["$request.header.Authorization"])
  })
  default = null

  validation {
    condition     = var.jwt == null || can(regex("^https://[^\\s]+$", var.jwt.issuer))
    error_message = "jwt.issuer must be an https:// URL."
  }

  validation {
    condition     = var.jwt == null || try(length(var.jwt.audience) > 0, false)
    error_message = "jwt.audience needs at least one audience (client id)."
  }

  validation {
    condition     = var.jwt != null || alltrue([for r in values(var.routes) : r.authorization_type != "JWT"])
    error_message = "Routes with authorization_type JWT need jwt (issuer and audience)."
  }
}

variable "access_log" {
  description = "Access logs of the $default stage (JSON lines): log group name (default `/aws/vendedlogs/apigateway/<name>`), retention, customer managed key (null: CloudWatch Logs' default encryption; its key policy must admit logs.<region>.amazonaws.com for this log group) and the format's fields (default: request, caller, route, status, latency and error fields)."
  type = object({
    log_group_name    = optional(string)
    retention_in_days = optional(number, 30)
    kms_key_arn       = optional(string)
    format            = optional(map(string))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.access_log.log_group_name == null || can(regex("^[A-Za-z0-9_/.#-]{1,512}$", coalesce(var.access_log.log_group_name, "-")))
    error_message = "access_log.log_group_name must be 1-512 letters, digits, '_', '/', '.', '#' or '-'."
  }

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.access_log.retention_in_days)
    error_message = "access_log.retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }

  validation {
    condition     = var.access_log.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.access_log.kms_key_arn, "-")))
    error_message = "access_log.kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = var.access_log.format == null || try(length(var.access_log.format) > 0 && alltrue([for v in values(var.access_log.format) : startswith(v, "$context.")]), false)
    error_message = "access_log.format must map field names to $context. variables (at least one)."
  }
}

variable "throttling" {
  description = "Default route throttling of the $default stage: burst limit (requests) and steady-state rate limit (requests per second)."
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

variable "detailed_metrics" {
  description = "Per-route CloudWatch metrics of the $default stage (billed per metric)."
  type = object({
    enabled = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "tags" {
  description = "Tags for the API, the stage and the access log group."
  type        = map(string)
  default     = {}
}
