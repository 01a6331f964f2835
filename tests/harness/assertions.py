"""Assertions on Terraform plans and applies, in the style of cloud-foundation-fabric.

- `inventory_diff(plan, inventory)`: how a plan differs from an inventory (expected resource
  values as a subset match per address, counts per resource type, outputs); the
  `tftest.yaml` collector (tests/modules/test_plans.py) asserts it is empty.
- `assert_no_changes(plan)`: idempotency; the failure lists what would change and how.
- `assert_converged_except(plan, gaps)`: idempotency, tolerating only listed attributes that
  the emulator does not return;
- `assert_destroyed(workspace, state)`: after destroy, the provider itself re-reads every
  resource the state held (a few types are read with boto3 instead), and none may still
  exist in the emulator.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from iackit.tf import PlanResult, TerraformError, Workspace, _resource_type

# Resources that hold no remote object of their own, so a re-read cannot show them gone.
NON_REMOTE_TYPES = frozenset({"terraform_data", "null_resource", "time_sleep"})


def _subset_diff(expected: Any, actual: Any, path: str) -> list[str]:  # noqa: PLR0911
    """Where `expected` is not contained in `actual` (dicts by key, lists by position).

    A map or list expected where a JSON string (a policy, a definition) was planned is
    compared with the decoded document, so inventories can state policies as data.
    """
    if isinstance(expected, dict | list) and isinstance(actual, str):
        try:
            actual = json.loads(actual)
        except ValueError:
            return [f"{path}: expected a JSON document, planned {actual!r}"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a map, planned {actual!r}"]
        diffs: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                diffs.append(f"{path}.{key}: missing (expected {value!r})")
            else:
                diffs.extend(_subset_diff(value, actual[key], f"{path}.{key}"))
        return diffs
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, planned {actual!r}"]
        return [
            d
            for i, (exp, act) in enumerate(zip(expected, actual, strict=True))
            for d in _subset_diff(exp, act, f"{path}[{i}]")
        ]
    if expected != actual:
        return [f"{path}: expected {expected!r}, planned {actual!r}"]
    return []


def inventory_diff(plan: PlanResult, inventory: dict[str, Any]) -> list[str]:
    """Readable differences between a plan and an inventory dict."""
    diffs: list[str] = []
    values = plan.values
    for address, expected in (inventory.get("values") or {}).items():
        if address not in values:
            close = [a for a in values if a.split("[")[0] == address.split("[")[0]][:5]
            diffs.append(f"{address}: not in plan" + (f" (did you mean {close})" if close else ""))
            continue
        diffs.extend(_subset_diff(expected or {}, values[address], address))
    counts = Counter(_resource_type(address) for address in values)
    for resource_type, expected_count in (inventory.get("counts") or {}).items():
        if counts.get(resource_type, 0) != expected_count:
            diffs.append(
                f"count of {resource_type}: expected {expected_count}, "
                f"planned {counts.get(resource_type, 0)}"
            )
    for name, expected in (inventory.get("outputs") or {}).items():
        if name not in plan.outputs:
            diffs.append(f"output {name}: not in plan")
        else:
            diffs.extend(_subset_diff(expected, plan.outputs[name], f"output.{name}"))
    return diffs


def describe_changes(plan: PlanResult) -> list[str]:
    """One line per pending change, with the attributes that differ."""
    lines = []
    for change in plan.changes:
        before = change["change"].get("before") or {}
        after = change["change"].get("after") or {}
        unknown = change["change"].get("after_unknown") or {}
        keys = sorted(
            k
            for k in set(before) | set(after) | set(unknown)
            if before.get(k) != after.get(k) or unknown.get(k)
        )
        detail = ", ".join(
            f"{k}: {json.dumps(before.get(k))} -> "
            + ("(known after apply)" if unknown.get(k) else json.dumps(after.get(k)))
            for k in keys[:8]
        )
        lines.append(f"{change['address']} {'/'.join(change['change']['actions'])}: {detail}")
    return lines


def assert_no_changes(plan: PlanResult) -> None:
    """Idempotency: a plan right after apply must be empty."""
    lines = describe_changes(plan)
    assert not lines, "plan after apply is not empty (perpetual diff):\n  " + "\n  ".join(lines)


def _emulator_client(endpoint: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _rule_exists(endpoint: str, rule_id: str) -> bool:
    ec2 = _emulator_client(endpoint, "ec2")
    try:
        found = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])
    except ClientError as error:
        if error.response["Error"]["Code"] == "InvalidSecurityGroupRuleId.NotFound":
            return False
        raise
    return bool(found["SecurityGroupRules"])


NO_QUEUE = frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})


def _queue_attribute(name: str) -> Callable[[str, str], bool]:
    """Whether the queue at a URL (the id of every SQS resource) still holds `name`."""

    def exists(endpoint: str, queue_url: str) -> bool:
        sqs = _emulator_client(endpoint, "sqs")
        try:
            found = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[name])
        except ClientError as error:
            if error.response["Error"]["Code"] in NO_QUEUE:
                return False
            raise
        return bool(found.get("Attributes", {}).get(name))

    return exists


# Checked with boto3 against the emulator instead of a provider refresh:
# - security group rules: re-reading one after its group is gone fails inside the provider
#   ("Missing Resource Identity After Read", hashicorp/terraform-provider-aws#45303);
# - SQS queues and their policies: the provider re-reads a gone queue for 20 s and more
#   before it believes it (`RetryWhenNotFound`, a timed wait the zero-delay switch does not
#   shorten), which made every destroy proof holding a queue about 40 s longer.
CHECKED_WITH_BOTO3: dict[str, Callable[[str, str], bool]] = {
    "aws_vpc_security_group_ingress_rule": _rule_exists,
    "aws_vpc_security_group_egress_rule": _rule_exists,
    "aws_sqs_queue": _queue_attribute("QueueArn"),
    "aws_sqs_queue_policy": _queue_attribute("Policy"),
    "aws_sqs_queue_redrive_policy": _queue_attribute("RedrivePolicy"),
    "aws_sqs_queue_redrive_allow_policy": _queue_attribute("RedriveAllowPolicy"),
}


def _left_by_boto3(state: dict[str, Any], endpoint: str | None) -> set[str]:
    """Addresses of the state's CHECKED_WITH_BOTO3 instances that the emulator still holds."""
    checked = {**state, "resources": []}
    left = set()
    for resource in state.get("resources", []):
        exists = CHECKED_WITH_BOTO3.get(resource["type"])
        if exists is None or resource.get("mode") != "managed":
            continue
        if endpoint is None:
            raise ValueError("the destroy probe needs the emulator's endpoint")
        for instance in resource.get("instances", []):
            if exists(endpoint, instance["attributes"]["id"]):
                one = {**resource, "instances": [instance]}
                left |= state_addresses({**checked, "resources": [one]})
    return left


