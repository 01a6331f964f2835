# Every input validation and precondition of the module, one run block each, planned with a
# mock provider (no credentials, nothing created): `terraform init -backend=false &&
# terraform test` inside modules/vpc.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix = "test"
  cidr_block  = "10.0.0.0/16"
  azs         = ["us-east-1a", "us-east-1b"]
}

run "valid_defaults_plan" {
  command = plan
}

# ------------------------------------------------------------- preconditions on aws_vpc

run "private_subnet_cidrs_need_one_cidr_per_zone" {
  command = plan
  variables {
    private_subnet_cidrs = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
  }
  expect_failures = [aws_vpc.this]
}

run "computed_subnets_must_not_be_smaller_than_28" {
  command = plan
  variables {
    cidr_block     = "10.0.0.0/24"
    subnet_newbits = 8
  }
  expect_failures = [aws_vpc.this]
}

run "fewer_subnet_cidrs_than_zones_is_refused" {
  command = plan
  variables {
    private_subnet_cidrs = ["10.0.1.0/24"]
  }
  expect_failures = [aws_vpc.this]
}

run "subnet_newbits_too_small_for_the_zones" {
  command = plan
  variables {
    azs            = ["us-east-1a", "us-east-1b", "us-east-1c"]
    subnet_newbits = 1
  }
  expect_failures = [aws_vpc.this]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_must_be_lowercase
    name_prefix = "Dev_1"
    # name_must_start_with_a_letter
    name = "1cloud"
    # cidr_block_shorter_than_16_is_rejected
    cidr_block = "10.0.0.0/8"
    # azs_needs_two_zones
    azs = ["us-east-1a"]
    # private_subnet_cidrs_must_be_cidrs
    private_subnet_cidrs = ["x", "y"]
    # subnet_newbits_must_be_1_to_12
    subnet_newbits = 0
    # flow_logs_retention_must_be_a_cloudwatch_value
    flow_logs = { retention_in_days = 10 }
  }
  expect_failures = [
    var.name_prefix,
    var.name,
    var.cidr_block,
    var.azs,
    var.private_subnet_cidrs,
    var.subnet_newbits,
    var.flow_logs,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # cidr_block_must_be_a_cidr
    cidr_block = "not-a-cidr"
    # azs_must_not_repeat_a_zone
    azs = ["us-east-1a", "us-east-1a"]
    # flow_logs_traffic_type_must_be_known
    flow_logs = { traffic_type = "SOME" }
  }
  expect_failures = [
    var.cidr_block,
    var.azs,
    var.flow_logs,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # cidr_block_must_be_a_network_address
    cidr_block = "10.0.1.0/16"
    # azs_must_be_zone_names_not_ids
    azs = ["use1-az1", "use1-az2"]
    # flow_logs_kms_key_arn_must_be_a_key_arn
    flow_logs = { kms_key_arn = "alias/x" }
  }
  expect_failures = [
    var.cidr_block,
    var.azs,
    var.flow_logs,
  ]
}
