# Each connectivity option with literal inputs the mock provider can show: which gateway is
# created, where the routes for every on-premises CIDR point in every route table, static vs
# BGP routes. Run with `terraform init -backend=false && terraform test` in this directory.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix  = "test"
  vpc_id       = "vpc-0123456789abcdef0"
  vpc_cidr     = "10.20.0.0/16"
  subnet_ids   = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  onprem_cidrs = ["192.168.0.0/20", "192.168.16.0/20"]
  route_table_ids = {
    "us-east-1a" = "rtb-0aaaaaaaaaaaaaaaa"
    "us-east-1b" = "rtb-0bbbbbbbbbbbbbbbb"
  }
  connectivity = {
    type = "vpn"
    vpn  = { customer_gateway_ip = "203.0.113.10" }
  }
}

run "vpn_to_a_virtual_private_gateway_static" {
  command = plan

  assert {
    condition     = length(aws_vpn_gateway.this) == 1 && length(aws_ec2_transit_gateway.this) == 0 && length(aws_ec2_transit_gateway_vpc_attachment.this) == 0
    error_message = "The default VPN option creates a virtual private gateway and no transit gateway."
  }
  assert {
    condition     = aws_vpn_gateway.this[0].vpc_id == "vpc-0123456789abcdef0" && aws_customer_gateway.this[0].ip_address == "203.0.113.10" && aws_customer_gateway.this[0].bgp_asn == "65000"
    error_message = "The VGW is on the VPC; the customer gateway is the on-premises address and ASN."
  }
  assert {
    condition     = aws_vpn_connection.this[0].static_routes_only && aws_vpn_connection.this[0].transit_gateway_id == null
    error_message = "Static routing by default, on the VGW."
  }
  assert {
    condition     = toset(keys(aws_vpn_connection_route.this)) == toset(["192.168.0.0/20", "192.168.16.0/20"]) && length(aws_ec2_transit_gateway_route.this) == 0
    error_message = "A VPN connection route per on-premises CIDR."
  }
  assert {
    condition = { for key, route in aws_route.onprem : key => route.route_table_id } == {
      "us-east-1a/192.168.0.0/20"  = "rtb-0aaaaaaaaaaaaaaaa"
      "us-east-1a/192.168.16.0/20" = "rtb-0aaaaaaaaaaaaaaaa"
      "us-east-1b/192.168.0.0/20"  = "rtb-0bbbbbbbbbbbbbbbb"
      "us-east-1b/192.168.16.0/20" = "rtb-0bbbbbbbbbbbbbbbb"
    }
    error_message = "Every route table gets a route for every on-premises CIDR."
  }
  assert {
    condition     = alltrue([for route in aws_route.onprem : route.transit_gateway_id == null])
    error_message = "The routes go to the VGW, not a transit gateway."
  }
}

run "vpn_to_a_new_transit_gateway_bgp" {
  command = plan
  variables {
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10", routing = "bgp", gateway = "new_transit_gateway", bgp_asn = 65010 }
      amazon_side_asn = 64600
    }
  }

  assert {
    condition     = length(aws_vpn_gateway.this) == 0 && aws_ec2_transit_gateway.this[0].amazon_side_asn == 64600 && aws_ec2_transit_gateway_vpc_attachment.this[0].subnet_ids == toset(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
    error_message = "A new transit gateway with the VPC attached through its subnets, no VGW."
  }
  assert {
    condition     = !aws_vpn_connection.this[0].static_routes_only && length(aws_vpn_connection_route.this) == 0 && length(aws_ec2_transit_gateway_route.this) == 0
    error_message = "BGP: no static routes."
  }
  assert {
    condition     = aws_customer_gateway.this[0].bgp_asn == "65010" && length(aws_route.onprem) == 4
    error_message = "The customer ASN is used, every route table routes every CIDR."
  }
}

run "vpn_to_an_existing_transit_gateway_static" {
  command = plan
  variables {
    connectivity = {
      type            = "vpn"
      vpn             = { customer_gateway_ip = "203.0.113.10", gateway = "transit_gateway" }
      transit_gateway = { id = "tgw-0123456789abcdef0", route_table_id = "tgw-rtb-0123456789abcdef0" }
    }
  }

  assert {
    condition     = length(aws_ec2_transit_gateway.this) == 0 && aws_vpn_connection.this[0].transit_gateway_id == "tgw-0123456789abcdef0" && aws_ec2_transit_gateway_vpc_attachment.this[0].transit_gateway_id == "tgw-0123456789abcdef0"
    error_message = "The VPN and the VPC attach to the given transit gateway."
  }
  assert {
    condition     = { for cidr, route in aws_ec2_transit_gateway_route.this : cidr => route.transit_gateway_route_table_id } == { "192.168.0.0/20" = "tgw-rtb-0123456789abcdef0", "192.168.16.0/20" = "tgw-rtb-0123456789abcdef0" }
    error_message = "Static routes go into the given transit gateway route table."
  }
  assert {
    condition     = alltrue([for route in aws_route.onprem : route.transit_gateway_id == "tgw-0123456789abcdef0" && route.gateway_id == null])
    error_message = "Every route table routes on-premises to the transit gateway."
  }
}

run "existing_transit_gateway_attachment" {
  command = plan
  variables {
    connectivity = {
      type            = "transit_gateway"
      transit_gateway = { id = "tgw-0123456789abcdef0" }
    }
  }

  assert {
    condition     = length(aws_vpn_connection.this) == 0 && length(aws_customer_gateway.this) == 0 && length(aws_vpn_gateway.this) == 0
    error_message = "Only the attachment: no VPN, no VGW."
  }
  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment.this[0].transit_gateway_id == "tgw-0123456789abcdef0" && length(aws_route.onprem) == 4
    error_message = "The VPC is attached and every route table routes every CIDR to the transit gateway."
  }
  assert {
    condition     = length(output.vpn_tunnels) == 0 && output.transit_gateway_id == "tgw-0123456789abcdef0"
    error_message = "No tunnels; the transit gateway id is an output."
  }
}

run "direct_connect_gateway_association" {
  command = plan
  variables {
    connectivity = {
      type           = "direct_connect"
      direct_connect = { gateway_id = "5f294f92-bafb-4011-916d-9b0bec2c9f4d" }
    }
  }

  assert {
    condition     = length(aws_vpn_gateway.this) == 1 && length(aws_vpn_connection.this) == 0 && length(aws_ec2_transit_gateway_vpc_attachment.this) == 0
    error_message = "Direct Connect: a VGW on the VPC, no VPN, no transit gateway."
  }
  assert {
    condition     = aws_dx_gateway_association.this[0].dx_gateway_id == "5f294f92-bafb-4011-916d-9b0bec2c9f4d" && aws_dx_gateway_association.this[0].allowed_prefixes == toset(["10.20.0.0/16"])
    error_message = "The DX gateway is associated with the VGW, advertising the VPC CIDR by default."
  }
  assert {
    condition     = length(aws_route.onprem) == 4
    error_message = "Every route table routes every on-premises CIDR to the VGW."
  }
}
