"""Apply helpers shared by the network modules' tests (vpc, s3-private-access,
onprem-simulation), on top of tests/harness.

- `applied_network`: like the harness's `applied` (apply, yield, destroy, prove nothing is
  left), except for security group rule resources. Provider 6.34 cannot re-read a
  `aws_vpc_security_group_{ingress,egress}_rule` whose security group is gone ("Missing
  Resource Identity After Read", hashicorp/terraform-provider-aws#45303), so the harness's
  refresh-only check would error on them after every destroy. Their absence is proven with
  boto3 instead (DescribeSecurityGroupRules by ID must answer NotFound), and every other
  resource still goes through `assert_destroyed`.
- `exclude`: resources moto cannot create (or delete) are left out of the apply with
  `-target` (every other resource of the plan is targeted) and stay covered by plan
  assertions; the idempotency plan uses the same targets (`plan_targets`).
- `assert_converged_except`: idempotency, tolerating only listed attributes that the
  emulator (moto 5.2.5) does not return. Everything else must converge.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError

from iackit.tf import PlanResult, Workspace
from tests.harness.assertions import assert_destroyed

SG_RULE_TYPES = frozenset(
    {"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"}
)


def _rule_ids(state: dict[str, Any]) -> list[str]:
    return [
        instance["attributes"]["id"]
        for resource in state.get("resources", [])
        if resource.get("mode") == "managed" and resource["type"] in SG_RULE_TYPES
        for instance in resource.get("instances", [])
    ]


def _rule_exists(ec2: Any, rule_id: str) -> bool:
    try:
        found = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])
    except ClientError as error:
        if error.response["Error"]["Code"] == "InvalidSecurityGroupRuleId.NotFound":
            return False
        raise
    return bool(found["SecurityGroupRules"])


def _without_rules(state: dict[str, Any]) -> dict[str, Any]:
    return {
        **state,
        "resources": [r for r in state.get("resources", []) if r["type"] not in SG_RULE_TYPES],
    }


def _targets(
    ws: Workspace, variables: Mapping[str, Any] | None, exclude: tuple[str, ...]
) -> list[str]:
    plan = ws.plan(variables)
    return sorted(a for a in plan.values if not any(pattern in a for pattern in exclude))


def plan_targets(
    ws: Workspace, variables: Mapping[str, Any] | None, targets: list[str]
) -> PlanResult:
    """`terraform plan -target=...` (the harness's Workspace has no target option)."""
    ws.set_vars(variables)
    plan_file = ws.dir / "targeted.tfplan"
    ws._run(
        "plan",
        "-input=false",
        "-lock=false",
        f"-out={plan_file}",
        *[f"-target={t}" for t in targets],
    )
    return PlanResult(json.loads(ws._run("show", "-json", str(plan_file))))


@contextmanager
def applied_network(
    workspace: Callable[..., Workspace],
    boto: Callable[[str], Any],
    source: str,
    variables: Mapping[str, Any] | None = None,
    *,
    not_remote: frozenset[str] = frozenset(),
    exclude: tuple[str, ...] = (),
) -> Iterator[tuple[Workspace, dict[str, Any], list[str]]]:
    """Apply (all, or all but `exclude`), yield (workspace, outputs, targets), destroy, check."""
    ws = workspace(source)
    targets: list[str] = []
    if exclude:
        targets = _targets(ws, variables, exclude)
        ws.set_vars(variables)
        ws._run("apply", "-input=false", "-auto-approve", *[f"-target={t}" for t in targets])
        outputs = ws.outputs()
    else:
        outputs = ws.apply(variables)
    snapshot = ws.dir.parent / f"{ws.dir.name}.applied.tfstate"
    shutil.copy(ws.dir / "terraform.tfstate", snapshot)
    state = json.loads(snapshot.read_text())
    try:
        yield ws, outputs, targets
    finally:
        ws.set_vars(variables)
        ws.destroy()
        ec2 = boto("ec2")
        left = [rule_id for rule_id in _rule_ids(state) if _rule_exists(ec2, rule_id)]
        assert not left, f"security group rules still in the emulator after destroy: {left}"
        snapshot.write_text(json.dumps(_without_rules(state)))
        assert_destroyed(ws, snapshot, set(not_remote))


def _changed(change: dict[str, Any]) -> set[str]:
    before = change["change"].get("before") or {}
    after = change["change"].get("after") or {}
    unknown = change["change"].get("after_unknown") or {}
    return {
        key
        for key in set(before) | set(after) | set(unknown)
        if before.get(key) != after.get(key) or unknown.get(key)
    }


def assert_converged_except(plan: PlanResult, emulator_gaps: Mapping[str, set[str]]) -> None:
    """The plan after apply may only touch `emulator_gaps[address]` attributes.

    A replacement is tolerated only when every path forcing it starts with a listed
    attribute; computed attributes that a replacement renders unknown are then expected.
    """
    problems = []
    for change in plan.changes:
        address = change["address"]
        allowed = emulator_gaps.get(address, set())
        actions = change["change"]["actions"]
        if "delete" in actions:
            paths = change["change"].get("replace_paths") or []
            forcing = {p[0] for p in paths}
            if not paths or not forcing <= allowed:
                problems.append(f"{address} {'/'.join(actions)} forced by {paths}")
            continue
        unexpected = _changed(change) - allowed
        if unexpected:
            problems.append(f"{address} {'/'.join(actions)}: {sorted(unexpected)}")
    assert not problems, "plan after apply is not empty beyond emulator gaps:\n  " + "\n  ".join(
        problems
    )
