"""modules/s3-private-access: plan inventory and variants (both DNS modes, bucket restriction
on/off, with/without demo bucket, 2 vs 3 subnets), apply on the emulator with boto3 checks,
idempotency, destroy, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit.tf import TerraformError
from tests.harness.assertions import (
    assert_bucket_hardened,
    assert_inventory,
    assert_no_changes,
)
from tests.modules.vpc.network_harness import applied_network

HERE = Path(__file__).parent
EXAMPLE = "modules/s3-private-access/examples/basic"
MOD = "module.s3_private_access"
INTERFACE = f"{MOD}.aws_vpc_endpoint.interface"
GATEWAY = f"{MOD}.aws_vpc_endpoint.gateway"
ACCOUNT = "123456789012"
DEMO_BUCKET = f"example-s3-privatelink-demo-{ACCOUNT}"
THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


@pytest.fixture(scope="module")
def ws(workspace):
    """One initialised copy of the example for every plan of this module."""
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(ws):
    return ws.plan({})


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _statements(policy_json: str) -> dict[str, dict]:
    return {s["Sid"]: s for s in json.loads(policy_json)["Statement"]}


def _ingress(plan, name: str) -> dict[str, dict]:
    prefix = f"{MOD}.aws_vpc_security_group_ingress_rule.{name}["
    return {
        a: v
        for a, v in plan.by_type("aws_vpc_security_group_ingress_rule").items()
        if a.startswith(prefix)
    }


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_https_only_from_onprem_and_vpc_cidrs(plan) -> None:
    rules = _ingress(plan, "endpoint_https").values()
    assert sorted(r["cidr_ipv4"] for r in rules) == ["10.0.0.0/16", "172.16.0.0/16"]
    assert {(r["ip_protocol"], r["from_port"], r["to_port"]) for r in rules} == {("tcp", 443, 443)}
    # No egress rule at all: the endpoint only answers (checked on the emulator too).
    assert not plan.by_type("aws_vpc_security_group_egress_rule")


@pytest.mark.plan
def test_resolver_accepts_dns_from_each_onprem_cidr_over_tcp_and_udp(ws) -> None:
    plan = ws.plan({"onprem_cidrs": ["172.16.0.0/16", "192.168.10.0/24"]})
    resolver = _ingress(plan, "resolver_dns").values()
    assert sorted((r["ip_protocol"], r["cidr_ipv4"]) for r in resolver) == [
        ("tcp", "172.16.0.0/16"),
        ("tcp", "192.168.10.0/24"),
        ("udp", "172.16.0.0/16"),
        ("udp", "192.168.10.0/24"),
    ]
    assert {(r["from_port"], r["to_port"]) for r in resolver} == {(53, 53)}
    https = _ingress(plan, "endpoint_https").values()
    assert sorted(r["cidr_ipv4"] for r in https) == [
        "10.0.0.0/16",
        "172.16.0.0/16",
        "192.168.10.0/24",
    ]
    endpoint = plan.values[f"{MOD}.aws_route53_resolver_endpoint.inbound[0]"]
    assert endpoint["direction"] == "INBOUND"
    assert len(endpoint["ip_address"]) == 2


@pytest.mark.plan
def test_endpoint_policy_without_bucket_list_allows_own_account_only(plan) -> None:
    for address in (INTERFACE, GATEWAY):
        (statement,) = _statements(plan.values[address]["policy"]).values()
        assert statement["Sid"] == "AllowOwnAccountBucketsOnly"
        assert statement["Effect"] == "Allow"
        assert statement["Resource"] == "arn:aws:s3:::*"
        assert statement["Condition"] == {"StringEquals": {"aws:ResourceAccount": ACCOUNT}}
        assert all("*" not in a for a in _as_list(statement["Action"]))


@pytest.mark.plan
def test_endpoint_policy_with_bucket_list_names_only_those_buckets(ws) -> None:
    plan = ws.plan({"allowed_bucket_arns": ["arn:aws:s3:::team-data"]})
    for address in (INTERFACE, GATEWAY):
        (statement,) = _statements(plan.values[address]["policy"]).values()
        assert statement["Sid"] == "AllowListedBucketsOnly"
        assert "Condition" not in statement
        assert sorted(_as_list(statement["Resource"])) == sorted(
            [
                "arn:aws:s3:::team-data",
                "arn:aws:s3:::team-data/*",
                f"arn:aws:s3:::{DEMO_BUCKET}",
                f"arn:aws:s3:::{DEMO_BUCKET}/*",
            ]
        )


@pytest.mark.plan
def test_private_hosted_zone_mode(plan) -> None:
    endpoint = plan.values[INTERFACE]
    assert endpoint["private_dns_enabled"] is False
    (options,) = endpoint["dns_options"]
    assert options["dns_record_ip_type"] == "ipv4"
    assert options["private_dns_only_for_inbound_resolver_endpoint"] is False
    records = plan.by_type("aws_route53_record")
    assert sorted(r["name"] for r in records.values()) == [
        "*.s3.us-east-1.amazonaws.com",
        "s3.us-east-1.amazonaws.com",
    ]
    assert plan.outputs["dns_mode"] == "private_hosted_zone"


@pytest.mark.plan
def test_inbound_resolver_private_dns_mode(ws) -> None:
    plan = ws.plan({"dns_mode": "inbound_resolver_private_dns"})
    endpoint = plan.values[INTERFACE]
    assert endpoint["private_dns_enabled"] is True
    assert endpoint["dns_options"][0]["dns_record_ip_type"] == "ipv4"
    assert endpoint["dns_options"][0]["private_dns_only_for_inbound_resolver_endpoint"] is True
    assert not plan.by_type("aws_route53_zone")
    assert not plan.by_type("aws_route53_record")
    # AWS requires the gateway endpoint before the interface endpoint in this mode.
    config = plan.raw["configuration"]["root_module"]["module_calls"]["s3_private_access"]
    interface = next(
        r for r in config["module"]["resources"] if r["address"] == "aws_vpc_endpoint.interface"
    )
    assert interface["depends_on"] == ["aws_vpc_endpoint.gateway"]


@pytest.mark.plan
def test_three_subnets_and_no_demo_bucket_no_resolver(ws) -> None:
    plan = ws.plan(
        {"azs": THREE_AZS, "create_demo_bucket": False, "create_inbound_resolver": False}
    )
    assert len(plan.by_type("aws_subnet")) == 3
    # Subnet IDs are unknown until apply; the apply test shows a third zone's subnet
    # joining the endpoint.
    assert plan.outputs["inbound_resolver_ips"] == []
    for resource_type in (
        "aws_s3_bucket",
        "aws_s3_bucket_policy",
        "aws_kms_key",
        "aws_route53_resolver_endpoint",
    ):
        assert not plan.by_type(resource_type), resource_type
    assert not _ingress(plan, "resolver_dns")
    assert plan.outputs["demo_bucket_name"] is None
    assert plan.outputs["inbound_resolver_ips"] == []


def _demo_bucket_policy_statements(plan) -> dict[str, dict]:
    """The demo bucket policy as configured (its values wait for the endpoint IDs)."""
    call = plan.raw["configuration"]["root_module"]["module_calls"]["s3_private_access"]
    (document,) = [
        r
        for r in call["module"]["resources"]
        if r["address"] == "data.aws_iam_policy_document.demo_bucket"
    ]
    return {s["sid"]["constant_value"]: s for s in document["expressions"]["statement"]}


def _condition(statement: dict) -> dict[str, dict]:
    return {c["variable"]["constant_value"]: c for c in statement["condition"]}


@pytest.mark.plan
def test_demo_bucket_policy_denies_plain_http_and_access_outside_the_endpoints(plan) -> None:
    statements = _demo_bucket_policy_statements(plan)
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


@pytest.mark.plan
def test_demo_bucket_is_encrypted_with_its_own_key(plan) -> None:
    # The bucket policy holds the endpoint IDs, unknown until they exist: the apply test
    # checks it against applied endpoints.
    sse = plan.values[f"{MOD}.aws_s3_bucket_server_side_encryption_configuration.demo[0]"]
    rule = sse["rule"][0]
    assert rule["bucket_key_enabled"] is True
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "aws:kms"


@pytest.mark.apply
def test_apply_creates_private_access_then_converges_and_destroys(workspace, boto) -> None:
    variables = {"onprem_cidrs": ["172.16.0.0/16", "192.168.10.0/24"]}
    with applied_network(workspace, boto, EXAMPLE, variables) as (ws, out, _):
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

        assert interface["DnsOptions"] == {
            "DnsRecordIpType": "ipv4",
            "PrivateDnsOnlyForInboundResolverEndpoint": False,
        }
        assert interface["PrivateDnsEnabled"] is False
        endpoint = resolver.get_resolver_endpoint(
            ResolverEndpointId=out["inbound_resolver_endpoint_id"]
        )["ResolverEndpoint"]
        assert endpoint["Direction"] == "INBOUND"
        assert endpoint["Protocols"] == ["Do53"]

        _assert_demo_bucket_locked_to_endpoints(boto("s3"), out)

        assert_no_changes(ws.plan(variables))

        assert out["test_commands"]["list_bucket_via_endpoint_url"] == (
            f"aws s3 ls s3://{DEMO_BUCKET}/ --region us-east-1 "
            f"--endpoint-url https://bucket.{out['interface_endpoint_dns_name']}"
        )

        # A third zone adds a subnet to the interface endpoint in place (no replacement).
        three = ws.plan({**variables, "azs": THREE_AZS})
        change = next(c for c in three.changes if c["address"] == INTERFACE)
        assert change["change"]["actions"] in (["update"], ["delete", "create"])
        assert sorted(change["change"]["before"]["subnet_ids"]) == sorted(out["subnet_ids"])
        assert "subnet_ids" in (change["change"].get("after_unknown") or {})


def _assert_demo_bucket_locked_to_endpoints(s3, out: dict) -> None:
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
    statements = _statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert set(statements) == {"DenyInsecureTransport", "DenyAccessNotThroughTheEndpoint"}
    outside = statements["DenyAccessNotThroughTheEndpoint"]["Condition"]
    assert sorted(_as_list(outside["StringNotEquals"]["aws:SourceVpce"])) == sorted(
        [out["interface_endpoint_id"], out["gateway_endpoint_id"]]
    )
    assert _as_list(outside["ArnNotLike"]["aws:PrincipalArn"]), "no admin escape hatch"


BAD_INPUTS = [
    (
        {"dns_mode": "public"},
        'dns_mode must be "private_hosted_zone" or "inbound_resolver_private_dns"',
    ),
    (
        {"subnet_count": 1},
        "subnet_ids must list at least two subnets in different Availability Zones",
    ),
    ({"onprem_cidrs": ["0.0.0.0/0"]}, "onprem_cidrs must not contain 0.0.0.0/0"),
    (
        {"onprem_cidrs": ["172.16.0.0/16", "0.0.0.0/0"]},
        "onprem_cidrs must not contain 0.0.0.0/0",
    ),
    ({"onprem_cidrs": ["172.16.0.300/16"]}, "Every onprem_cidrs entry must be an IPv4 CIDR"),
    ({"onprem_cidrs": []}, "onprem_cidrs must list at least one on-premises CIDR"),
    (
        {"allowed_bucket_arns": ["arn:aws:s3:::*"]},
        "Every allowed_bucket_arns entry must be a bucket ARN",
    ),
    (
        {"demo_bucket_admin_principal_arns": []},
        "demo_bucket.create = true needs at least one demo_bucket.admin_principal_arns entry",
    ),
    (
        {"demo_bucket_admin_principal_arns": ["admin"]},
        "Every demo_bucket.admin_principal_arns entry must be an IAM or STS principal ARN",
    ),
]


@pytest.mark.plan
@pytest.mark.parametrize(("overrides", "message"), BAD_INPUTS, ids=[m for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(ws, overrides, message) -> None:
    with pytest.raises(TerraformError) as error:
        ws.plan(overrides)
    assert message in " ".join(str(error.value).split())
