# Every input validation and precondition of the module, one run block each, planned with a
# mock provider (no credentials, nothing created): `terraform init -backend=false &&
# terraform test` inside modules/s3-private-access.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix     = "test"
  vpc_id          = "vpc-0123456789abcdef0"
  vpc_cidr        = "10.0.0.0/16"
  subnet_ids      = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  route_table_ids = ["rtb-0aaaaaaaaaaaaaaaa"]
  onprem_cidrs    = ["172.16.0.0/16"]
  demo_bucket = {
    enabled              = true
    admin_principal_arns = ["arn:aws:iam::123456789012:role/admin"]
  }
}

run "valid_inputs_plan" {
  command = plan
}

# ---------------------------------------------------------------------- preconditions

run "demo_bucket_needs_an_admin_principal" {
  command = plan
  variables {
    demo_bucket = { enabled = true, admin_principal_arns = [] }
  }
  expect_failures = [aws_s3_bucket.demo]
}

run "onprem_cidrs_must_not_contain_the_vpc_cidr" {
  command = plan
  variables {
    onprem_cidrs = ["172.16.0.0/16", "10.0.0.0/16"]
  }
  expect_failures = [aws_security_group.endpoint]
}

run "vpc_cidr_must_belong_to_the_vpc" {
  command = plan
  variables {
    vpc_cidr = "10.9.0.0/16"
  }
  expect_failures = [aws_vpc_endpoint.interface]
}

run "vpc_needs_dns_support_and_hostnames" {
  command = plan
  override_data {
    target = data.aws_vpc.this
    values = {
      cidr_block              = "10.0.0.0/16"
      cidr_block_associations = []
      enable_dns_support      = true
      enable_dns_hostnames    = false
    }
  }
  expect_failures = [aws_vpc_endpoint.interface]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_must_be_lowercase
    name_prefix = "Test_1"
    # vpc_id_must_be_a_vpc_id
    vpc_id = "my-vpc"
    # vpc_cidr_must_be_a_cidr
    vpc_cidr = "10.0.0.0"
    # subnet_ids_needs_two_subnets
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa"]
    # route_table_ids_needs_one
    route_table_ids = []
    # onprem_cidrs_needs_one
    onprem_cidrs = []
    # dns_mode_must_be_known
    dns_mode = "public"
    # allowed_bucket_arns_must_be_bucket_arns
    allowed_bucket_arns = ["arn:aws:s3:::*"]
    # endpoint_policy_actions_must_be_explicit
    endpoint_policy_actions = ["s3:*"]
    # demo_bucket_name_must_be_a_bucket_name
    demo_bucket = {
      enabled              = true
      name                 = "Not_A_Bucket"
      admin_principal_arns = ["arn:aws:iam::123456789012:role/admin"]
    }
  }
  expect_failures = [
    var.name_prefix,
    var.vpc_id,
    var.vpc_cidr,
    var.subnet_ids,
    var.route_table_ids,
    var.onprem_cidrs,
    var.dns_mode,
    var.allowed_bucket_arns,
    var.endpoint_policy_actions,
    var.demo_bucket,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # vpc_cidr_must_not_be_the_world
    vpc_cidr = "0.0.0.0/0"
    # subnet_ids_must_not_repeat
    subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0aaaaaaaaaaaaaaaa"]
    # onprem_cidrs_must_be_cidrs
    onprem_cidrs = ["172.16.0.300/16"]
    # demo_bucket_admins_must_be_principal_arns
    demo_bucket = { enabled = true, admin_principal_arns = ["admin"] }
  }
  expect_failures = [
    var.vpc_cidr,
    var.subnet_ids,
    var.onprem_cidrs,
    var.demo_bucket,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # onprem_cidrs_must_not_be_the_world
    onprem_cidrs = ["0.0.0.0/0"]
    # demo_bucket_kms_key_arn_must_be_a_key_arn
    demo_bucket = {
      enabled              = true
      admin_principal_arns = ["arn:aws:iam::123456789012:role/admin"]
      kms_key_arn          = "alias/demo"
    }
  }
  expect_failures = [
    var.onprem_cidrs,
    var.demo_bucket,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # onprem_cidrs_must_not_contain_the_world
    onprem_cidrs = ["172.16.0.0/16", "0.0.0.0/0"]
  }
  expect_failures = [
    var.onprem_cidrs,
  ]
}
