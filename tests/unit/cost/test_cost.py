"""`make cost`: the idle cost of a plan, priced from tools/iackit/prices.toml.

The fixture plan holds one of each priced kind (and things that must not be priced: a gateway
endpoint, a VGW, a deleted endpoint, a data source), with an interface endpoint whose subnets
are unknown at plan and counted through the configuration (three subnets). Its total is
worked out by hand below, so a changed rule or price fails the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit import cost
from iackit.paths import REPO_ROOT

pytestmark = pytest.mark.unit

HERE = Path(__file__).parent
PLAN = json.loads((HERE / "plan.json").read_text())
H = 730  # hours per month


def test_prices_are_dated_and_cited() -> None:
    table = cost.load_prices()
    assert table["region"] == "us-east-1"
    assert table["hours_per_month"] == H
    entries = [*table["monthly"].values()]
    for key, entry in table["hourly"].items():
        entries += entry.values() if key == "instance" else [entry]
    for entry in entries:
        assert entry["source"].startswith("https://aws.amazon.com/"), entry
        assert entry["usd"] > 0
        assert entry["what"]


def test_fixture_plan_exact_lines_and_total() -> None:
    report = cost.price(PLAN, "fixture")
    assert report.by_item() == {
        "Interface VPC endpoint, per AZ (ENI)": round(4 * 0.01 * H, 2),  # 3 resolved + 1
        "Route 53 Resolver endpoint, per IP address (ENI)": round(2 * 0.125 * H, 2),
        "Site-to-Site VPN connection": round(2 * 0.05 * H, 2),
        # the VPN on a TGW and the VPC attachment; the VGW's VPN has none
        "Transit Gateway attachment (VPC, VPN, Direct Connect gateway)": round(2 * 0.05 * H, 2),
        "EC2 t4g.nano (Linux, on demand)": round(0.0042 * H, 2),
        "Public IPv4 address (Elastic IP or auto-assigned)": round(2 * 0.005 * H, 2),
        "EBS gp3 volume, per provisioned GB": 0.8,
        "KMS customer managed key": 1.0,
        "Route 53 hosted zone (first 25)": 0.5,
        "CloudWatch standard-resolution metric alarm": 0.1,
        "Amazon Personalize campaign, per provisioned TPS": round(2 * 0.2 * H, 2),
    }
    # 29.2 + 182.5 + 73 + 73 + 3.066 + 7.3 + 0.8 + 1 + 0.5 + 0.1 + 292
    assert report.total == 662.47
    addresses = {line.address for line in report.lines}
    assert "module.access.aws_vpc_endpoint.gateway" not in addresses
    assert "aws_vpc_endpoint.gone" not in addresses
    assert "aws_vpn_gateway.free" not in addresses


def test_unpriced_instance_type_is_an_error() -> None:
    plan = json.loads(json.dumps(PLAN))
    for rc in plan["resource_changes"]:
        if rc["type"] == "aws_instance":
            rc["change"]["after"]["instance_type"] = "x9.huge"
    with pytest.raises(ValueError, match=r"x9\.huge"):
        cost.price(plan)


def test_render_lists_each_resource_and_the_total() -> None:
    text = cost.render(cost.price(PLAN, "fixture"))
    assert "module.access.aws_vpc_endpoint.interface" in text
    assert text.splitlines()[-1].split()[-1] == "662.47"


def test_readme_block_replaces_only_its_environment() -> None:
    report = cost.price(PLAN, "dev")
    text = (
        "intro\n<!-- BEGIN iackit cost dev -->\nold\n<!-- END iackit cost dev -->\n"
        "<!-- BEGIN iackit cost prod -->\nkeep\n<!-- END iackit cost prod -->\n"
    )
    new = cost.replace_readme_block(text, cost.readme_block(report), "dev")
    assert "old" not in new
    assert "keep" in new
    assert "**$662.47/month**" in new
    with pytest.raises(ValueError, match="no <!-- BEGIN iackit cost dev"):
        cost.replace_readme_block("no markers", cost.readme_block(report), "dev")


def test_envs_readme_has_a_generated_section_per_env() -> None:
    text = (REPO_ROOT / "envs" / "README.md").read_text()
    for env in ("dev", "prod"):
        assert cost.README_BEGIN.format(env=env) in text
        assert cost.README_END.format(env=env) in text
