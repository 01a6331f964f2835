variable "name_prefix" {
  description = "Environment prefix for every name (e.g. dev, prod); also scopes the Personalize campaign ARN pattern <prefix>-*."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters of lowercase letters, digits or '-', start with a letter and not end with '-' (e.g. dev, prod, stg-1)."
  }
}

variable "package_path" {
  description = "Path to the ranking Lambda package (build/lambda/ranking.zip, built from lambda_src/ranking by `make package`)."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must point to the ranking .zip package (build/lambda/ranking.zip)."
  }
}

variable "layers" {
  description = "Layer ARNs for the ranking function: the dependency layer (modules/lambda-layer) with Powertools, which the code imports."
  type        = list(string)
  default     = []
}

variable "ranking_parameter_name" {
  description = "Name of the SSM parameter the training pipeline publishes the current ranking to (ranking-pipeline output parameter_name, /<prefix>/ranking/current)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.\\-/]+$", var.ranking_parameter_name))
    error_message = "ranking_parameter_name must be a hierarchical SSM parameter name starting with '/' (e.g. /dev/ranking/current)."
  }
}

variable "recipe" {
  description = "Personalize recipe the pipeline trains (ranking-pipeline's `recipe` output): aws-user-personalization[-v2] (GetRecommendations) or aws-personalized-ranking[-v2] (GetPersonalizedRanking of the student's candidate classes)."
  type        = string
  default     = "aws-user-personalization-v2"

  validation {
    condition     = contains(["aws-user-personalization", "aws-user-personalization-v2", "aws-personalized-ranking", "aws-personalized-ranking-v2"], var.recipe)
    error_message = "recipe must be aws-user-personalization, aws-user-personalization-v2, aws-personalized-ranking or aws-personalized-ranking-v2."
  }
}

variable "deploy_mode" {
  description = "How the pipeline serves the model: campaign (real-time GetRecommendations on a campaign, billed per hour) or batch (nightly batch inference; the API reads the results from S3)."
  type        = string
  default     = "batch"

  validation {
    condition     = contains(["campaign", "batch"], var.deploy_mode)
    error_message = "deploy_mode must be campaign or batch."
  }
}

variable "data_bucket_arn" {
  description = "ARN of the data lake bucket (data-lake output bucket_arn). Required in batch mode (the function reads batch results under batch_output_prefix) and with popularity.enabled (the fallback reads the popularity object)."
  type        = string
  default     = null

  validation {
    condition     = var.data_bucket_arn == null || can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_bucket_arn))
    error_message = "data_bucket_arn must be null or an S3 bucket ARN (arn:aws:s3:::<bucket>)."
  }

  validation {
    condition     = var.deploy_mode != "batch" || var.data_bucket_arn != null
    error_message = "deploy_mode batch needs data_bucket_arn (the data-lake bucket holding the batch results)."
  }
}

variable "batch_output_prefix" {
  description = "Key prefix of the batch inference results in the data bucket (data-lake output batch_output_prefix)."
  type        = string
  default     = "personalize/batch/"

  validation {
    condition     = can(regex("^([A-Za-z0-9_=-]+/)+$", var.batch_output_prefix))
    error_message = "batch_output_prefix must be one or more path segments of letters, digits, '_', '=' or '-', each ending with '/' (e.g. personalize/batch/)."
  }
}

variable "data_kms_key_arn" {
  description = "KMS key of the data lake bucket (data-lake output kms_key_arn); in batch mode the function decrypts results with it through S3 only."
  type        = string
  default     = null

  validation {
    condition     = var.data_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.data_kms_key_arn))
    error_message = "data_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "fallback_limit" {
  description = "How many popular classes the fallback returns (1-100)."
  type        = number
  default     = 10

  validation {
    condition     = var.fallback_limit >= 1 && var.fallback_limit <= 100 && floor(var.fallback_limit) == var.fallback_limit
    error_message = "fallback_limit must be a whole number between 1 and 100."
  }
}

variable "authorization_type" {
  description = "Authorization of the GET /ranking/{userId} route: AWS_IAM (SigV4-signed services with execute-api:Invoke, reading any user), JWT (end users: needs jwt.issuer and jwt.audience; a student reads their own ranking, an admin anyone's) or NONE (no identity: the function answers 401)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["NONE", "AWS_IAM", "JWT"], var.authorization_type)
    error_message = "authorization_type must be NONE, AWS_IAM or JWT."
  }
}

