"""Idle cost of a Terraform plan: what the planned resources bill per month while unused.

`make cost ENV=<env>` plans the environment against a throwaway emulator (offline, with the
environment's own terraform.tfvars) and prices the plan JSON with `prices.toml` (dated,
cited us-east-1 list prices). `iackit cost --plan-json FILE` prices a plan made elsewhere
(`terraform show -json plan.tfplan`). Only what bills with no traffic is counted: endpoint
ENIs, VPN connections, Transit Gateway attachments, instances and their volumes, public IPv4
addresses, KMS keys, hosted zones, alarms, secrets, a Personalize campaign's provisioned TPS.

A quantity unknown at plan (an interface endpoint's `subnet_ids` before the subnets exist)
is resolved through the plan's configuration: the expression's references are followed
(`var.x` to the module call's argument, `module.m.out` to the output, to a resource) to the
resource whose planned instances are counted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iackit import packaging, toolchain
from iackit.emulator import Emulator
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import Workspace

PRICES = Path(__file__).with_name("prices.toml")
README_BEGIN = "<!-- BEGIN iackit cost {env} -->"
README_END = "<!-- END iackit cost {env} -->"


@dataclass(frozen=True)
class Line:
    """One priced item: a resource address, what bills, how many, and the monthly total."""

    address: str
    item: str
    quantity: float
    unit_monthly: float

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_monthly


@dataclass(frozen=True)
class Report:
    env: str
    lines: tuple[Line, ...]
    checked: str
    region: str

    @property
    def total(self) -> float:
        return round(sum(line.monthly for line in self.lines), 2)

    def by_item(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for line in self.lines:
            found[line.item] = found.get(line.item, 0.0) + line.monthly
        return {item: round(value, 2) for item, value in sorted(found.items())}


def load_prices(path: Path = PRICES) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


# ------------------------------------------------------------------ reading the plan


def _module_path(address: str | None) -> list[str]:
    """`module.a[0].module.b` -> ["a[0]", "b"]."""
    return re.findall(r"module\.([^.\[]+(?:\[[^\]]+\])?)", address or "")


def _bare(step: str) -> str:
    return step.split("[", maxsplit=1)[0]


class Plan:
    """The plan JSON's resource changes, with their configuration for unknown quantities."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.changes = [
            rc
            for rc in raw.get("resource_changes", [])
            if rc.get("mode") == "managed" and rc["change"]["actions"] != ["delete"]
        ]

    def variable(self, name: str) -> Any:
        return self.raw.get("variables", {}).get(name, {}).get("value")

    def _config(self, path: list[str]) -> dict[str, Any]:
        module = self.raw.get("configuration", {}).get("root_module", {})
        for step in path:
            module = module["module_calls"][_bare(step)]["module"]
        return module

    def _count(self, path: list[str], resource: str) -> int:
        """Planned instances of `resource` (type.name) in the module instance `path` (any
        index where the path step carries none)."""
        pattern = "".join(
            rf"module\.{re.escape(step)}\."
            if "[" in step
            else rf"module\.{re.escape(step)}(\[[^\]]+\])?\."
            for step in path
        )
        found = {
            re.match(rf"^({pattern})", rc["address"])[1]  # type: ignore[index]
            for rc in self.changes
            if re.fullmatch(rf"{pattern}{re.escape(resource)}(\[.+\])?", rc["address"])
        }
        first = sorted(found)[0] if found else None
        return sum(
            1
            for rc in self.changes
            if first is not None
            and re.fullmatch(rf"{re.escape(first)}{re.escape(resource)}(\[.+\])?", rc["address"])
        )

    def count_of(self, change: dict[str, Any], attribute: str) -> int:
        """Elements of a list attribute of a planned resource, followed through the
        configuration when the plan does not know them yet."""
        after = change["change"]["after"].get(attribute)
        if isinstance(after, list):
            return len(after)
        path = _module_path(change.get("module_address"))
        config = self._config(path)
        resource = next(
            r
            for r in config.get("resources", [])
            if r["address"] == f"{change['type']}.{change['name']}"
        )
        references = resource["expressions"].get(attribute, {}).get("references", [])
        return self._follow(path, references, attribute)

    def _follow(self, path: list[str], references: list[str], what: str) -> int:
        # A resource first: `[for az in var.azs : aws_subnet.private[az].id]` counts subnets.
        ordered = sorted(references, key=lambda ref: (not ref.startswith("aws_"), ref))
        for reference in ordered:
            parts = reference.split(".")
            if parts[0] == "var" and path:
                call = self._config(path[:-1])["module_calls"][_bare(path[-1])]
                given = call["expressions"].get(parts[1], {}).get("references", [])
                return self._follow(path[:-1], given, what)
            if parts[0] == "module" and len(parts) >= 3:
                inner = [*path, parts[1]]
                output = self._config(inner)["outputs"][parts[2]]
                return self._follow(inner, output["expression"].get("references", []), what)
            if parts[0].startswith("aws_") and len(parts) >= 2:
                return self._count(path, f"{parts[0]}.{parts[1]}")
        raise ValueError(f"cannot count {what}: no resource behind {references}")


