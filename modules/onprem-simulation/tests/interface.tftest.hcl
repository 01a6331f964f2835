# Wiring with literal inputs that the mock provider can show: the forward rule, routes both
# ways, the transit gateway attachment, the IPsec rules and static vs BGP routing. Run with
# `terraform init -backend=false && terraform test` inside modules/onprem-simulation.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix      = "test"
  azs              = ["us-east-1a", "us-east-1b"]
  cloud_vpc_id     = "vpc-0123456789abcdef0"
  cloud_vpc_cidr   = "10.0.0.0/16"
  cloud_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  cloud_route_table_ids = {
    "us-east-1a" = "rtb-0aaaaaaaaaaaaaaaa"
    "us-east-1b" = "rtb-0bbbbbbbbbbbbbbbb"
  }
  inbound_resolver_ips = ["10.0.0.10", "10.0.1.10"]
}

run "static_routing_by_default" {
  command = plan

  assert {
    condition     = aws_vpn_connection.this.static_routes_only == true && length(aws_ec2_transit_gateway_route.onprem) == 1
    error_message = "Static routing: static routes only, and a transit gateway route for the on-premises CIDR."
  }
  assert {
    condition     = aws_ec2_transit_gateway_route.onprem[0].destination_cidr_block == "172.16.0.0/16"
    error_message = "The transit gateway must send cidr_block into the VPN."
  }
  assert {
    condition = {
      for key, route in aws_route.cloud_to_onprem : route.route_table_id => route.destination_cidr_block
      } == {
      "rtb-0aaaaaaaaaaaaaaaa" = "172.16.0.0/16"
      "rtb-0bbbbbbbbbbbbbbbb" = "172.16.0.0/16"
    }
    error_message = "Every cloud route table must route cidr_block to the transit gateway."
  }
  assert {
    condition     = aws_ec2_transit_gateway_vpc_attachment.cloud.vpc_id == "vpc-0123456789abcdef0" && aws_ec2_transit_gateway_vpc_attachment.cloud.subnet_ids == toset(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
    error_message = "The transit gateway must attach the cloud VPC through its subnets."
  }
  assert {
    condition     = aws_customer_gateway.this.bgp_asn == "65000"
    error_message = "The customer gateway must use customer_bgp_asn."
  }
}

run "bgp_routing_has_no_static_route" {
  command = plan
  variables {
    vpn_routing = "bgp"
  }

  assert {
    condition     = aws_vpn_connection.this.static_routes_only == false && length(aws_ec2_transit_gateway_route.onprem) == 0
    error_message = "BGP routing must not add a static transit gateway route."
  }
}

run "forward_rule_sends_s3_domain_to_the_inbound_resolver_ips" {
  command = plan

  assert {
    condition     = aws_route53_resolver_rule.s3.domain_name == "s3.us-east-1.amazonaws.com" && aws_route53_resolver_rule.s3.rule_type == "FORWARD"
    error_message = "The rule must forward s3.<region>.amazonaws.com."
  }
  assert {
    condition = toset([for t in aws_route53_resolver_rule.s3.target_ip : "${t.ip}:${t.port}/${t.protocol}"]) == toset([
      "10.0.0.10:53/Do53", "10.0.1.10:53/Do53",
    ])
    error_message = "The rule must target every inbound Resolver IP on port 53."
  }
  assert {
    condition     = aws_route53_resolver_endpoint.outbound.direction == "OUTBOUND"
    error_message = "The endpoint for the forward rule is an outbound one."
  }
  assert {
    condition = {
      for proto, rule in aws_vpc_security_group_egress_rule.resolver_dns : proto => "${rule.from_port}:${rule.cidr_ipv4}"
      } == {
      tcp = "53:10.0.0.0/16"
      udp = "53:10.0.0.0/16"
    }
    error_message = "The outbound endpoint may only send DNS to the cloud VPC."
  }
}

run "ipsec_rules_only_with_the_two_tunnel_endpoints" {
  command = plan

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.vpn_ipsec)) == toset(["tunnel1-ike", "tunnel1-natt", "tunnel2-ike", "tunnel2-natt"])
    error_message = "IKE and NAT-T with each tunnel endpoint, nothing else."
  }
  assert {
    condition = toset([for r in aws_vpc_security_group_ingress_rule.vpn_ipsec : "${r.ip_protocol}/${r.from_port}-${r.to_port}"]) == toset([
      "udp/500-500", "udp/4500-4500",
    ])
    error_message = "IPsec rules are UDP 500 and 4500 only."
  }
}

run "ami_defaults_to_the_ssm_parameter" {
  command = plan

  assert {
    condition     = aws_instance.vpn.ami == "ami-0123456789abcdef0"
    error_message = "With ami_id null the AMI comes from ami_ssm_parameter."
  }
}

run "given_ami_skips_the_ssm_parameter" {
  command = plan
  variables {
    ami_id = "ami-0fedcba9876543210"
  }

  assert {
    condition     = aws_instance.vpn.ami == "ami-0fedcba9876543210" && length(data.aws_ssm_parameter.ami) == 0
    error_message = "A given ami_id must be used as is."
  }
}
