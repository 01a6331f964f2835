# Wiring the mock provider can show: names, counts, and which options switch resources on
# or off. Run with `terraform init -backend=false && terraform test` inside modules/vpc.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix = "test"
  name        = "cloud"
  cidr_block  = "10.0.0.0/16"
  azs         = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

run "defaults_one_private_subnet_and_route_table_per_zone" {
  command = plan

  assert {
    condition = output.subnet_cidrs_by_az == {
      "us-east-1a" = "10.0.0.0/24"
      "us-east-1b" = "10.0.1.0/24"
      "us-east-1c" = "10.0.2.0/24"
    }
    error_message = "Computed subnets must be cidrsubnet(cidr_block, 8, zone index)."
  }
  assert {
    condition     = length(aws_route_table.private) == 3 && length(aws_route_table_association.private) == 3
    error_message = "route_table_per_az = true must give every zone its own route table."
  }
  assert {
    condition     = alltrue([for s in aws_subnet.private : s.map_public_ip_on_launch == false])
    error_message = "No subnet may auto-assign public IPs."
  }
  assert {
    condition     = aws_vpc.this.tags["Name"] == "test-cloud" && aws_subnet.private["us-east-1a"].tags["Name"] == "test-cloud-private-us-east-1a"
    error_message = "Resources must be named <name_prefix>-<name>-..."
  }
  assert {
    condition     = length(aws_internet_gateway.this) == 0 && length(aws_route.internet) == 0
    error_message = "No internet gateway unless internet_gateway.enabled is true."
  }
  assert {
    condition     = length(module.kms_key) == 1 && module.kms_key[0].alias_name == "alias/test-cloud-flow-logs" && aws_cloudwatch_log_group.flow_logs[0].name == "/aws/vpc/flow-logs/test-cloud"
    error_message = "Flow logs are on by default, with a module-created key (modules/kms-key: rotated) aliased alias/<prefix>-<name>-flow-logs."
  }
}

run "shared_route_table_and_explicit_cidrs" {
  command = plan
  variables {
    route_table_per_az   = false
    private_subnet_cidrs = ["10.0.10.0/24", "10.0.20.0/24", "10.0.30.0/24"]
  }

  assert {
    condition     = keys(aws_route_table.private) == ["shared"] && length(aws_route_table_association.private) == 3
    error_message = "route_table_per_az = false must give one shared route table for every subnet."
  }
  assert {
    condition     = aws_subnet.private["us-east-1c"].cidr_block == "10.0.30.0/24"
    error_message = "Explicit private_subnet_cidrs must be used in the order of azs."
  }
}

run "internet_gateway_adds_a_default_route_per_route_table" {
  command = plan
  variables {
    internet_gateway = { enabled = true }
  }

  assert {
    condition     = length(aws_internet_gateway.this) == 1 && length(aws_route.internet) == 3
    error_message = "internet_gateway.enabled must add one gateway and a 0.0.0.0/0 route per route table."
  }
  assert {
    condition     = alltrue([for r in aws_route.internet : r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "Internet routes must be default routes."
  }
}

run "flow_logs_off_creates_none_of_their_resources" {
  command = plan
  variables {
    flow_logs = { enabled = false }
  }

  assert {
    condition = (
      length(aws_flow_log.this) + length(aws_cloudwatch_log_group.flow_logs) +
      length(aws_iam_role.flow_logs) + length(module.kms_key) == 0
    )
    error_message = "flow_logs.enabled = false must create no flow log resources."
  }
  assert {
    condition     = output.flow_log_kms_key_arn == null
    error_message = "flow_log_kms_key_arn must be null when flow logs are off."
  }
}

run "flow_logs_with_a_given_key_create_no_key" {
  command = plan
  variables {
    flow_logs = {
      kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
      retention_in_days = 30
    }
  }

  assert {
    condition     = length(module.kms_key) == 0
    error_message = "A given flow_logs.kms_key_arn must replace the module-created key."
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].kms_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    error_message = "The log group must be encrypted with the given key."
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 30
    error_message = "flow_logs.retention_in_days must reach the log group."
  }
}