# ------------------------------------------------------------------ pricing


class Pricer:
    """Turns one resource change into (what, quantity, USD per unit and month) items."""

    def __init__(self, plan: Plan, prices: dict[str, Any]) -> None:
        self.plan = plan
        self.hours = float(prices["hours_per_month"])
        self.hourly, self.monthly = prices["hourly"], prices["monthly"]

    def per_hour(self, key: str, quantity: float) -> tuple[str, float, float]:
        return self.hourly[key]["what"], quantity, self.hourly[key]["usd"] * self.hours

    def per_month(self, key: str, quantity: float) -> tuple[str, float, float]:
        return self.monthly[key]["what"], quantity, float(self.monthly[key]["usd"])

    def items(self, rc: dict[str, Any]) -> list[tuple[str, float, float]]:
        kind = rc["type"]
        after = rc["change"]["after"] or {}
        unknown = rc["change"].get("after_unknown") or {}
        if kind in FIXED:
            table, key = FIXED[kind]
            return [self.per_hour(key, 1) if table == "hourly" else self.per_month(key, 1)]
        if kind == "aws_vpc_endpoint" and after.get("vpc_endpoint_type") == "Interface":
            return [self.per_hour("interface_endpoint_az", self.plan.count_of(rc, "subnet_ids"))]
        if kind == "aws_route53_resolver_endpoint":
            return [self.per_hour("resolver_endpoint_ip", len(after.get("ip_address") or []))]
        if kind == "aws_vpn_connection":
            on_tgw = bool(after.get("transit_gateway_id") or unknown.get("transit_gateway_id"))
            return [
                self.per_hour("vpn_connection", 1),
                self.per_hour("transit_gateway_attachment", int(on_tgw)),
            ]
        if kind == "aws_instance":
            return self.instance(rc["address"], after)
        return []

    def instance(self, address: str, after: dict[str, Any]) -> list[tuple[str, float, float]]:
        instance_type = after["instance_type"]
        if instance_type not in self.hourly["instance"]:
            raise ValueError(f"{address}: no price for instance type {instance_type}")
        entry = self.hourly["instance"][instance_type]
        found = [(str(entry["what"]), 1.0, entry["usd"] * self.hours)]
        found.append(
            self.per_hour("public_ipv4", int(bool(after.get("associate_public_ip_address"))))
        )
        found += [
            self.per_month("gp3_gb", volume.get("volume_size") or 8)
            for volume in after.get("root_block_device") or []
            if volume.get("volume_type", "gp3") == "gp3"
        ]
        return found


# Resource types that bill one unit each while they exist: (table, key in prices.toml).
FIXED: dict[str, tuple[str, str]] = {
    "aws_ec2_transit_gateway_vpc_attachment": ("hourly", "transit_gateway_attachment"),
    "aws_ec2_transit_gateway_peering_attachment": ("hourly", "transit_gateway_attachment"),
    "aws_nat_gateway": ("hourly", "nat_gateway"),
    "aws_eip": ("hourly", "public_ipv4"),
    "aws_kms_key": ("monthly", "kms_key"),
    "aws_route53_zone": ("monthly", "hosted_zone"),
    "aws_cloudwatch_metric_alarm": ("monthly", "metric_alarm"),
    "aws_secretsmanager_secret": ("monthly", "secret"),
}


