variable "name_prefix" {
  description = "Prefix for the alias."
  type        = string
  default     = "example"
}
