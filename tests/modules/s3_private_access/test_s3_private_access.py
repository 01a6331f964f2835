"""modules/s3-private-access: what the plan inventories (tftest.yaml) cannot say, then apply
on the emulator with boto3 checks, idempotency and destroy. Bad input is in
modules/s3-private-access/tests/*.tftest.hcl."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit.tf import PlanResult
from tests.harness.assertions import (
    as_list,
    assert_bucket_hardened,
    assert_no_changes,
    policy_statements,
)

HERE = Path(__file__).parent
EXAMPLE = "modules/s3-private-access/examples/basic"
MOD = "module.s3_private_access"
INTERFACE = f"{MOD}.aws_vpc_endpoint.interface"
GATEWAY = f"{MOD}.aws_vpc_endpoint.gateway"
ACCOUNT = "123456789012"
DEMO_BUCKET = f"example-s3-privatelink-demo-{ACCOUNT}"
THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]

Planned = Callable[..., PlanResult]


def _module_resource(plan: PlanResult, address: str) -> dict[str, Any]:
    """The configuration of one resource of the module call (expressions, depends_on)."""
    call = plan.raw["configuration"]["root_module"]["module_calls"]["s3_private_access"]
    (resource,) = [r for r in call["module"]["resources"] if r["address"] == address]
    return dict(resource)


@pytest.mark.plan
def test_endpoint_policy_with_bucket_list_has_no_account_condition(planned: Planned) -> None:
    # A subset match cannot say "no Condition": the listed buckets alone decide.
    plan = planned(HERE, "allowed_buckets")
    for address in (INTERFACE, GATEWAY):
        (statement,) = policy_statements(plan.values[address]["policy"]).values()
        assert "Condition" not in statement


@pytest.mark.plan
def test_inbound_resolver_mode_creates_the_gateway_endpoint_first(planned: Planned) -> None:
    # AWS requires the gateway endpoint before the interface endpoint in this mode.
    plan = planned(HERE, "inbound_resolver_private_dns")
    interface = _module_resource(plan, "aws_vpc_endpoint.interface")
    assert interface["depends_on"] == ["aws_vpc_endpoint.gateway"]


def _condition(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["variable"]["constant_value"]: c for c in statement["condition"]}


@pytest.mark.plan
def test_demo_bucket_policy_denies_plain_http_and_access_outside_the_endpoints(
    planned: Planned,
) -> None:
    # Its values wait for the endpoint IDs, so the configured document is checked here and
    # the applied one on the emulator.
    document = _module_resource(planned(HERE, "basic"), "data.aws_iam_policy_document.demo_bucket")
    statements = {s["sid"]["constant_value"]: s for s in document["expressions"]["statement"]}
    assert set(statements) == {"DenyInsecureTransport", "DenyAccessNotThroughTheEndpoint"}
    for statement in statements.values():
        assert statement["effect"]["constant_value"] == "Deny"
        assert statement["principals"][0]["identifiers"]["constant_value"] == ["*"]
        assert statement["resources"]["references"] == ["local.demo_bucket_arn"] * 2
    tls = _condition(statements["DenyInsecureTransport"])["aws:SecureTransport"]
    assert (tls["test"]["constant_value"], tls["values"]["constant_value"]) == ("Bool", ["false"])
    outside = _condition(statements["DenyAccessNotThroughTheEndpoint"])
    assert outside["aws:SourceVpce"]["test"]["constant_value"] == "StringNotEquals"
    assert outside["aws:SourceVpce"]["values"]["references"] == ["local.demo_bucket_endpoints"]
    hatch = outside["aws:PrincipalArn"]
    assert hatch["test"]["constant_value"] == "ArnNotLike"
    assert "var.demo_bucket.admin_principal_arns" in hatch["values"]["references"]


@pytest.mark.apply
def test_apply_creates_private_access_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Callable[[str], Any]
) -> None:
    variables = {"onprem_cidrs": ["172.16.0.0/16", "192.168.10.0/24"]}
    with applied(EXAMPLE, variables) as (ws, out):
        ec2 = boto("ec2")
        endpoints = {
            e["VpcEndpointId"]: e
            for e in ec2.describe_vpc_endpoints(
                VpcEndpointIds=[out["interface_endpoint_id"], out["gateway_endpoint_id"]]
            )["VpcEndpoints"]
        }
        interface = endpoints[out["interface_endpoint_id"]]
        gateway = endpoints[out["gateway_endpoint_id"]]
        assert interface["VpcEndpointType"] == "Interface"
        assert interface["ServiceName"] == "com.amazonaws.us-east-1.s3"
        assert interface["VpcId"] == out["vpc_id"]
        assert sorted(interface["SubnetIds"]) == sorted(out["subnet_ids"])
        assert [g["GroupId"] for g in interface["Groups"]] == [out["endpoint_security_group_id"]]
        assert interface["PrivateDnsEnabled"] is False
        assert interface["DnsOptions"] == {
            "DnsRecordIpType": "ipv4",
            "PrivateDnsOnlyForInboundResolverEndpoint": False,
        }
        assert gateway["VpcEndpointType"] == "Gateway"
        assert gateway["ServiceName"] == "com.amazonaws.us-east-1.s3"
        assert sorted(gateway["RouteTableIds"]) == sorted(out["route_table_ids"])
        for endpoint in (interface, gateway):
            (statement,) = json.loads(endpoint["PolicyDocument"])["Statement"]
            assert statement["Condition"]["StringEquals"]["aws:ResourceAccount"] == ACCOUNT

        (sg,) = ec2.describe_security_groups(GroupIds=[out["endpoint_security_group_id"]])[
            "SecurityGroups"
        ]
        assert sorted(
            (p["IpProtocol"], p["FromPort"], p["ToPort"], r["CidrIp"])
            for p in sg["IpPermissions"]
            for r in p["IpRanges"]
        ) == [
            ("tcp", 443, 443, "10.0.0.0/16"),
            ("tcp", 443, 443, "172.16.0.0/16"),
            ("tcp", 443, 443, "192.168.10.0/24"),
        ]
        assert sg["IpPermissionsEgress"] == []

        (resolver_sg,) = ec2.describe_security_groups(GroupIds=[out["resolver_security_group_id"]])[
            "SecurityGroups"
        ]
        assert sorted(
            (p["IpProtocol"], p["FromPort"], r["CidrIp"])
            for p in resolver_sg["IpPermissions"]
            for r in p["IpRanges"]
        ) == [
            ("tcp", 53, "172.16.0.0/16"),
            ("tcp", 53, "192.168.10.0/24"),
            ("udp", 53, "172.16.0.0/16"),
            ("udp", 53, "192.168.10.0/24"),
        ]
        assert resolver_sg["IpPermissionsEgress"] == []

        resolver = boto("route53resolver")
        inbound = resolver.get_resolver_endpoint(
            ResolverEndpointId=out["inbound_resolver_endpoint_id"]
        )["ResolverEndpoint"]
        assert inbound["Direction"] == "INBOUND"
        assert inbound["IpAddressCount"] == 2
        assert inbound["SecurityGroupIds"] == [out["resolver_security_group_id"]]
        assert inbound["Protocols"] == ["Do53"]
        ips = resolver.list_resolver_endpoint_ip_addresses(
            ResolverEndpointId=out["inbound_resolver_endpoint_id"]
        )["IpAddresses"]
        assert sorted(ip["Ip"] for ip in ips) == out["inbound_resolver_ips"]
        assert sorted(ip["SubnetId"] for ip in ips) == sorted(out["subnet_ids"][:2])

        route53 = boto("route53")
        zone = route53.get_hosted_zone(Id=out["hosted_zone_id"])
        assert zone["HostedZone"]["Name"] == "s3.us-east-1.amazonaws.com."
        assert zone["HostedZone"]["Config"]["PrivateZone"] is True
        assert [v["VPCId"] for v in zone["VPCs"]] == [out["vpc_id"]]
        records = route53.list_resource_record_sets(HostedZoneId=out["hosted_zone_id"])
        aliases = {
            r["Name"].replace("\\052", "*"): r["AliasTarget"]["DNSName"].rstrip(".")
            for r in records["ResourceRecordSets"]
            if r["Type"] == "A"
        }
        assert aliases == {
            "s3.us-east-1.amazonaws.com.": out["interface_endpoint_dns_name"],
            "*.s3.us-east-1.amazonaws.com.": out["interface_endpoint_dns_name"],
        }
        assert out["bucket_endpoint_url_pattern"] == (
            f"https://bucket.{out['interface_endpoint_dns_name']}"
        )
        assert out["test_commands"]["resolve_s3_via_inbound_resolver"] == (
            f"dig +short s3.us-east-1.amazonaws.com @{out['inbound_resolver_ips'][0]}"
        )
        assert out["test_commands"]["list_bucket_via_endpoint_url"] == (
            f"aws s3 ls s3://{DEMO_BUCKET}/ --region us-east-1 "
            f"--endpoint-url https://bucket.{out['interface_endpoint_dns_name']}"
        )

        _assert_demo_bucket_locked_to_endpoints(boto("s3"), out)

        assert_no_changes(ws.plan(variables))

        # A third zone adds a subnet to the interface endpoint in place (no replacement).
        three = ws.plan({**variables, "azs": THREE_AZS})
        change = next(c for c in three.changes if c["address"] == INTERFACE)
        assert change["change"]["actions"] in (["update"], ["delete", "create"])
        assert sorted(change["change"]["before"]["subnet_ids"]) == sorted(out["subnet_ids"])
        assert "subnet_ids" in (change["change"].get("after_unknown") or {})


def _assert_demo_bucket_locked_to_endpoints(s3: Any, out: dict[str, Any]) -> None:
    """What the emulator holds for the demo bucket: the S3 baseline with the module's key,
    the lifecycle rule, and the endpoint-only policy."""
    bucket = out["demo_bucket_name"]
    assert bucket == DEMO_BUCKET
    assert out["demo_bucket_arn"] == f"arn:aws:s3:::{DEMO_BUCKET}"
    assert_bucket_hardened(s3, bucket, out["demo_bucket_kms_key_arn"])
    (lifecycle,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert lifecycle["Status"] == "Enabled"
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert lifecycle["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    statements = policy_statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert set(statements) == {"DenyInsecureTransport", "DenyAccessNotThroughTheEndpoint"}
    outside = statements["DenyAccessNotThroughTheEndpoint"]["Condition"]
    assert sorted(as_list(outside["StringNotEquals"]["aws:SourceVpce"])) == sorted(
        [out["interface_endpoint_id"], out["gateway_endpoint_id"]]
    )
    assert as_list(outside["ArnNotLike"]["aws:PrincipalArn"]), "no admin escape hatch"