variable "jwt" {
  description = "JWT authorizer of the route, required when authorization_type is JWT (ignored otherwise): token `issuer` (https:// URL, e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>), accepted `audience` (client ids, at least one), authorizer `name` (default `<prefix>-ranking-api-jwt`), `identity_sources` (default the Authorization header) and the OAuth `scopes` naming the roles (the route needs student or admin; a student reads only the ranking of the token's sub, an admin anyone's)."
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
    error_message = "jwt.issuer must be an https:// issuer URL."
  }

  validation {
    condition     = var.jwt == null || alltrue([for s in values(try(var.jwt.scopes, {})) : can(regex("^[!#-\\[\\]-~]{1,256}$", s))])
    error_message = "jwt.scopes values must be OAuth scope strings (1-256 printable ASCII characters, no space, quote or backslash)."
  }

  validation {
    condition     = var.authorization_type != "JWT" || (try(var.jwt.issuer != null, false) && try(length(var.jwt.audience) > 0, false))
    error_message = "authorization_type JWT needs jwt.issuer (https:// URL) and at least one jwt.audience."
  }
}

variable "throttling" {
  description = "Default route throttling of the $default stage: burst limit (requests, 1-5000) and steady-state rate limit (requests per second, at most 10000)."
  type = object({
    burst_limit = optional(number, 50)
    rate_limit  = optional(number, 20)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.throttling.burst_limit >= 1 && var.throttling.burst_limit <= 5000 && floor(var.throttling.burst_limit) == var.throttling.burst_limit
    error_message = "throttling.burst_limit must be a whole number between 1 and 5000."
  }

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.rate_limit <= 10000
    error_message = "throttling.rate_limit must be greater than 0 and at most 10000 requests per second."
  }
}

variable "timeout" {
  description = "Timeout of the ranking function in seconds (API Gateway waits at most 30 s)."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 29 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 29 (the HTTP API integration limit is 30 s)."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the function's and the access logs' log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key" {
  description = "Customer managed KMS key for the log groups and the function environment. arn null creates a module-owned CMK with rotation (deletion_window_in_days applies to it) whose policy admits CloudWatch Logs for these log groups. The module always encrypts with a CMK: enabled = false is an error. An arn known only after apply (a key created in the same configuration) must be known to be non-null at plan time: pass it as coalesce(<arn>)."
  type = object({
    enabled                 = optional(bool, true)
    arn                     = optional(string)
    deletion_window_in_days = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.kms_key.arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key.arn))
    error_message = "kms_key.arn must be null (module creates a key) or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = var.kms_key.enabled
    error_message = "Encryption needs a customer managed key: keep kms_key.enabled = true (with kms_key.arn, or null to create one)."
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

variable "class_rankings" {
  description = "GET /classes/{classId}/ranking: the class's students by engagement, read from the object the pipeline publishes per class under key_prefix in the data bucket (data_bucket_arn, decrypted with data_kms_key_arn): the ranking-pipeline module's `engagement.key_prefix` output."
  type = object({
    enabled    = optional(bool, false)
    key_prefix = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = !var.class_rankings.enabled || try(length(var.class_rankings.key_prefix) > 0 && endswith(var.class_rankings.key_prefix, "/") && var.data_bucket_arn != null, false)
    error_message = "class_rankings.enabled needs key_prefix, ending in / (the ranking-pipeline module's engagement.key_prefix output), and data_bucket_arn."
  }
}

variable "popularity" {
  description = "The popularity fallback: the most popular items, overall and per item type, read with one GetObject (cached) from the object the pipeline's Export step publishes nightly in the data bucket (data_bucket_arn, decrypted with data_kms_key_arn); never a table scan. key defaults to <batch_output_prefix>popularity/current.json, where the ranking-pipeline module publishes it (its `popularity.key` output). Before the first export, or with enabled = false, the fallback answers an empty list with a reason."
  type = object({
    enabled = optional(bool, true)
    key     = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = !var.popularity.enabled || var.data_bucket_arn != null
    error_message = "popularity.enabled needs data_bucket_arn (the data-lake bucket the pipeline publishes the popularity object to); or set popularity.enabled = false."
  }

  validation {
    condition     = var.popularity.key == null || can(regex("^([A-Za-z0-9_=-]+/)*[A-Za-z0-9_=.-]+\\.json$", var.popularity.key))
    error_message = "popularity.key must be an object key ending in .json (the ranking-pipeline module's popularity.key output, e.g. personalize/batch/popularity/current.json)."
  }
}
