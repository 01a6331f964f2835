"""modules/onprem-simulation: what the plan inventories (tftest.yaml) cannot say, then apply
on the emulator with boto3 checks, idempotency and destroy. Bad input (overlapping CIDRs
among them) and literal-input wiring are in modules/onprem-simulation/tests/*.tftest.hcl."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit.paths import REPO_ROOT
from iackit.tf import PlanResult
from tests.harness.assertions import as_list, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/onprem-simulation/examples/basic"
TEMPLATE = REPO_ROOT / "modules/onprem-simulation/templates/strongswan.sh.tftpl"
MOD = "module.onprem"

Planned = Callable[..., PlanResult]


@pytest.mark.plan
def test_instance_has_no_ssh_key_and_nothing_is_open_to_the_world(planned: Planned) -> None:
    plan = planned(HERE, "basic")
    # Absent or empty: an inventory can only state values that are there.
    assert plan.values[f"{MOD}.aws_instance.vpn"].get("key_name") in (None, "")
    ingress = plan.by_type("aws_vpc_security_group_ingress_rule")
    assert ingress
    assert all(v.get("cidr_ipv4") != "0.0.0.0/0" for v in ingress.values())


@pytest.mark.plan
def test_user_data_carries_tunnel_attributes_but_never_the_keys(planned: Planned) -> None:
    call = planned(HERE, "basic").raw["configuration"]["root_module"]["module_calls"]["onprem"]
    (instance,) = [r for r in call["module"]["resources"] if r["address"] == "aws_instance.vpn"]
    references = set(instance["expressions"]["user_data"]["references"])
    assert "aws_ssm_parameter.psk.name" in references
    assert "local.tunnels[0].outside_address" in references
    # The tunnels come from ../onprem-connectivity's vpn_tunnels, which carries no keys
    # (they are its separate, sensitive vpn_tunnel_preshared_keys).
    outputs = call["module"]["module_calls"]["connectivity"]["module"]["outputs"]
    tunnels = outputs["vpn_tunnels"]["expression"]["references"]
    assert "aws_vpn_connection.this[0].tunnel1_address" in tunnels
    assert not [r for r in tunnels if "preshared_key" in r]
    assert outputs["vpn_tunnel_preshared_keys"]["sensitive"] is True
    assert not [r for r in references if "preshared_key" in r or "psk.value" in r]
    template = TEMPLATE.read_text()
    assert "--with-decryption" in template
    assert "preshared" not in template


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
    with applied(EXAMPLE, variables) as (ws, out):
        ec2 = boto("ec2")
        (vpc,) = ec2.describe_vpcs(VpcIds=[out["onprem_vpc_id"]])["Vpcs"]
        assert vpc["CidrBlock"] == "172.16.0.0/16"

        (vgw,) = ec2.describe_vpn_gateways(VpnGatewayIds=[out["vpn_gateway_id"]])["VpnGateways"]
        assert vgw["AmazonSideAsn"] == 64512
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
        assert cgw["BgpAsn"] == "65000"
        assert cgw["IpAddress"] == out["customer_gateway_ip"]
        assert cgw["Type"] == "ipsec.1"

        (vpn,) = ec2.describe_vpn_connections(VpnConnectionIds=[out["vpn_connection_id"]])[
            "VpnConnections"
        ]
        assert vpn["VpnGatewayId"] == out["vpn_gateway_id"]
        assert "TransitGatewayId" not in vpn
        assert vpn["CustomerGatewayId"] == out["customer_gateway_id"]
        assert vpn["Type"] == "ipsec.1"

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

        # The lab's hourly items that are gone: no SSM interface endpoints in the data
        # centre, no Resolver outbound endpoint (its instance answers DNS), no transit gateway.
        onprem_endpoints = ec2.describe_vpc_endpoints(
            Filters=[{"Name": "vpc-id", "Values": [out["onprem_vpc_id"]]}]
        )["VpcEndpoints"]
        assert onprem_endpoints == []
        endpoints = boto("route53resolver").list_resolver_endpoints()["ResolverEndpoints"]
        assert [e for e in endpoints if e["HostVPCId"] == out["onprem_vpc_id"]] == []
        assert [
            gateway
            for gateway in ec2.describe_transit_gateways()["TransitGateways"]
            if {"Key": "Name", "Value": "example-onprem"} in gateway.get("Tags", [])
        ] == []
        config = out["dns_forwarder_config"]
        assert sorted(line for line in config.splitlines() if line.startswith("server=/")) == [
            f"server=/s3.us-east-1.amazonaws.com/{ip}" for ip in sorted(out["inbound_resolver_ips"])
        ]

        parameter = boto("ssm").get_parameter(Name=out["psk_parameter_name"], WithDecryption=True)[
            "Parameter"
        ]
        assert parameter["Type"] == "SecureString"
        assert set(json.loads(parameter["Value"])) == {"tunnel1", "tunnel2"}

        inline = boto("iam").get_role_policy(
            RoleName="example-onprem-vpn-instance", PolicyName="example-onprem-vpn-psk-read"
        )["PolicyDocument"]
        inline = json.loads(inline) if isinstance(inline, str) else inline
        by_sid = {st["Sid"]: st for st in inline["Statement"]}
        assert set(by_sid) == {"ReadTunnelPreSharedKeys", "DecryptTunnelPreSharedKeysThroughSsm"}
        read = by_sid["ReadTunnelPreSharedKeys"]
        assert as_list(read["Action"]) == ["ssm:GetParameter"]
        assert as_list(read["Resource"]) == [
            f"arn:aws:ssm:us-east-1:123456789012:parameter{out['psk_parameter_name']}"
        ]
        decrypt = by_sid["DecryptTunnelPreSharedKeysThroughSsm"]
        assert as_list(decrypt["Action"]) == ["kms:Decrypt"]
        assert as_list(decrypt["Resource"])[0].startswith("arn:aws:kms:us-east-1:123456789012:key/")
        assert decrypt["Condition"] == {
            "StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}
        }

        instance = boto("ec2").describe_instances(
            Filters=[{"Name": "tag:Name", "Values": ["*strongswan"]}]
        )
        (reservation,) = instance["Reservations"]
        assert reservation["Instances"][0]["Monitoring"]["State"] == "enabled"
        (vpn,) = boto("ec2").describe_vpn_connections(VpnConnectionIds=[out["vpn_connection_id"]])[
            "VpnConnections"
        ]
        assert vpn["Options"]["StaticRoutesOnly"] is True
        assert [r["DestinationCidrBlock"] for r in vpn["Routes"]] == [out["onprem_vpc_cidr"]]
        assert_no_changes(ws.plan(variables))
