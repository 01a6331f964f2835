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
    allowed_bucket_arns = ["arn:aws:s3:::team-data"]
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

  assert {
    condition     = length(data.aws_iam_policy_document.endpoint.statement) == 1 && length(data.aws_iam_policy_document.endpoint.statement[0].condition) == 0
    error_message = "With a bucket list the listed buckets alone decide: no account condition in the endpoint policy."
  }

  # Known endpoint IDs at plan, so the demo bucket policy's statements can be read.
  override_resource {
    target          = aws_vpc_endpoint.interface
    override_during = plan
    values = {
      id        = "vpce-0interface"
      dns_entry = [{ dns_name = "*.vpce-0interface.s3.us-east-1.vpce.amazonaws.com", hosted_zone_id = "Z7HUB22UULQXV" }]
    }
  }
  override_resource {
    target          = aws_vpc_endpoint.gateway
    override_during = plan
    values          = { id = "vpce-0gateway" }
  }
  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.demo_bucket[0].statement : (
      s.effect == "Deny" && one(s.principals).identifiers == toset(["*"]) &&
      s.resources == toset(["arn:aws:s3:::test-s3-privatelink-demo-123456789012", "arn:aws:s3:::test-s3-privatelink-demo-123456789012/*"])
    )]) && join(",", data.aws_iam_policy_document.demo_bucket[0].statement[*].sid) == "DenyInsecureTransport,DenyAccessNotThroughTheEndpoint"
    error_message = "The demo bucket policy is two denials to everyone, on the bucket and its objects."
  }
  assert {
    condition = jsonencode({ for c in data.aws_iam_policy_document.demo_bucket[0].statement[0].condition : c.variable => [c.test, c.values] }) == jsonencode({
      "aws:SecureTransport" = ["Bool", ["false"]]
    })
    error_message = "DenyInsecureTransport must deny requests without TLS."
  }
  assert {
    condition = jsonencode({ for c in data.aws_iam_policy_document.demo_bucket[0].statement[1].condition : c.variable => [c.test, c.values] }) == jsonencode({
      "aws:PrincipalArn" = ["ArnNotLike", ["arn:aws:iam::123456789012:role/admin"]]
      "aws:SourceVpce"   = ["StringNotEquals", ["vpce-0interface", "vpce-0gateway"]]
    })
    error_message = "Outside the module's endpoints only the admin principals (the escape hatch) may reach the bucket."
  }
  assert {
    condition = (
      output.bucket_endpoint_url_pattern == "https://bucket.vpce-0interface.s3.us-east-1.vpce.amazonaws.com" &&
      output.test_commands.list_bucket_via_endpoint_url == "aws s3 ls s3://test-s3-privatelink-demo-123456789012/ --region us-east-1 --endpoint-url https://bucket.vpce-0interface.s3.us-east-1.vpce.amazonaws.com"
    )
    error_message = "Bucket-style requests go to https://bucket.<the interface endpoint's regional DNS name>."
  }
}
