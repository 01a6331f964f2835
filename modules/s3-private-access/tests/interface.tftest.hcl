# Wiring the mock provider can show: which DNS mode creates what, the security group rules
# per on-premises network, and the optional resolver and demo bucket. Run with
# `terraform init -backend=false && terraform test` inside modules/s3-private-access.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name_prefix     = "test"
  vpc_id          = "vpc-0123456789abcdef0"
  vpc_cidr        = "10.0.0.0/16"
  subnet_ids      = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"]
  route_table_ids = ["rtb-0aaaaaaaaaaaaaaaa"]
  onprem_cidrs    = ["172.16.0.0/16", "192.168.10.0/24"]
}

run "private_hosted_zone_mode_by_default" {
  command = plan

  assert {
    condition     = aws_vpc_endpoint.interface.private_dns_enabled == false
    error_message = "private_hosted_zone mode keeps the endpoint's private DNS off."
  }
  assert {
    condition     = length(aws_route53_zone.s3) == 1 && aws_route53_zone.s3[0].name == "s3.us-east-1.amazonaws.com"
    error_message = "private_hosted_zone mode creates the zone s3.<region>.amazonaws.com."
  }
  assert {
    condition     = aws_route53_record.s3["apex"].name == "s3.us-east-1.amazonaws.com" && aws_route53_record.s3["wildcard"].name == "*.s3.us-east-1.amazonaws.com"
    error_message = "The zone needs an apex and a wildcard alias record."
  }
  assert {
    condition     = output.dns_mode == "private_hosted_zone"
    error_message = "dns_mode output must echo the mode."
  }
}

run "inbound_resolver_private_dns_mode" {
  command = plan
  variables {
    dns_mode = "inbound_resolver_private_dns"
  }

  assert {
    condition     = aws_vpc_endpoint.interface.private_dns_enabled == true
    error_message = "inbound_resolver_private_dns mode turns the endpoint's private DNS on."
  }
  assert {
    condition     = one(aws_vpc_endpoint.interface.dns_options).private_dns_only_for_inbound_resolver_endpoint == true
    error_message = "Private DNS must answer only queries through the inbound Resolver endpoint."
  }
  assert {
    condition     = length(aws_route53_zone.s3) == 0 && length(aws_route53_record.s3) == 0
    error_message = "No hosted zone in inbound_resolver_private_dns mode."
  }
}

run "rules_per_onprem_network" {
  command = plan

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.endpoint_https)) == toset(["172.16.0.0/16", "192.168.10.0/24", "vpc"])
    error_message = "HTTPS from every on-premises network and the VPC."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.endpoint_https["vpc"].cidr_ipv4 == "10.0.0.0/16"
    error_message = "The VPC rule must allow vpc_cidr."
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.resolver_dns) == 4
    error_message = "DNS over TCP and UDP from each on-premises network."
  }
}

run "no_resolver_and_no_demo_bucket" {
  command = plan
  variables {
    inbound_resolver = { enabled = false }
  }

  assert {
    condition = (
      length(aws_route53_resolver_endpoint.inbound) + length(aws_security_group.resolver) +
      length(aws_vpc_security_group_ingress_rule.resolver_dns) == 0
    )
    error_message = "inbound_resolver.enabled = false must create no resolver resources."
  }
  assert {
    condition     = length(aws_s3_bucket.demo) == 0 && length(module.kms_key) == 0 && output.demo_bucket_name == null
    error_message = "The demo bucket is off by default."
  }
  assert {
    condition     = length(output.inbound_resolver_ips) == 0
    error_message = "No resolver, no resolver IPs."
  }
}

run "demo_bucket_with_a_given_key" {
  command = plan
  variables {
    demo_bucket = {
      enabled              = true
      admin_principal_arns = ["arn:aws:iam::123456789012:role/admin"]
      kms_key_arn          = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    }
  }

  assert {
    condition     = aws_s3_bucket.demo[0].bucket == "test-s3-privatelink-demo-123456789012"
    error_message = "The demo bucket is named <name_prefix>-s3-privatelink-demo-<account>."
  }
  assert {
    condition     = length(module.kms_key) == 0
    error_message = "A given demo_bucket.kms_key_arn replaces the module-created key."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.demo[0].rule).apply_server_side_encryption_by_default).kms_master_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    error_message = "The bucket must be encrypted with the given key."
  }
}
