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

run "name_prefix_must_be_lowercase" {
  command = plan
  variables {
    name_prefix = "Dev_1"
  }
  expect_failures = [var.name_prefix]
}

run "name_must_start_with_a_letter" {
  command = plan
  variables {
    name = "1cloud"
  }
  expect_failures = [var.name]
}

run "cidr_block_shorter_than_16_is_rejected" {
  command = plan
  variables {
    cidr_block = "10.0.0.0/8"
  }
  expect_failures = [var.cidr_block]
}

run "cidr_block_must_be_a_cidr" {
  command = plan
  variables {
    cidr_block = "not-a-cidr"
  }
  expect_failures = [var.cidr_block]
}

run "cidr_block_must_be_a_network_address" {
  command = plan
  variables {
    cidr_block = "10.0.1.0/16"
  }
  expect_failures = [var.cidr_block]
}

run "azs_needs_two_zones" {
  command = plan
  variables {
    azs = ["us-east-1a"]
  }
  expect_failures = [var.azs]
}

run "azs_must_not_repeat_a_zone" {
  command = plan
  variables {
    azs = ["us-east-1a", "us-east-1a"]
  }
  expect_failures = [var.azs]
}

run "azs_must_be_zone_names_not_ids" {
  command = plan
  variables {
    azs = ["use1-az1", "use1-az2"]
  }
  expect_failures = [var.azs]
}

run "private_subnet_cidrs_must_be_cidrs" {
  command = plan
  variables {
    private_subnet_cidrs = ["x", "y"]
  }
  expect_failures = [var.private_subnet_cidrs]
}

run "subnet_newbits_must_be_1_to_12" {
  command = plan
  variables {
    subnet_newbits = 0
  }
  expect_failures = [var.subnet_newbits]
}

run "flow_logs_retention_must_be_a_cloudwatch_value" {
  command = plan
  variables {
    flow_logs = { retention_in_days = 10 }
  }
  expect_failures = [var.flow_logs]
}

run "flow_logs_traffic_type_must_be_known" {
  command = plan
  variables {
    flow_logs = { traffic_type = "SOME" }
  }
  expect_failures = [var.flow_logs]
}

run "flow_logs_kms_key_arn_must_be_a_key_arn" {
  command = plan
  variables {
    flow_logs = { kms_key_arn = "alias/x" }
  }
  expect_failures = [var.flow_logs]
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
