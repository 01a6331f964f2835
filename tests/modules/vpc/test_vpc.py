"""modules/vpc: plan inventory and variants, apply on the emulator with boto3 checks,
idempotency, destroy, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit.tf import TerraformError
from tests.harness.assertions import assert_inventory, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/vpc/examples/basic"
THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


@pytest.fixture(scope="module")
def ws(workspace):
    """One initialised copy of the example for every plan of this module."""
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(ws):
    return ws.plan({})


def _policy(values: dict, key: str = "policy") -> dict:
    return json.loads(values[key])


def _statements(policy: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in policy["Statement"]}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_each_subnet_is_associated_with_the_route_table_of_its_zone(plan) -> None:
    assocs = plan.by_type("aws_route_table_association")
    assert set(assocs) == {
        'module.vpc.aws_route_table_association.private["us-east-1a"]',
        'module.vpc.aws_route_table_association.private["us-east-1b"]',
    }
    # Both ends are unknown until apply; the one-to-one mapping is proven by the apply test.


@pytest.mark.plan
def test_flow_log_role_is_least_privilege(plan) -> None:
    role = plan.values["module.vpc.aws_iam_role.flow_logs[0]"]
    trust = _policy(role, "assume_role_policy")["Statement"][0]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":vpc-flow-log/*")

    policy = _policy(plan.values["module.vpc.aws_iam_role_policy.flow_logs[0]"])
    (statement,) = policy["Statement"]
    assert sorted(_as_list(statement["Action"])) == [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
    ]
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flow-logs/example-cloud"
    assert sorted(_as_list(statement["Resource"])) == [group, f"{group}:*"]


@pytest.mark.plan
def test_flow_log_key_lets_cloudwatch_logs_use_it_for_this_group_only(plan) -> None:
    key = plan.values["module.vpc.aws_kms_key.flow_logs[0]"]
    statements = _statements(_policy(key))
    logs = statements["CloudWatchLogsUsesTheKeyForThisLogGroup"]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert all("*" not in action for action in _as_list(logs["Action"]))
    assert logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"] == (
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flow-logs/example-cloud"
    )


@pytest.mark.plan
def test_three_azs_make_three_subnets_and_route_tables(ws) -> None:
    plan = ws.plan({"azs": THREE_AZS})
    subnets = plan.by_type("aws_subnet")
    assert {v["availability_zone"]: v["cidr_block"] for v in subnets.values()} == {
        "us-east-1a": "10.0.0.0/24",
        "us-east-1b": "10.0.1.0/24",
        "us-east-1c": "10.0.2.0/24",
    }
    assert len(plan.by_type("aws_route_table")) == 3
    assert len(plan.by_type("aws_route_table_association")) == 3


@pytest.mark.plan
def test_shared_route_table_and_explicit_cidrs(ws) -> None:
    plan = ws.plan(
        {
            "azs": THREE_AZS,
            "route_table_per_az": False,
            "private_subnet_cidrs": ["10.0.10.0/24", "10.0.20.0/24", "10.0.30.0/24"],
        }
    )
    assert list(plan.by_type("aws_route_table")) == ['module.vpc.aws_route_table.private["shared"]']
    assert len(plan.by_type("aws_route_table_association")) == 3
    assert sorted(v["cidr_block"] for v in plan.by_type("aws_subnet").values()) == [
        "10.0.10.0/24",
        "10.0.20.0/24",
        "10.0.30.0/24",
    ]


@pytest.mark.plan
def test_internet_gateway_only_when_asked(ws) -> None:
    plan = ws.plan({"enable_internet_gateway": True})
    assert len(plan.by_type("aws_internet_gateway")) == 1
    routes = plan.by_type("aws_route")
    assert len(routes) == 2
    assert {r["destination_cidr_block"] for r in routes.values()} == {"0.0.0.0/0"}
    assert all(not s["map_public_ip_on_launch"] for s in plan.by_type("aws_subnet").values())


@pytest.mark.plan
def test_flow_logs_can_be_disabled_or_use_a_given_key(ws) -> None:
    off = ws.plan({"flow_logs": {"enabled": False}})
    for resource_type in (
        "aws_flow_log",
        "aws_cloudwatch_log_group",
        "aws_iam_role",
        "aws_kms_key",
    ):
        assert not off.by_type(resource_type), resource_type
    assert off.outputs["flow_log_id"] is None

    key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    given = ws.plan({"flow_logs": {"kms_key_arn": key, "retention_in_days": 30}})
    assert not given.by_type("aws_kms_key")
    group = given.values["module.vpc.aws_cloudwatch_log_group.flow_logs[0]"]
    assert group["kms_key_id"] == key
    assert group["retention_in_days"] == 30


@pytest.mark.apply
def test_apply_creates_the_network_then_converges_and_destroys(applied, boto) -> None:
    variables = {"azs": THREE_AZS, "enable_internet_gateway": True}
    with applied(EXAMPLE, variables) as (ws, out):
        ec2 = boto("ec2")
        vpc_id = out["vpc_id"]
        (vpc,) = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]
        assert vpc["CidrBlock"] == "10.0.0.0/16"
        for attribute, key in (
            ("enableDnsSupport", "EnableDnsSupport"),
            ("enableDnsHostnames", "EnableDnsHostnames"),
        ):
            assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)[key]["Value"]

        subnets = ec2.describe_subnets(SubnetIds=out["subnet_ids"])["Subnets"]
        assert {s["AvailabilityZone"]: s["CidrBlock"] for s in subnets} == {
            "us-east-1a": "10.0.0.0/24",
            "us-east-1b": "10.0.1.0/24",
            "us-east-1c": "10.0.2.0/24",
        }
        assert not any(s["MapPublicIpOnLaunch"] for s in subnets)

        # One route table per zone, each associated with exactly its zone's subnet, each
        # with the internet route.
        tables = ec2.describe_route_tables(RouteTableIds=out["route_table_ids"])["RouteTables"]
        assert len(tables) == 3
        by_table = {
            t["RouteTableId"]: [a["SubnetId"] for a in t["Associations"] if a.get("SubnetId")]
            for t in tables
        }
        for az, table_id in out["route_table_ids_by_az"].items():
            assert by_table[table_id] == [out["subnet_ids_by_az"][az]]
        for table in tables:
            igw_routes = [r for r in table["Routes"] if r.get("GatewayId", "").startswith("igw-")]
            assert [r["DestinationCidrBlock"] for r in igw_routes] == ["0.0.0.0/0"]

        (igw,) = ec2.describe_internet_gateways(InternetGatewayIds=[out["internet_gateway_id"]])[
            "InternetGateways"
        ]
        assert igw["Attachments"][0]["VpcId"] == vpc_id

        (default_sg,) = ec2.describe_security_groups(GroupIds=[out["default_security_group_id"]])[
            "SecurityGroups"
        ]
        assert default_sg["IpPermissions"] == []
        assert default_sg["IpPermissionsEgress"] == []

        (flow_log,) = ec2.describe_flow_logs(FlowLogIds=[out["flow_log_id"]])["FlowLogs"]
        assert flow_log["ResourceId"] == vpc_id
        assert flow_log["LogDestinationType"] == "cloud-watch-logs"
        assert flow_log["LogDestination"].endswith(f":log-group:{out['flow_log_group_name']}")
        assert flow_log["DeliverLogsPermissionArn"] == out["flow_log_role_arn"]
        assert flow_log["TrafficType"] == "ALL"

        (group,) = boto("logs").describe_log_groups(logGroupNamePrefix=out["flow_log_group_name"])[
            "logGroups"
        ]
        assert group["retentionInDays"] == 7
        assert group["kmsKeyId"] == out["flow_log_kms_key_arn"]
        key = boto("kms").describe_key(KeyId=out["flow_log_kms_key_arn"])["KeyMetadata"]
        assert key["KeyState"] == "Enabled"
        assert boto("kms").get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"]

        assert_no_changes(ws.plan(variables))


BAD_INPUTS = [
    ({"azs": ["us-east-1a"]}, "azs must list at least two Availability Zones"),
    ({"azs": ["us-east-1a", "us-east-1a"]}, "azs must not repeat a zone"),
    ({"azs": ["use1-az1", "use1-az2"]}, "must be an Availability Zone name such as us-east-1a"),
    ({"cidr_block": "10.0.0.0/8"}, "cidr_block must be an IPv4 CIDR between /16 and /24"),
    ({"cidr_block": "not-a-cidr"}, "cidr_block must be an IPv4 CIDR between /16 and /24"),
    ({"cidr_block": "10.0.1.0/16"}, "cidr_block must be a network address"),
    (
        {"private_subnet_cidrs": ["10.0.1.0/24"]},
        "private_subnet_cidrs must be empty (computed) or list exactly one CIDR per entry of azs",
    ),
    ({"private_subnet_cidrs": ["x", "y"]}, "Every private_subnet_cidrs entry must be an IPv4 CIDR"),
    (
        {"cidr_block": "10.0.0.0/24", "subnet_newbits": 8},
        "cidr_block prefix + subnet_newbits must be at most 28",
    ),
    ({"subnet_newbits": 0}, "subnet_newbits must be a whole number between 1 and 12"),
    ({"name_prefix": "Dev_1"}, "name_prefix must be 2-20 characters"),
    ({"flow_logs": {"retention_in_days": 10}}, "flow_logs.retention_in_days must be a value"),
    (
        {"flow_logs": {"traffic_type": "SOME"}},
        "flow_logs.traffic_type must be ACCEPT, REJECT or ALL",
    ),
    ({"flow_logs": {"kms_key_arn": "alias/x"}}, "flow_logs.kms_key_arn must be a KMS key ARN"),
]


@pytest.mark.plan
@pytest.mark.parametrize(("overrides", "message"), BAD_INPUTS, ids=[m for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(ws, overrides, message) -> None:
    with pytest.raises(TerraformError) as error:
        ws.plan(overrides)
    assert message in " ".join(str(error.value).split())
