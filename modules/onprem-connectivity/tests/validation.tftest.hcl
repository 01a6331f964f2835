# Conflicting or incomplete connectivity options are refused at plan.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix     = "test"
  vpc_id          = "vpc-0123456789abcdef0"
  vpc_cidr        = "10.20.0.0/16"
  subnet_ids      = ["subnet-0aaaaaaaaaaaaaaaa"]
  onprem_cidrs    = ["192.168.0.0/20"]
  route_table_ids = { "us-east-1a" = "rtb-0aaaaaaaaaaaaaaaa" }
  connectivity = {
    type = "vpn"
    vpn  = { customer_gateway_ip = "203.0.113.10" }
  }
}

run "transit_gateway_attachment_needs_subnets" {
  command = plan
  variables {
    subnet_ids = []
    connectivity = {
      type            = "transit_gateway"
      transit_gateway = { id = "tgw-0123456789abcdef0" }
    }
  }
  expect_failures = [aws_ec2_transit_gateway_vpc_attachment.this]
}

# Rejected inputs, merged: each run sets several bad inputs, one per variable, and passes
# only if every variable in its expect_failures fails its own validation (a variable that
# accepted its bad value would fail the run). One plan per run: merged to keep the suite fast.

run "rejected_inputs_1" {
  command = plan
  variables {
    # unknown_type
    connectivity = { type = "peering" }
    # no_onprem_cidrs
    onprem_cidrs = []
  }
  expect_failures = [
    var.connectivity,
    var.onprem_cidrs,
  ]
}

run "rejected_inputs_2" {
  command = plan
  variables {
    # vpn_without_its_settings
    connectivity = { type = "vpn" }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_3" {
  command = plan
  variables {
    # vpn_and_direct_connect_at_once
    connectivity = {
      type           = "vpn"
      vpn            = { customer_gateway_ip = "203.0.113.10" }
      direct_connect = { gateway_id = "5f294f92-bafb-4011-916d-9b0bec2c9f4d" }
    }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_4" {
  command = plan
  variables {
    # transit_gateway_attachment_with_vpn_settings
    connectivity = {
      type            = "transit_gateway"
      transit_gateway = { id = "tgw-0123456789abcdef0" }
      vpn             = { customer_gateway_ip = "203.0.113.10" }
    }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_5" {
  command = plan
  variables {
    # transit_gateway_attachment_without_its_id
    connectivity = { type = "transit_gateway" }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_6" {
  command = plan
  variables {
    # existing_transit_gateway_given_to_a_vgw_vpn
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10" }
      transit_gateway = { id = "tgw-0123456789abcdef0" }
    }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_7" {
  command = plan
  variables {
    # static_vpn_on_an_existing_transit_gateway_needs_its_route_table
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10", gateway = "transit_gateway" }
      transit_gateway = { id = "tgw-0123456789abcdef0" }
    }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_8" {
  command = plan
  variables {
    # unknown_routing
    connectivity = {
      type = "vpn"
      vpn  = { customer_gateway_ip = "203.0.113.10", routing = "ospf" }
    }
  }
  expect_failures = [
    var.connectivity,
  ]
}

run "rejected_inputs_9" {
  command = plan
  variables {
    # public_asn_for_the_amazon_side
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10" }
      amazon_side_asn = 7224
    }
  }
  expect_failures = [
    var.connectivity,
  ]
}
