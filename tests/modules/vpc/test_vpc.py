"""modules/vpc: apply on the emulator (what only apply knows), idempotency and destroy. Plan
variants are data (tftest.yaml); bad input is in modules/vpc/tests/validation.tftest.hcl."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/vpc/examples/basic"


@pytest.mark.apply
def test_apply_creates_the_network_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Callable[[str], Any]
) -> None:
    # The inputs of internet_gateway.yaml, which states the configured values (CIDRs, DNS
    # attributes, no public IPs, the closed default group, flow log settings, retention, key
    # rotation); the empty plan after apply proves the emulator holds them. Here: what only
    # apply knows.
    variables = {"internet_gateway": {"enabled": True}}
    with applied(EXAMPLE, variables) as (ws, out):
        ec2 = boto("ec2")
        vpc_id = out["vpc_id"]
        # One route table per zone, each associated with exactly its zone's subnet, each
        # with the route to this internet gateway.
        tables = ec2.describe_route_tables(RouteTableIds=out["route_table_ids"])["RouteTables"]
        by_table = {
            t["RouteTableId"]: [a["SubnetId"] for a in t["Associations"] if a.get("SubnetId")]
            for t in tables
        }
        for az, table_id in out["route_table_ids_by_az"].items():
            assert by_table[table_id] == [out["subnet_ids_by_az"][az]]
        for table in tables:
            igw_routes = [r for r in table["Routes"] if r.get("GatewayId", "").startswith("igw-")]
            assert [r["GatewayId"] for r in igw_routes] == [out["internet_gateway_id"]]

        (igw,) = ec2.describe_internet_gateways(InternetGatewayIds=[out["internet_gateway_id"]])[
            "InternetGateways"
        ]
        assert igw["Attachments"][0]["VpcId"] == vpc_id

        (flow_log,) = ec2.describe_flow_logs(FlowLogIds=[out["flow_log_id"]])["FlowLogs"]
        assert flow_log["ResourceId"] == vpc_id
        assert flow_log["LogDestination"].endswith(f":log-group:{out['flow_log_group_name']}")
        assert flow_log["DeliverLogsPermissionArn"] == out["flow_log_role_arn"]
        (group,) = boto("logs").describe_log_groups(logGroupNamePrefix=out["flow_log_group_name"])[
            "logGroups"
        ]
        assert group["kmsKeyId"] == out["flow_log_kms_key_arn"]

        assert_no_changes(ws.plan(variables))
