module local/lint-tools-build

go 1.25

require github.com/terraform-docs/terraform-docs v0.20.0
