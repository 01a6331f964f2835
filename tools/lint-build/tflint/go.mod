module local/lint-tools-build

go 1.26.3

require github.com/terraform-linters/tflint v0.64.0