# Not remote objects: an aws_lambda_invocation is a call, nothing to re-read (ranking-pipeline's
# cleanup invocation; its effect on destroy is asserted by the module's apply test).
NOT_REMOTE_TYPES = frozenset({"aws_lambda_invocation"})
# The same bug, met on every apply test with a bucket lifecycle: set aside up front (its
# bucket's absence is checked) instead of being found again by halving each time.
IDENTITY_BUG_TYPES = frozenset({"aws_s3_bucket_lifecycle_configuration"})


IDENTITY_BUG = "Missing Resource Identity After Read"


REFRESH_PARALLELISM = 100


def _gone_after_refresh(probe: Workspace, state: dict[str, Any]) -> set[str]:
    """Addresses that a refresh-only plan of `state` reports as deleted.

    The provider re-reads some gone objects for up to 20 s before it believes they are gone
    (an SQS queue or queue policy: `RetryWhenNotFound` on read). The instances' recorded
    dependencies are dropped and the parallelism raised, so those reads overlap instead of
    queueing behind each other: the check costs about one such wait, not a chain of them.
    """
    independent = {
        **state,
        "resources": [
            {
                **resource,
                "instances": [
                    {k: v for k, v in instance.items() if k != "dependencies"}
                    for instance in resource.get("instances", [])
                ],
            }
            for resource in state["resources"]
        ],
    }
    (probe.dir / "terraform.tfstate").write_text(json.dumps(independent))
    return probe.deleted_on_refresh(parallelism=REFRESH_PARALLELISM)


