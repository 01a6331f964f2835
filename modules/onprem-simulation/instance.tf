# ------------------------------------------------- the strongSwan customer gateway (EC2)

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0

  name = var.ami_ssm_parameter
}

locals {
  ami_id = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.ami[0].insecure_value

  # IKE (UDP 500) and NAT traversal (UDP 4500) with each AWS tunnel endpoint. No ESP
  # (protocol 50) rule: behind its Elastic IP (1:1 NAT) the instance always encapsulates
  # ESP in UDP 4500.
  tunnel_peers = {
    tunnel1 = aws_vpn_connection.this.tunnel1_address
    tunnel2 = aws_vpn_connection.this.tunnel2_address
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
  description       = "Traffic from the cloud to on-premises hosts, SSM endpoints and DNS"
  ip_protocol       = "-1"
  cidr_ipv4         = var.cidr_block
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "vpn_https" {
  security_group_id = aws_security_group.vpn.id
  description       = "HTTPS to package repositories (dnf, strongSwan source) at first boot"
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

  statement {
    sid       = "DecryptTunnelPreSharedKeysThroughSsm"
    actions   = ["kms:Decrypt"]
    resources = [module.kms_key.key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${local.region}.amazonaws.com"]
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
    tunnel1_address          = aws_vpn_connection.this.tunnel1_address
    tunnel1_cgw_inside       = aws_vpn_connection.this.tunnel1_cgw_inside_address
    tunnel1_vgw_inside       = aws_vpn_connection.this.tunnel1_vgw_inside_address
    tunnel2_address          = aws_vpn_connection.this.tunnel2_address
    tunnel2_cgw_inside       = aws_vpn_connection.this.tunnel2_cgw_inside_address
    tunnel2_vgw_inside       = aws_vpn_connection.this.tunnel2_vgw_inside_address
    vpn_routing              = var.vpn_routing
    strongswan_version       = var.strongswan_version
    strongswan_source_sha256 = var.strongswan_source_sha256 == null ? "" : var.strongswan_source_sha256
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

  # The boot script reads the keys through the SSM endpoint (it retries while IAM settles;
  # the SSM agent retries registration on its own).
  depends_on = [aws_vpc_endpoint.ssm, aws_iam_role_policy.instance]
}

resource "aws_eip_association" "vpn" {
  allocation_id = aws_eip.vpn.id
  instance_id   = aws_instance.vpn.id

  # An Elastic IP needs the VPC's internet gateway.
  depends_on = [module.vpc]
}
