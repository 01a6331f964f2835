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

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # name_prefix_must_be_lowercase
    name_prefix = "Test_1"
    # cidr_block_must_be_a_cidr
    cidr_block = "172.16.0.0"
    # azs_needs_two_zones
    azs = ["us-east-1a"]
    # cloud_vpc_id_must_be_a_vpc_id
    cloud_vpc_id = "cloud"
    # cloud_vpc_cidr_must_be_a_cidr
    cloud_vpc_cidr = "10.0.0.0"
    # ami_id_must_be_an_ami_id
    ami_id = "not-an-ami"
    # root_volume_size_must_be_8_to_100
    root_volume_size = 4
    # vpn_routing_must_be_static_or_bgp
    vpn_routing = "ospf"
    # customer_bgp_asn_must_be_in_range
    customer_bgp_asn = 0
    # amazon_side_asn_must_be_private
    amazon_side_asn = 100
    # strongswan_version_must_be_a_release
    strongswan_version = "latest"
    # strongswan_source_sha256_must_be_hex
    strongswan_source_sha256 = "abc"
    # inbound_resolver_ips_needs_one
    inbound_resolver_ips = []
    # kms_key_arn_needs_kms_key_enabled
    kms_key = { enabled = false, arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
  expect_failures = [
    var.name_prefix,
    var.cidr_block,
    var.azs,
    var.cloud_vpc_id,
    var.cloud_vpc_cidr,
    var.ami_id,
    var.root_volume_size,
    var.vpn_routing,
    var.customer_bgp_asn,
    var.amazon_side_asn,
    var.strongswan_version,
    var.strongswan_source_sha256,
    var.inbound_resolver_ips,
    var.kms_key,
  ]
}