def _gone_by_halves(
    probe: Workspace, state: dict[str, Any], types: list[str]
) -> tuple[set[str], set[str]]:
    """(deleted addresses, types that trip the identity bug): the types are re-read
    together, and split in halves while the provider trips over one of them (its error does
    not name the resource), so one bad type costs about 2·log2(types) refreshes."""
    subset = {**state, "resources": [r for r in state["resources"] if r["type"] in types]}
    try:
        return _gone_after_refresh(probe, subset), set()
    except TerraformError as error:
        if IDENTITY_BUG not in str(error):
            raise
        if len(types) == 1:
            return set(), set(types)
    middle = len(types) // 2
    gone_a, bad_a = _gone_by_halves(probe, state, types[:middle])
    gone_b, bad_b = _gone_by_halves(probe, state, types[middle:])
    return gone_a | gone_b, bad_a | bad_b


def state_addresses(state: dict[str, Any]) -> set[str]:
    """Managed resource instance addresses of a raw state file (as `terraform show` names
    them), without a Terraform run."""
    found = set()
    for resource in state.get("resources", []):
        if resource.get("mode") != "managed" or resource["type"] in NON_REMOTE_TYPES:
            continue
        base = f"{resource['type']}.{resource['name']}"
        if resource.get("module"):
            base = f"{resource['module']}.{base}"
        for instance in resource.get("instances", []):
            key = instance.get("index_key")
            found.add(base if key is None else f"{base}[{json.dumps(key)}]")
    return found


def assert_destroyed(
    probe: Workspace, state_file: Path, allowed: frozenset[str] = frozenset()
) -> None:
    """Re-read every resource of the pre-destroy state: each must be gone from the emulator.

    The pre-destroy state is put into `probe` (an initialised workspace of an empty
    configuration) and a refresh-only plan is made; the provider reports every object it can
    no longer find as deleted drift. Anything not reported still exists. When the provider
    trips over its identity bug, the types are re-read in halves until the ones that trip it
    are found; only those go unverified (they are named in the test output).
    """
    state = json.loads(state_file.read_text())
    left_in_emulator = _left_by_boto3(state, probe.endpoint) - set(allowed)
    state["resources"] = [
        r
        for r in state["resources"]
        if r["type"] not in CHECKED_WITH_BOTO3.keys() | NOT_REMOTE_TYPES
    ]
    expected = state_addresses(state) - set(allowed)
    try:
        types = sorted({r["type"] for r in state["resources"]} - IDENTITY_BUG_TYPES)
        gone, unreadable = _gone_by_halves(probe, state, types) if types else (set(), set())
        unreadable |= IDENTITY_BUG_TYPES & {r["type"] for r in state["resources"]}
        for resource_type in sorted(unreadable):
            print(f"destroy check: {resource_type} not re-readable ({IDENTITY_BUG})")
        expected = {a for a in expected if _resource_type(a) not in unreadable}
        left = sorted((expected - gone) | left_in_emulator)
        assert not left, "still in the emulator after destroy:\n  " + "\n  ".join(left)
    finally:
        (probe.dir / "terraform.tfstate").unlink(missing_ok=True)


def assert_bucket_hardened(s3: Any, bucket: str, kms_key_arn: str) -> None:
    """The S3 baseline every module bucket keeps, read back with boto3: SSE-KMS with the given
    key and a bucket key, versioning on, all four public access blocks, ACLs disabled."""
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": kms_key_arn,
    }
    assert rule["BucketKeyEnabled"] is True
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    (ownership,) = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership["ObjectOwnership"] == "BucketOwnerEnforced"


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


# --------------------------------------------------------------------------- IAM documents


def as_list(value: Any) -> list[Any]:
    """IAM allows a string or a list wherever it takes several values (Action, Resource)."""
    return value if isinstance(value, list) else [value]


def policy_statements(policy: str | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A policy document's statements by Sid (by position where a statement has none)."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    return {s.get("Sid", str(i)): s for i, s in enumerate(document["Statement"])}


def policy_actions(statements: dict[str, dict[str, Any]]) -> set[str]:
    """Every action the statements name."""
    return {action for s in statements.values() for action in as_list(s["Action"])}