def _lines(plan: Plan, prices: dict[str, Any]) -> Iterator[Line]:
    pricer = Pricer(plan, prices)
    for rc in plan.changes:
        for item, quantity, unit in pricer.items(rc):
            if quantity:
                yield Line(rc["address"], item, float(quantity), unit)
    # The ranking pipeline creates a Personalize campaign at run time in campaign mode; it
    # is not a planned resource, so it is read from the environment's `ranking` variable.
    ranking = plan.variable("ranking")
    if isinstance(ranking, dict) and ranking.get("deploy_mode") == "campaign":
        what, tps, unit = pricer.per_hour(
            "personalize_campaign_tps", float(ranking.get("min_provisioned_tps") or 1)
        )
        yield Line("var.ranking (campaign created by the ranking pipeline)", what, tps, unit)


def price(raw_plan: dict[str, Any], env: str = "", prices: dict[str, Any] | None = None) -> Report:
    table = prices if prices is not None else load_prices()
    lines = tuple(_lines(Plan(raw_plan), table))
    return Report(env, lines, str(table["checked"]), str(table["region"]))


# ------------------------------------------------------------------ output


def render(report: Report) -> str:
    width = max([len(line.address) for line in report.lines] + [20])
    rows = [f"{'resource':<{width}}  {'item':<52} {'qty':>5} {'USD/month':>10}"]
    rows += [
        f"{line.address:<{width}}  {line.item:<52} {line.quantity:>5g} {line.monthly:>10.2f}"
        for line in sorted(report.lines, key=lambda line: (-line.monthly, line.address))
    ]
    rows.append(f"{'total':<{width}}  {'':<52} {'':>5} {report.total:>10.2f}")
    return "\n".join(rows)


def readme_block(report: Report) -> str:
    """The generated section of envs/README.md for one environment."""
    rows = [
        README_BEGIN.format(env=report.env),
        f"{report.env}: **${report.total:.2f}/month** idle ({report.region} list prices "
        f"checked {report.checked}, `make cost ENV={report.env}`)",
        "",
        "| item | USD/month |",
        "|---|---:|",
    ]
    rows += [
        f"| {item} | {value:.2f} |"
        for item, value in sorted(report.by_item().items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    rows.append(README_END.format(env=report.env))
    return "\n".join(rows)


def replace_readme_block(text: str, block: str, env: str) -> str:
    begin, end = README_BEGIN.format(env=env), README_END.format(env=env)
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no {begin} ... {end} section")
    return pattern.sub(lambda _: block, text)


# ------------------------------------------------------------------ command


def plan_env(env: str) -> dict[str, Any]:
    """The environment planned with its own terraform.tfvars against a throwaway emulator."""
    toolchain.setup()
    packaging.package_all()
    with Emulator() as emulator, ProviderServer() as provider:
        ws = Workspace(
            REPO_ROOT / "envs" / env, endpoint=emulator.endpoint, extra_env=provider.env()
        )
        try:
            ws.init()
            return ws.plan({}).raw
        finally:
            ws.remove()


def cmd_cost(args: argparse.Namespace) -> int:
    raw = json.loads(Path(args.plan_json).read_text()) if args.plan_json else plan_env(args.env)
    report = price(raw, args.env)
    print(render(report))
    if args.write_readme:
        readme = REPO_ROOT / "envs" / "README.md"
        readme.write_text(replace_readme_block(readme.read_text(), readme_block(report), args.env))
        print(f"updated {readme.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cost = sub.add_parser("cost", help="monthly idle cost of an environment's plan")
    cost.add_argument("env", choices=["dev", "prod"])
    cost.add_argument("--plan-json", help="price this `terraform show -json` plan instead")
    cost.add_argument(
        "--write-readme", action="store_true", help="rewrite the env's figures in envs/README.md"
    )
    cost.set_defaults(func=cmd_cost)
