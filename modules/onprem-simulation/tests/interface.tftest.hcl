# Wiring with literal inputs that the mock provider can show: the DNS forwarder's rendered
# configuration, the gateway option, the IPsec rules, the instance's type and AMI, and the
# tunnel keys' encryption. (Routes and static vs BGP: ../onprem-connectivity/tests and the
# plan inventories in tests/modules/onprem_simulation.) Run with
# `terraform init -backend=false && terraform test` inside modules/onprem-simulation.

mock_provider "aws" {
  source = "./tests/mocks"
}

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

run "the_cloud_side_is_a_vpn_to_a_virtual_private_gateway" {
  command = plan

  # The resources are ../onprem-connectivity's (its tests check each option); here: the
  # simulation asks it for a VPN on a VGW, so no transit gateway is attached.
  assert {
    condition     = module.connectivity.transit_gateway_id == null && module.connectivity.transit_gateway_attachment_id == null
    error_message = "The lab uses a virtual private gateway, not a transit gateway."
  }
}

run "dns_server_forwards_the_s3_domain_to_the_inbound_resolver_ips" {
  command = plan

  assert {
    condition     = output.dns_server_ip == "172.16.0.10" && aws_instance.vpn.private_ip == "172.16.0.10"
    error_message = "The instance is the data centre's DNS server at a fixed address of its first subnet."
  }
  assert {
    condition = toset(regexall("(?m)^server=.*$", output.dns_forwarder_config)) == toset([
      "server=/s3.us-east-1.amazonaws.com/10.0.0.10",
      "server=/s3.us-east-1.amazonaws.com/10.0.1.10",
      "server=172.16.0.2",
    ])
    error_message = "dnsmasq must forward s3.<region>.amazonaws.com to every inbound Resolver IP and nothing else but the rest to the VPC resolver."
  }
  assert {
    condition     = strcontains(output.dns_forwarder_config, "listen-address=172.16.0.10\nbind-interfaces\nno-resolv")
    error_message = "dnsmasq listens on the instance's address only and ignores resolv.conf."
  }
}

run "no_hourly_items_the_lab_does_not_need" {
  command = plan

  assert {
    condition     = aws_instance.vpn.instance_type == "t4g.nano" && data.aws_ssm_parameter.ami[0].name == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
    error_message = "The default instance is a t4g.nano booting the arm64 Amazon Linux 2023."
  }
}

run "x86_instance_types_boot_the_x86_64_ami" {
  command = plan
  variables {
    instance_type = "t3.micro"
  }

  assert {
    condition     = data.aws_ssm_parameter.ami[0].name == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    error_message = "A t3 instance boots the x86_64 Amazon Linux 2023."
  }
}

run "tunnel_keys_use_a_cmk_by_default" {
  command = plan

  assert {
    condition     = length(module.kms_key) == 1
    error_message = "By default the tunnel keys are encrypted with a customer managed key."
  }
}

run "tunnel_keys_with_the_aws_managed_key" {
  command = plan
  variables {
    kms_key = { enabled = false }
  }

  assert {
    condition     = length(module.kms_key) == 0
    error_message = "kms_key.enabled = false uses the AWS managed key aws/ssm and creates no key."
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

run "user_data_carries_tunnel_attributes_but_never_the_keys" {
  command = plan

  # Known tunnel addresses and keys at plan, so the rendered user data can be read.
  override_resource {
    target          = module.connectivity.aws_vpn_connection.this
    override_during = plan
    values = {
      tunnel1_address       = "203.0.113.1"
      tunnel2_address       = "203.0.113.2"
      tunnel1_preshared_key = "psk-one-secret"
      tunnel2_preshared_key = "psk-two-secret"
    }
  }
  override_resource {
    target          = aws_eip.vpn
    override_during = plan
    values          = { public_ip = "198.51.100.7" }
  }

  assert {
    condition = alltrue([for s in [aws_ssm_parameter.psk.name, "203.0.113.1", "203.0.113.2", "--with-decryption"] :
    strcontains(aws_instance.vpn.user_data, s)])
    error_message = "The user data carries the tunnel addresses and reads the keys from the SSM parameter (decrypted) at boot."
  }
  assert {
    condition = !anytrue([for s in ["psk-one-secret", "psk-two-secret", "preshared"] :
    strcontains(lower(aws_instance.vpn.user_data), s) || strcontains(jsonencode(module.connectivity.vpn_tunnels), s)])
    error_message = "The pre-shared keys must never reach the user data (nor ../onprem-connectivity's vpn_tunnels it is built from)."
  }
}
