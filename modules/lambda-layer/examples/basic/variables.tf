variable "name_prefix" {
  description = "Environment prefix for every name, e.g. dev."
  type        = string
  default     = "example"
}

variable "layer_package_path" {
  description = "Path to the layer zip built by `make package` (build/lambda/python-deps.zip)."
  type        = string
  default     = "../../../../build/lambda/python-deps.zip"
}

variable "function_package_path" {
  description = "Path to a function package built by `make package` that imports from the layer."
  type        = string
  default     = "../../../../build/lambda/publisher.zip"
}
