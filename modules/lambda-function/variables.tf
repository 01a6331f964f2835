variable "function_name" {
  description = "Name of the Lambda function; also names its IAM role and log group. Include the environment prefix (e.g. dev-notifier) so environments never collide."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-_]{1,56}$", var.function_name))
    error_message = "function_name must be 1-56 characters of letters, digits, '-' or '_' (the IAM role name adds a 8-character suffix, limit 64)."
  }
}

variable "description" {
  description = "Human-readable description of the function."
  type        = string
  default     = ""
}

variable "package_path" {
  description = "Path to a local zip (built by `iackit package`: build/lambda/<name>.zip, or any zip you build, see the README). Its SHA-256 drives code updates. Give this or package_s3."
  type        = string
  default     = null

  validation {
    condition     = var.package_path == null || try(endswith(var.package_path, ".zip") && fileexists(var.package_path), false)
    error_message = "package_path must be an existing .zip file: build it first with `make package` (or `iackit package <name>`)."
  }
}

variable "package_s3" {
  description = "The zip as an S3 object instead of a local file (a bucket in the function's region): bucket, key, optional object_version, and source_code_hash (base64 SHA-256 of the zip, e.g. `openssl dgst -sha256 -binary f.zip | base64`), which drives code updates. Give this or package_path."
  type = object({
    bucket           = string
    key              = string
    object_version   = optional(string)
    source_code_hash = string
  })
  default = null

  validation {
    condition     = var.package_s3 == null || try(endswith(var.package_s3.key, ".zip") && length(var.package_s3.bucket) >= 3, false)
    error_message = "package_s3 needs a bucket name and a key ending in .zip."
  }

  validation {
    condition     = (var.package_s3 == null) != (var.package_path == null)
    error_message = "Give exactly one of package_path (a local zip) and package_s3 (an S3 object)."
  }
}

variable "handler" {
  description = "Handler in module.function form, e.g. notifier.app.lambda_handler."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must look like package.module.function (e.g. notifier.app.lambda_handler)."
  }
}

variable "runtime" {
  description = "Lambda runtime. Python runtimes only: the packages are built from lambda_src/."
  type        = string
  default     = "python3.13"

  validation {
    condition     = contains(["python3.11", "python3.12", "python3.13"], var.runtime)
    error_message = "runtime must be one of python3.11, python3.12, python3.13."
  }
}

variable "architecture" {
  description = "Instruction set: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "timeout" {
  description = "Timeout in seconds (1-900)."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "memory_size" {
  description = "Memory in MiB (128-10240)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MiB between 128 and 10240."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; -1 leaves the function unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrency >= -1
    error_message = "reserved_concurrency must be -1 (unreserved) or a non-negative number."
  }
}

variable "environment" {
  description = "Environment variables for the function (configuration only, never secrets)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k))])
    error_message = "environment variable names must start with a letter and contain only letters, digits and '_'."
  }
}

variable "layers" {
  description = "Lambda layer ARNs (at most 5), e.g. the dependency layer published by modules/lambda-layer (what the package imports besides boto3)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.layers) <= 5
    error_message = "A function can use at most 5 layers."
  }
}

variable "policy_statements" {
  description = "Least-privilege IAM statements for the function's own role, keyed by a statement id. Actions must be explicit (no '*' wildcards); logging permissions are added by the module."
  type = map(object({
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = {}

  validation {
    condition = alltrue(flatten([
      for s in values(var.policy_statements) : [for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9]+$", a))]
    ]))
    error_message = "Every action must be an explicit service:Action (no '*' or partial wildcards), e.g. dynamodb:GetItem."
  }

  validation {
    condition     = alltrue([for s in values(var.policy_statements) : length(s.actions) > 0 && length(s.resources) > 0])
    error_message = "Every policy statement needs at least one action and one resource."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention for the function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN used for the log group and the environment variables. Null uses AWS-owned keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "dead_letter_target_arn" {
  description = "SQS queue or SNS topic ARN that receives asynchronous invocations that failed all retries."
  type        = string
  default     = null

  validation {
    condition     = var.dead_letter_target_arn == null || can(regex("^arn:aws[a-z-]*:(sqs|sns):", var.dead_letter_target_arn))
    error_message = "dead_letter_target_arn must be an SQS queue or SNS topic ARN."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing mode: Active or PassThrough."
  type        = string
  default     = "Active"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
