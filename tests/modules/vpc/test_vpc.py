"""modules/vpc: apply on the emulator with boto3 checks, idempotency and destroy. Plan
variants are data (tftest.yaml); bad input is in modules/vpc/tests/validation.tftest.hcl."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/vpc/examples/basic"
THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"]


@pytest.mark.apply
def test_apply_creates_the_network_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Callable[[str], Any]
) -> None:
    variables = {"azs": THREE_AZS, "internet_gateway": {"enabled": True}}
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
