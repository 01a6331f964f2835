"""The emulator returns what the provider sets, so "no changes after apply" means something.

Each test is a gap moto 5.2.5 has on its own (see `iackit.emulator.patches`); without the
patch the provider would plan an update right after every apply.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree

import boto3
import pytest

from iackit.emulator import Emulator

ACCOUNT = "123456789012"
pytestmark = pytest.mark.unit


def client(aws: Emulator, service: str) -> Any:
    return boto3.client(service, endpoint_url=aws.endpoint, region_name="us-east-1")


def test_tags_are_found_by_an_arn_without_account_id(aws: Emulator) -> None:
    sesv2 = client(aws, "sesv2")
    sesv2.create_email_identity(
        EmailIdentity="sender@example.com", Tags=[{"Key": "environment", "Value": "dev"}]
    )
    # What the provider asks when `skip_requesting_account_id` is set.
    arn = "arn:aws:ses:us-east-1::identity/sender@example.com"
    assert sesv2.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "environment", "Value": "dev"}
    ]


def test_tags_sent_with_create_bucket_are_kept(aws: Emulator) -> None:
    s3 = client(aws, "s3")
    s3.create_bucket(
        Bucket="tagged-on-create",
        CreateBucketConfiguration={"Tags": [{"Key": "Name", "Value": "lake"}]},
    )
    assert s3.get_bucket_tagging(Bucket="tagged-on-create")["TagSet"] == [
        {"Key": "Name", "Value": "lake"}
    ]


def test_a_conditional_bucket_policy_deny_is_stored_not_enforced(aws: Emulator) -> None:
    """The data lake's TLS-only deny: moto alone refuses every PutObject (403) because it
    cannot evaluate the condition; policies are stored, not enforced, on the emulator."""
    s3 = client(aws, "s3")
    s3.create_bucket(Bucket="tls-only")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps(policy))
    s3.put_object(Bucket="tls-only", Key="k", Body=b"v")
    assert s3.get_object(Bucket="tls-only", Key="k")["Body"].read() == b"v"
    assert json.loads(s3.get_bucket_policy(Bucket="tls-only")["Policy"]) == policy


def test_event_archive_keeps_its_kms_key(aws: Emulator) -> None:
    events = client(aws, "events")
    bus_arn = events.create_event_bus(Name="bus")["EventBusArn"]
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    events.create_archive(ArchiveName="a", EventSourceArn=bus_arn, KmsKeyIdentifier=key)
    assert events.describe_archive(ArchiveName="a")["KmsKeyIdentifier"] == key
    events.update_archive(ArchiveName="a", KmsKeyIdentifier="")
    assert "KmsKeyIdentifier" not in events.describe_archive(ArchiveName="a")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def test_lambda_keeps_its_dead_letter_config(aws: Emulator) -> None:
    iam = client(aws, "iam")
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    dlq = f"arn:aws:sqs:us-east-1:{ACCOUNT}:fn-dlq"
    lam = client(aws, "lambda")
    lam.create_function(
        FunctionName="fn",
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": _zip()},
        DeadLetterConfig={"TargetArn": dlq},
    )
    assert lam.get_function_configuration(FunctionName="fn")["DeadLetterConfig"] == {
        "TargetArn": dlq
    }
    lam.update_function_configuration(FunctionName="fn", DeadLetterConfig={"TargetArn": ""})
    assert "DeadLetterConfig" not in lam.get_function_configuration(FunctionName="fn")


def test_interface_endpoint_reports_its_dns_options(aws: Emulator) -> None:
    ec2 = client(aws, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    endpoint_id = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName="com.amazonaws.us-east-1.s3",
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
        PrivateDnsEnabled=True,
        DnsOptions={"DnsRecordIpType": "ipv4", "PrivateDnsOnlyForInboundResolverEndpoint": True},
    )["VpcEndpoint"]["VpcEndpointId"]
    described = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]
    assert described["DnsOptions"] == {
        "DnsRecordIpType": "ipv4",
        "PrivateDnsOnlyForInboundResolverEndpoint": True,
    }
    assert described["IpAddressType"] == "ipv4"


def test_resolver_endpoint_reports_protocols_and_type(aws: Emulator) -> None:
    ec2 = client(aws, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"]
        for i in (1, 2)
    ]
    group = ec2.create_security_group(GroupName="dns", Description="dns", VpcId=vpc)["GroupId"]
    resolver = client(aws, "route53resolver")
    endpoint_id = resolver.create_resolver_endpoint(
        CreatorRequestId="inbound",
        SecurityGroupIds=[group],
        Direction="INBOUND",
        IpAddresses=[{"SubnetId": s} for s in subnets],
        Protocols=["Do53", "DoH"],
        ResolverEndpointType="IPV4",
    )["ResolverEndpoint"]["Id"]
    endpoint = resolver.get_resolver_endpoint(ResolverEndpointId=endpoint_id)["ResolverEndpoint"]
    assert endpoint["Protocols"] == ["Do53", "DoH"]
    assert endpoint["ResolverEndpointType"] == "IPV4"


def test_zone_created_with_a_vpc_is_private(aws: Emulator) -> None:
    vpc = client(aws, "ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    route53 = client(aws, "route53")
    # As the provider sends it: a VPC, no HostedZoneConfig.PrivateZone.
    zone_id = route53.create_hosted_zone(
        Name="s3.us-east-1.amazonaws.com",
        CallerReference="zone",
        VPC={"VPCRegion": "us-east-1", "VPCId": vpc},
        HostedZoneConfig={"Comment": "private"},
    )["HostedZone"]["Id"]
    zone = route53.get_hosted_zone(Id=zone_id)
    assert zone["HostedZone"]["Config"]["PrivateZone"] is True
    assert zone["VPCs"] == [{"VPCRegion": "us-east-1", "VPCId": vpc}]


def test_vpn_tunnels_have_addresses_of_their_own(aws: Emulator) -> None:
    """moto gives both tunnels of every VPN connection one outside address; the provider
    reads tunnel1_address/tunnel2_address from this XML, and per-tunnel rules collided."""
    ec2 = client(aws, "ec2")
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.7", BgpAsn=65000)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]

    def tunnels(connection_id: str) -> list[dict[str, str]]:
        (vpn,) = ec2.describe_vpn_connections(VpnConnectionIds=[connection_id])["VpnConnections"]
        root = ElementTree.fromstring(vpn["CustomerGatewayConfiguration"])
        return [
            {
                "aws": tunnel.findtext("vpn_gateway/tunnel_outside_address/ip_address") or "",
                "customer": tunnel.findtext("customer_gateway/tunnel_outside_address/ip_address")
                or "",
                "aws_inside": tunnel.findtext("vpn_gateway/tunnel_inside_address/ip_address") or "",
                "key": tunnel.findtext("ike/pre_shared_key") or "",
            }
            for tunnel in root.iter("ipsec_tunnel")
        ]

    ids = [
        ec2.create_vpn_connection(
            Type="ipsec.1",
            CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
            VpnGatewayId=vgw,
        )["VpnConnection"]["VpnConnectionId"]
        for _ in range(2)
    ]
    first, second = tunnels(ids[0]), tunnels(ids[1])
    assert len(first) == 2
    assert first[0]["aws"] != first[1]["aws"]
    assert first[0]["aws_inside"] != first[1]["aws_inside"]
    assert first[0]["key"] != first[1]["key"]
    assert {t["customer"] for t in first} == {"198.51.100.7"}
    assert {t["aws"] for t in first}.isdisjoint({t["aws"] for t in second})
    assert tunnels(ids[0]) == first, "stable across reads"


def test_vpn_connection_keeps_its_options_and_static_routes(aws: Emulator) -> None:
    """moto drops a VPN connection's Options (the plan after apply replaced it) and has no
    CreateVpnConnectionRoute, nor the filters the provider finds a route by."""
    ec2 = client(aws, "ec2")
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.8", BgpAsn=65000)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    vpn = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
        VpnGatewayId=vgw,
        Options={"StaticRoutesOnly": True},
    )["VpnConnection"]["VpnConnectionId"]
    ec2.create_vpn_connection_route(VpnConnectionId=vpn, DestinationCidrBlock="172.16.0.0/16")
    found = ec2.describe_vpn_connections(
        Filters=[
            {"Name": "vpn-connection-id", "Values": [vpn]},
            {"Name": "route.destination-cidr-block", "Values": ["172.16.0.0/16"]},
        ]
    )["VpnConnections"]
    assert [v["VpnConnectionId"] for v in found] == [vpn]
    assert found[0]["Options"]["StaticRoutesOnly"] is True
    assert len(found[0]["Options"]["TunnelOptions"]) == 2
    assert found[0]["Routes"] == [
        {"DestinationCidrBlock": "172.16.0.0/16", "Source": "Static", "State": "available"}
    ]
    ec2.delete_vpn_connection_route(VpnConnectionId=vpn, DestinationCidrBlock="172.16.0.0/16")
    (after,) = ec2.describe_vpn_connections(VpnConnectionIds=[vpn])["VpnConnections"]
    assert after.get("Routes", []) == []


def test_detailed_monitoring_can_be_switched_on(aws: Emulator) -> None:
    """MonitorInstances is not implemented in moto: the provider retried it forever."""
    ec2 = client(aws, "ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
    answer = ec2.monitor_instances(InstanceIds=[instance["InstanceId"]])
    assert answer["InstanceMonitorings"][0]["Monitoring"]["State"] == "pending"
    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])
    assert described["Reservations"][0]["Instances"][0]["Monitoring"]["State"] == "enabled"


def test_aws_managed_policies_exist(aws: Emulator) -> None:
    """The on-prem lab's instance role attaches AmazonSSMManagedInstanceCore; moto loads no
    AWS-managed policy unless told to."""
    policy = client(aws, "iam").get_policy(
        PolicyArn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    )
    assert policy["Policy"]["PolicyName"] == "AmazonSSMManagedInstanceCore"


def test_an_instance_launched_with_an_interface_has_its_groups(aws: Emulator) -> None:
    """The provider launches an instance with `associate_public_ip_address` set through a
    network interface specification; moto kept the groups on the interface only."""
    ec2 = client(aws, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="vpn", Description="vpn", VpcId=vpc)["GroupId"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    (instance,) = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": subnet,
                "Groups": [group],
                "AssociatePublicIpAddress": False,
            }
        ],
    )["Instances"]
    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])
    groups = described["Reservations"][0]["Instances"][0]["SecurityGroups"]
    assert [g["GroupId"] for g in groups] == [group]
