"""modules/s3-private-access: the one plan fact data cannot say, then apply on the emulator:
what only apply knows, idempotency and destroy. Bad input and the policies' wiring are in
modules/s3-private-access/tests/*.tftest.hcl."""

from __future__ import annotations

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
THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


@pytest.mark.plan
def test_inbound_resolver_mode_creates_the_gateway_endpoint_first(
    planned: Callable[..., PlanResult],
) -> None:
    # AWS requires the gateway endpoint before the interface endpoint in this mode (a
    # depends_on: neither an inventory nor a mock plan shows it).
    call = planned(HERE, "inbound_resolver_private_dns").raw["configuration"]["root_module"]
    resources = call["module_calls"]["s3_private_access"]["module"]["resources"]
    (interface,) = [r for r in resources if r["address"] == "aws_vpc_endpoint.interface"]
    assert interface["depends_on"] == ["aws_vpc_endpoint.gateway"]


@pytest.mark.apply
def test_apply_creates_private_access_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Callable[[str], Any]
) -> None:
    variables = {"onprem_cidrs": ["172.16.0.0/16", "192.168.10.0/24"]}
    with applied(EXAMPLE, variables) as (ws, out):
        # Configured values (types, services, DNS options, policies, ingress rules, resolver
        # settings, lifecycle) are in two_onprem_networks.yaml; the empty plan after apply proves
        # the emulator holds them. Here: what only apply knows.
        ec2 = boto("ec2")
        ids = [out["interface_endpoint_id"], out["gateway_endpoint_id"]]
        found = ec2.describe_vpc_endpoints(VpcEndpointIds=ids)["VpcEndpoints"]
        interface, gateway = (e for i in ids for e in found if e["VpcEndpointId"] == i)
        assert [interface["VpcId"], gateway["VpcId"]] == [out["vpc_id"]] * 2
        assert sorted(interface["SubnetIds"]) == sorted(out["subnet_ids"])
        assert [g["GroupId"] for g in interface["Groups"]] == [out["endpoint_security_group_id"]]
        assert sorted(gateway["RouteTableIds"]) == sorted(out["route_table_ids"])
        # No egress at all (egress is computed: the plan would not show AWS's default rule).
        for group_id in (out["endpoint_security_group_id"], out["resolver_security_group_id"]):
            (group,) = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
            assert group["IpPermissionsEgress"] == []

        resolver = boto("route53resolver")
        inbound = resolver.get_resolver_endpoint(
            ResolverEndpointId=out["inbound_resolver_endpoint_id"]
        )["ResolverEndpoint"]
        assert inbound["SecurityGroupIds"] == [out["resolver_security_group_id"]]
        ips = resolver.list_resolver_endpoint_ip_addresses(
            ResolverEndpointId=out["inbound_resolver_endpoint_id"]
        )["IpAddresses"]
        assert sorted(ip["Ip"] for ip in ips) == out["inbound_resolver_ips"]
        assert sorted(ip["SubnetId"] for ip in ips) == sorted(out["subnet_ids"][:2])

        route53 = boto("route53")
        zone = route53.get_hosted_zone(Id=out["hosted_zone_id"])
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
        # (The bucket-style URL and command: modules/s3-private-access/tests/interface.tftest.hcl.)
        assert out["test_commands"]["resolve_s3_via_inbound_resolver"] == (
            f"dig +short s3.us-east-1.amazonaws.com @{out['inbound_resolver_ips'][0]}"
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
    """The demo bucket: the S3 baseline with the module's key (an ARN known after apply) and
    the endpoint-only policy (it names the endpoint IDs, unknown at plan time)."""
    bucket = out["demo_bucket_name"]
    assert_bucket_hardened(s3, bucket, out["demo_bucket_kms_key_arn"])
    statements = policy_statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert set(statements) == {"DenyInsecureTransport", "DenyAccessNotThroughTheEndpoint"}
    outside = statements["DenyAccessNotThroughTheEndpoint"]["Condition"]
    assert sorted(as_list(outside["StringNotEquals"]["aws:SourceVpce"])) == sorted(
        [out["interface_endpoint_id"], out["gateway_endpoint_id"]]
    )
    assert as_list(outside["ArnNotLike"]["aws:PrincipalArn"]), "no admin escape hatch"
