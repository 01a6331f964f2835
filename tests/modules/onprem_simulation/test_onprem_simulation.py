"""modules/onprem-simulation: what neither the plan inventories (tftest.yaml) nor
modules/onprem-simulation/tests/*.tftest.hcl (bad input, wiring, user data) can say, then
apply on the emulator with boto3 checks, idempotency and destroy."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit.tf import PlanResult
from tests.harness.assertions import as_list, assert_no_changes, policy_statements
from tests.harness.deployed import inline_policy

HERE = Path(__file__).parent
EXAMPLE = "modules/onprem-simulation/examples/basic"
MOD = "module.onprem"


@pytest.mark.plan
def test_no_ssh_key_nothing_open_to_the_world_and_the_tunnel_keys_stay_sensitive(
    planned: Callable[..., PlanResult],
) -> None:
    plan = planned(HERE, "basic")
    # Absent or empty: an inventory can only state values that are there.
    assert plan.values[f"{MOD}.aws_instance.vpn"].get("key_name") in (None, "")
    ingress = plan.by_type("aws_vpc_security_group_ingress_rule")
    assert ingress
    assert all(v.get("cidr_ipv4") != "0.0.0.0/0" for v in ingress.values())
    # ../onprem-connectivity keeps the keys out of vpn_tunnels, in a sensitive output (a mock
    # plan drops the mark; that neither vpn_tunnels nor the user data carries them is in
    # modules/onprem-simulation/tests/interface.tftest.hcl).
    call = plan.raw["configuration"]["root_module"]["module_calls"]["onprem"]["module"]
    outputs = call["module_calls"]["connectivity"]["module"]["outputs"]
    assert outputs["vpn_tunnel_preshared_keys"]["sensitive"] is True


@pytest.fixture(scope="module")
def example_ami(boto: Callable[[str], Any]) -> str:
    """An AMI the emulator knows, so the instance can be created."""
    return str(boto("ec2").describe_images(Owners=["amazon"])["Images"][0]["ImageId"])


@pytest.mark.apply
def test_apply_creates_the_simulation_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Callable[[str], Any], example_ami: str
) -> None:
    variables = {"ami_id": example_ami}
    # The whole lab: the emulator has what it needs (docs/emulator.md, patches/ec2.py).
    # Configured values (CIDRs, ASNs, gateway types, static routing, the instance's monitoring,
    # the parameter's type, no transit gateway / SSM endpoints / outbound resolver) are in
    # given_ami.yaml; the empty plan after apply proves the emulator holds them. Here: what
    # only apply knows.
    with applied(EXAMPLE, variables) as (ws, out):
        ec2 = boto("ec2")
        (vgw,) = ec2.describe_vpn_gateways(VpnGatewayIds=[out["vpn_gateway_id"]])["VpnGateways"]
        assert [a["VpcId"] for a in vgw["VpcAttachments"] if a["State"] == "attached"] == [
            out["cloud_vpc_id"]
        ]
        # Every cloud route table sends the on-premises CIDR to the virtual private gateway.
        tables = ec2.describe_route_tables(RouteTableIds=out["cloud_route_table_ids"])
        for table in tables["RouteTables"]:
            assert {
                r.get("GatewayId")
                for r in table["Routes"]
                if r.get("DestinationCidrBlock") == "172.16.0.0/16"
            } == {out["vpn_gateway_id"]}

        (cgw,) = ec2.describe_customer_gateways(CustomerGatewayIds=[out["customer_gateway_id"]])[
            "CustomerGateways"
        ]
        assert cgw["IpAddress"] == out["customer_gateway_ip"]

        (vpn,) = ec2.describe_vpn_connections(VpnConnectionIds=[out["vpn_connection_id"]])[
            "VpnConnections"
        ]
        assert vpn["VpnGatewayId"] == out["vpn_gateway_id"]
        assert vpn["CustomerGatewayId"] == out["customer_gateway_id"]

        # IKE and NAT-T with each tunnel endpoint: two distinct /32 peers (the emulator gives
        # each tunnel its own outside address, as AWS does).
        (group,) = ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": ["example-onprem-vpn-instance"]}]
        )["SecurityGroups"]
        peers = {
            r["CidrIpv4"]
            for r in ec2.describe_security_group_rules(
                Filters=[{"Name": "group-id", "Values": [group["GroupId"]]}]
            )["SecurityGroupRules"]
            if r.get("FromPort") in (500, 4500)
        }
        assert peers == {f"{address}/32" for address in out["vpn_tunnel_addresses"]}
        assert len(peers) == 2

        config = out["dns_forwarder_config"]
        assert sorted(line for line in config.splitlines() if line.startswith("server=/")) == [
            f"server=/s3.us-east-1.amazonaws.com/{ip}" for ip in sorted(out["inbound_resolver_ips"])
        ]

        parameter = boto("ssm").get_parameter(Name=out["psk_parameter_name"], WithDecryption=True)[
            "Parameter"
        ]
        assert set(json.loads(parameter["Value"])) == {"tunnel1", "tunnel2"}

        statements = policy_statements(
            inline_policy(boto, "example-onprem-vpn-instance", "example-onprem-vpn-psk-read")
        )
        assert set(statements) == {
            "ReadTunnelPreSharedKeys",
            "DecryptTunnelPreSharedKeysThroughSsm",
        }
        read = statements["ReadTunnelPreSharedKeys"]
        decrypt = statements["DecryptTunnelPreSharedKeysThroughSsm"]
        assert (as_list(read["Action"]), as_list(read["Resource"])) == (
            ["ssm:GetParameter"],
            [f"arn:aws:ssm:us-east-1:123456789012:parameter{out['psk_parameter_name']}"],
        )
        assert as_list(decrypt["Action"]) == ["kms:Decrypt"]
        assert as_list(decrypt["Resource"])[0].startswith("arn:aws:kms:us-east-1:123456789012:key/")
        assert decrypt["Condition"] == {
            "StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}
        }

        assert_no_changes(ws.plan(variables))
