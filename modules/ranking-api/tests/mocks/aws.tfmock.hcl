# Values the module's data sources return under `mock_provider "aws"`: a fixed account,
# region and partition (so names and ARNs are known at plan) and a valid policy document.
mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
  }
}

mock_data "aws_region" {
  defaults = {
    region = "us-east-1"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

# Known ARNs at plan for what the module creates, so that the http-api submodule's checks
# (a KMS key ARN for the access logs) see the shape they expect.
mock_resource "aws_kms_key" {
  override_during = plan
  defaults = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    key_id = "00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_apigatewayv2_api" {
  override_during = plan
  defaults = {
    id            = "a1b2c3"
    api_endpoint  = "https://a1b2c3.execute-api.us-east-1.amazonaws.com"
    execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3"
  }
}

mock_resource "aws_apigatewayv2_authorizer" {
  override_during = plan
  defaults = {
    id = "jwt123"
  }
}
