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

run "unknown_type" {
  command = plan
  variables {
    connectivity = { type = "peering" }
  }
  expect_failures = [var.connectivity]
}

run "vpn_without_its_settings" {
  command = plan
  variables {
    connectivity = { type = "vpn" }
  }
  expect_failures = [var.connectivity]
}

run "vpn_and_direct_connect_at_once" {
  command = plan
  variables {
    connectivity = {
      type           = "vpn"
      vpn            = { customer_gateway_ip = "203.0.113.10" }
      direct_connect = { gateway_id = "5f294f92-bafb-4011-916d-9b0bec2c9f4d" }
    }
  }
  expect_failures = [var.connectivity]
}

run "transit_gateway_attachment_with_vpn_settings" {
  command = plan
  variables {
    connectivity = {
      type            = "transit_gateway"
      transit_gateway = { id = "tgw-0123456789abcdef0" }
      vpn             = { customer_gateway_ip = "203.0.113.10" }
    }
  }
  expect_failures = [var.connectivity]
}

run "transit_gateway_attachment_without_its_id" {
  command = plan
  variables {
    connectivity = { type = "transit_gateway" }
  }
  expect_failures = [var.connectivity]
}

run "existing_transit_gateway_given_to_a_vgw_vpn" {
  command = plan
  variables {
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10" }
      transit_gateway = { id = "tgw-0123456789abcdef0" }
    }
  }
  expect_failures = [var.connectivity]
}

run "static_vpn_on_an_existing_transit_gateway_needs_its_route_table" {
  command = plan
  variables {
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10", gateway = "transit_gateway" }
      transit_gateway = { id = "tgw-0123456789abcdef0" }
    }
  }
  expect_failures = [var.connectivity]
}

run "unknown_routing" {
  command = plan
  variables {
    connectivity = {
      type = "vpn"
      vpn  = { customer_gateway_ip = "203.0.113.10", routing = "ospf" }
    }
  }
  expect_failures = [var.connectivity]
}

run "public_asn_for_the_amazon_side" {
  command = plan
  variables {
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10" }
      amazon_side_asn = 7224
    }
  }
  expect_failures = [var.connectivity]
}

run "no_onprem_cidrs" {
  command = plan
  variables {
    onprem_cidrs = []
  }
  expect_failures = [var.onprem_cidrs]
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
