variable "layer_name" {
  description = "Name of the layer; include the environment prefix (e.g. dev-python-deps) so environments never collide."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,140}$", var.layer_name))
    error_message = "layer_name must be 1-140 characters of letters, digits, '-' or '_'."
  }
}

variable "description" {
  description = "Human-readable description of the layer version (at most 256 characters)."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 256
    error_message = "description must be at most 256 characters."
  }
}

variable "package_path" {
  description = "Path to the layer zip built by `make package` (build/lambda/python-deps.zip, layout python/...). Its SHA-256 decides when a new version is published."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip") && fileexists(var.package_path)
    error_message = "package_path must be an existing .zip file: build it first with `make package` (or `iackit package python-deps`)."
  }
}

variable "compatible_runtimes" {
  description = "Runtimes the layer was built for. The default matches `make package` (cp313 wheels)."
  type        = list(string)
  default     = ["python3.13"]

  validation {
    condition     = length(var.compatible_runtimes) > 0 && length(var.compatible_runtimes) <= 15 && alltrue([for r in var.compatible_runtimes : can(regex("^python3\\.[0-9]+$", r))])
    error_message = "compatible_runtimes must list 1-15 Python runtimes such as python3.13."
  }
}

variable "compatible_architectures" {
  description = "Instruction sets the layer was built for. The default matches `make package` (manylinux x86_64 wheels)."
  type        = list(string)
  default     = ["x86_64"]

  validation {
    condition     = length(var.compatible_architectures) > 0 && alltrue([for a in var.compatible_architectures : contains(["x86_64", "arm64"], a)])
    error_message = "compatible_architectures must list x86_64 and/or arm64."
  }
}
