module local/terraform-provider-aws-build

go 1.25.7

godebug tlsmlkem=0

require github.com/hashicorp/terraform-provider-aws v0.0.0-20260305123303-f7691456b787

replace github.com/hashicorp/terraform-provider-aws => github.com/upbound/terraform-provider-aws v0.0.0-20260305123303-f7691456b787
