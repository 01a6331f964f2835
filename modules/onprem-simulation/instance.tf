# ------------------------------------------------- the strongSwan customer gateway (EC2)

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0

  name = local.ami_ssm_parameter
}

locals {
  ami_id = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.ami[0].insecure_value
  # Graviton types (t4g, ...) boot the arm64 Amazon Linux 2023, every other type x86_64.
  architecture      = can(regex("^[a-z]+[0-9]+g[a-z]*\\.", var.instance_type)) ? "arm64" : "x86_64"
  ami_ssm_parameter = coalesce(var.ami_ssm_parameter, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${local.architecture}")

  # IKE (UDP 500) and NAT traversal (UDP 4500) with each AWS tunnel endpoint. No ESP
  # (protocol 50) rule: behind its Elastic IP (1:1 NAT) the instance always encapsulates
  # ESP in UDP 4500.
  tunnel_peers = {
    tunnel1 = local.tunnels[0].outside_address
    tunnel2 = local.tunnels[1].outside_address
  }
  ipsec_protocols = {
    ike  = { ip_protocol = "udp", from_port = 500, to_port = 500 }
    natt = { ip_protocol = "udp", from_port = 4500, to_port = 4500 }
  }
  ipsec_rules = {
    for pair in setproduct(keys(local.tunnel_peers), keys(local.ipsec_protocols)) :
    "${pair[0]}-${pair[1]}" => merge(local.ipsec_protocols[pair[1]], { peer = local.tunnel_peers[pair[0]] })
  }
}

resource "aws_security_group" "vpn" {
  name        = "${local.name}-vpn-instance"
  description = "strongSwan instance: IPsec with the AWS tunnel endpoints, forwarding for the on-premises VPC"
  vpc_id      = module.vpc.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-vpn-instance" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "vpn_ipsec" {
  for_each = local.ipsec_rules

  security_group_id = aws_security_group.vpn.id
  description       = "IPsec ${each.key} from the AWS tunnel endpoint"
  ip_protocol       = each.value.ip_protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  cidr_ipv4         = "${each.value.peer}/32"
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "vpn_ipsec" {
  for_each = local.ipsec_rules

  security_group_id = aws_security_group.vpn.id
  description       = "IPsec ${each.key} to the AWS tunnel endpoint"
  ip_protocol       = each.value.ip_protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  cidr_ipv4         = "${each.value.peer}/32"
  tags              = var.tags
}

# The instance routes for the whole data centre: traffic from on-premises hosts to the
# cloud arrives here, and traffic from the cloud leaves here to on-premises hosts.
resource "aws_vpc_security_group_ingress_rule" "vpn_from_onprem" {
  security_group_id = aws_security_group.vpn.id
  description       = "Traffic of on-premises hosts to the cloud (forwarded into the tunnels)"
  ip_protocol       = "-1"
  cidr_ipv4         = var.cidr_block
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "vpn_to_onprem" {
  security_group_id = aws_security_group.vpn.id
  description       = "Traffic from the cloud to on-premises hosts, and DNS to the VPC resolver"
  ip_protocol       = "-1"
  cidr_ipv4         = var.cidr_block
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "vpn_https" {
  security_group_id = aws_security_group.vpn.id
  description       = "HTTPS to package repositories (dnf, strongSwan source) and the regional SSM endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

data "aws_iam_policy_document" "instance_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name                 = "${local.name}-vpn-instance"
  description          = "strongSwan instance of ${local.name}: Session Manager and its own tunnel keys"
  assume_role_policy   = data.aws_iam_policy_document.instance_assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

# AWS's managed policy for Session Manager (the conventional minimum for an SSM-managed node).
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "ReadTunnelPreSharedKeys"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.psk.arn]
  }

  # With the AWS managed key aws/ssm, its key policy already allows this through SSM.
  dynamic "statement" {
    for_each = local.psk_kms_key_arn == null ? [] : [local.psk_kms_key_arn]
    content {
      sid       = "DecryptTunnelPreSharedKeysThroughSsm"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "instance" {
  name   = "${local.name}-vpn-psk-read"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.instance.json
}

resource "aws_iam_instance_profile" "instance" {
  name = "${local.name}-vpn-instance"
  role = aws_iam_role.instance.name
  tags = var.tags
}

resource "aws_instance" "vpn" {
  ami                         = local.ami_id
  instance_type               = var.instance_type
  subnet_id                   = module.vpc.subnet_ids[0]
  private_ip                  = local.dns_server_ip # the data centre's DNS server address
  vpc_security_group_ids      = [aws_security_group.vpn.id]
  iam_instance_profile        = aws_iam_instance_profile.instance.name
  associate_public_ip_address = false # the Elastic IP is the customer gateway address
  source_dest_check           = false # it forwards traffic between the tunnels and the VPC
  monitoring                  = true
  ebs_optimized               = true
  user_data_replace_on_change = true

  # Tunnel attributes only; the pre-shared keys are read from SSM at boot.
  user_data = templatefile("${path.module}/templates/strongswan.sh.tftpl", {
    region                   = local.region
    psk_parameter_name       = aws_ssm_parameter.psk.name
    onprem_cidr              = var.cidr_block
    cloud_cidr               = var.cloud_vpc_cidr
    customer_gateway_ip      = aws_eip.vpn.public_ip
    tunnel1_address          = local.tunnels[0].outside_address
    tunnel1_cgw_inside       = local.tunnels[0].cgw_inside_address
    tunnel1_vgw_inside       = local.tunnels[0].aws_inside_address
    tunnel2_address          = local.tunnels[1].outside_address
    tunnel2_cgw_inside       = local.tunnels[1].cgw_inside_address
    tunnel2_vgw_inside       = local.tunnels[1].aws_inside_address
    vpn_routing              = var.vpn_routing
    strongswan_version       = var.strongswan_version
    strongswan_source_sha256 = var.strongswan_source_sha256 == null ? "" : var.strongswan_source_sha256
    dns_forwarder_config     = local.dns_forwarder_config
  })

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    encrypted             = true
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    delete_on_termination = true
  }

  tags = merge(var.tags, { Name = "${local.name}-strongswan" })

  lifecycle {
    # Once aws_eip_association.vpn attaches the Elastic IP, the provider reads the primary
    # interface's association back as associate_public_ip_address = true, and this
    # attribute forces replacement: every plan after apply would replace the instance.
    ignore_changes = [associate_public_ip_address]
  }

  # The boot script reads the keys from SSM over the internet gateway once the Elastic IP is
  # associated (it retries while that and IAM settle; the SSM agent retries on its own).
  depends_on = [aws_iam_role_policy.instance]
}

resource "aws_eip_association" "vpn" {
  allocation_id = aws_eip.vpn.id
  instance_id   = aws_instance.vpn.id

  # An Elastic IP needs the VPC's internet gateway.
  depends_on = [module.vpc]
}
