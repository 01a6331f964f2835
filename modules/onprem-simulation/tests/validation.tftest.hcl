# Every input validation and precondition of the module, one run block each, planned with a
# mock provider (no credentials, nothing created): `terraform init -backend=false &&
# terraform test` inside modules/onprem-simulation.

mock_provider "aws" {
  source = "./tests/mocks"
}

# A cloud VPC that is only named, never read.
variables {
  name_prefix    = "test"
  azs            = ["us-east-1a", "us-east-1b"]
  cloud_vpc_id   = "vpc-0123456789abcdef0"
  cloud_vpc_cidr = "10.0.0.0/16"
  cloud_route_table_ids = {
    "us-east-1a" = "rtb-0aaaaaaaaaaaaaaaa"
    "us-east-1b" = "rtb-0bbbbbbbbbbbbbbbb"
  }
  inbound_resolver_ips = ["10.0.0.10", "10.0.1.10"]
}

run "valid_inputs_plan" {
  command = plan
}

run "name_prefix_must_be_lowercase" {
  command = plan
  variables {
    name_prefix = "Test_1"
  }
  expect_failures = [var.name_prefix]
}

run "cidr_block_must_be_a_cidr" {
  command = plan
  variables {
    cidr_block = "172.16.0.0"
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

run "cloud_vpc_id_must_be_a_vpc_id" {
  command = plan
  variables {
    cloud_vpc_id = "cloud"
  }
  expect_failures = [var.cloud_vpc_id]
}

run "cloud_vpc_cidr_must_be_a_cidr" {
  command = plan
  variables {
    cloud_vpc_cidr = "10.0.0.0"
  }
  expect_failures = [var.cloud_vpc_cidr]
}

run "ami_id_must_be_an_ami_id" {
  command = plan
  variables {
    ami_id = "not-an-ami"
  }
  expect_failures = [var.ami_id]
}

run "root_volume_size_must_be_8_to_100" {
  command = plan
  variables {
    root_volume_size = 4
  }
  expect_failures = [var.root_volume_size]
}

run "vpn_routing_must_be_static_or_bgp" {
  command = plan
  variables {
    vpn_routing = "ospf"
  }
  expect_failures = [var.vpn_routing]
}

run "customer_bgp_asn_must_be_in_range" {
  command = plan
  variables {
    customer_bgp_asn = 0
  }
  expect_failures = [var.customer_bgp_asn]
}

run "amazon_side_asn_must_be_private" {
  command = plan
  variables {
    amazon_side_asn = 100
  }
  expect_failures = [var.amazon_side_asn]
}

run "strongswan_version_must_be_a_release" {
  command = plan
  variables {
    strongswan_version = "latest"
  }
  expect_failures = [var.strongswan_version]
}

run "strongswan_source_sha256_must_be_hex" {
  command = plan
  variables {
    strongswan_source_sha256 = "abc"
  }
  expect_failures = [var.strongswan_source_sha256]
}

# ---------------------------------------------------------------------- preconditions

run "cidr_block_equal_to_the_cloud_vpc_overlaps" {
  command = plan
  variables {
    cidr_block = "10.0.0.0/16"
  }
  expect_failures = [aws_eip.vpn]
}

run "cidr_block_inside_the_cloud_vpc_overlaps" {
  command = plan
  variables {
    cidr_block = "10.0.128.0/20"
  }
  expect_failures = [aws_eip.vpn]
}

run "cidr_block_around_the_cloud_vpc_overlaps" {
  command = plan
  variables {
    cidr_block     = "10.0.0.0/16"
    cloud_vpc_cidr = "10.0.64.0/24"
  }
  expect_failures = [aws_eip.vpn]
}

run "adjacent_cidrs_do_not_overlap" {
  command = plan
  variables {
    cidr_block     = "10.1.0.0/16"
    cloud_vpc_cidr = "10.0.0.0/16"
  }

  assert {
    condition     = output.onprem_vpc_cidr == "10.1.0.0/16"
    error_message = "Adjacent networks (10.1.0.0/16 next to 10.0.0.0/16) must be accepted."
  }
}

run "inbound_resolver_ips_needs_one" {
  command = plan
  variables {
    inbound_resolver_ips = []
  }
  expect_failures = [var.inbound_resolver_ips]
}

run "kms_key_arn_needs_kms_key_enabled" {
  command = plan
  variables {
    kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
  expect_failures = [var.kms_key]
}
