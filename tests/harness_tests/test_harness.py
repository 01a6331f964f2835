"""The harness's own checks must bite: a perpetual diff fails the idempotency check, an
inventory mismatch is reported readably, the destroy check sees leftovers, manifests with
missing files are refused, and the provider's fixed waits are off on the emulator."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from iackit.tf import PlanResult
from tests.harness.assertions import (
    assert_destroyed,
    assert_no_changes,
    inventory_diff,
    state_addresses,
)
from tests.harness.plans import load_variants

PERPETUAL = "tests/fixtures/perpetual_diff"
SQS_QUEUE = "tests/fixtures/sqs_queue"
PROBE = "tests/fixtures/destroy_probe"
# Destroying one queue with the provider's default delays takes ~150 s (15 "not found" polls
# with backoff); with zero-delay waiters ~20 s, nearly all of it Terraform's own start-up
# (about 3.5 s per command to load the provider schema). The budget sits between the two
# with room for a loaded CI machine.
DESTROY_BUDGET_S = 90


@pytest.mark.apply
def test_idempotency_check_catches_a_perpetual_diff(applied) -> None:
    with applied(PERPETUAL) as (ws, _), pytest.raises(AssertionError) as failure:
        assert_no_changes(ws.plan())
    message = str(failure.value)
    assert "aws_ssm_parameter.clock update" in message
    assert "value:" in message


def _plan(values: dict, outputs: dict | None = None) -> PlanResult:
    return PlanResult(
        {
            "planned_values": {
                "root_module": {
                    "resources": [
                        {"address": a, "mode": "managed", "values": v} for a, v in values.items()
                    ]
                },
                "outputs": {k: {"value": v} for k, v in (outputs or {}).items()},
            }
        }
    )


@pytest.mark.unit
def test_inventory_diff_reports_each_difference() -> None:
    plan = _plan({'aws_sqs_queue.q["a"]': {"name": "a", "tags": {"env": "dev"}}}, {"url": "x"})
    inventory = {
        "values": {
            'aws_sqs_queue.q["a"]': {"name": "b", "tags": {"env": "dev", "team": "t"}},
            "aws_sqs_queue.missing": {},
        },
        "counts": {"aws_sqs_queue": 2},
        "outputs": {"url": "y"},
    }
    diffs = inventory_diff(plan, inventory)
    assert diffs == [
        "aws_sqs_queue.q[\"a\"].name: expected 'b', planned 'a'",
        "aws_sqs_queue.q[\"a\"].tags.team: missing (expected 't')",
        "aws_sqs_queue.missing: not in plan",
        "count of aws_sqs_queue: expected 2, planned 1",
        "output.url: expected 'y', planned 'x'",
    ]


@pytest.mark.unit
def test_inventory_diff_is_empty_on_match() -> None:
    plan = _plan({"aws_sqs_queue.q": {"name": "a", "extra": 1}})
    assert (
        inventory_diff(
            plan, {"values": {"aws_sqs_queue.q": {"name": "a"}}, "counts": {"aws_sqs_queue": 1}}
        )
        == []
    )


@pytest.mark.apply
def test_destroy_proof_sees_leftovers_and_provider_waits_are_off(workspace, boto) -> None:
    """One SQS queue destroyed well inside the time the provider's delete waiter alone
    takes with its default delays: the zero-delay mechanism is in force. On the way, the
    destroy proof is shown to see a queue that still exists, and then to pass."""
    ws = workspace(SQS_QUEUE)
    outputs = ws.apply()
    assert boto("sqs").get_queue_url(QueueName="harness-fast-waits")["QueueUrl"]
    assert outputs["url"].endswith("/harness-fast-waits")
    assert ws.plan().known_empty  # idempotency answered without a `show -json` run
    # The destroy proof must see what is still there before the destroy.
    snapshot = ws.dir.parent / "before-destroy.tfstate"
    snapshot.write_text((ws.dir / "terraform.tfstate").read_text())
    with pytest.raises(AssertionError, match=r"aws_sqs_queue\.this"):
        assert_destroyed(workspace(PROBE), snapshot)
    started = time.monotonic()
    ws.destroy()
    elapsed = time.monotonic() - started
    assert not boto("sqs").list_queues(QueueNamePrefix="harness-fast-waits").get("QueueUrls")
    assert elapsed < DESTROY_BUDGET_S, f"destroying one SQS queue took {elapsed:.0f} s"
    assert_destroyed(workspace(PROBE), snapshot)


@pytest.mark.unit
def test_inventory_compares_policies_as_documents() -> None:
    plan = _plan({"aws_iam_policy.p": {"policy": '{"Statement":[{"Effect":"Allow"}]}'}})
    expected = {"values": {"aws_iam_policy.p": {"policy": {"Statement": [{"Effect": "Deny"}]}}}}
    assert inventory_diff(plan, expected) == [
        "aws_iam_policy.p.policy.Statement[0].Effect: expected 'Deny', planned 'Allow'"
    ]
    expected["values"]["aws_iam_policy.p"]["policy"]["Statement"][0]["Effect"] = "Allow"
    assert inventory_diff(plan, expected) == []


@pytest.mark.unit
def test_manifest_naming_a_missing_file_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "tftest.yaml"
    manifest.write_text("module: modules/vpc\ntests:\n  basic:\n    tfvars: [nope.tfvars]\n")
    with pytest.raises(ValueError, match=r"needs nope\.tfvars: missing"):
        load_variants(manifest)


@pytest.mark.unit
def test_state_addresses_name_instances_as_terraform_does() -> None:
    state = {
        "resources": [
            {"mode": "managed", "type": "aws_sqs_queue", "name": "q", "instances": [{}]},
            {
                "module": 'module.bus["a"]',
                "mode": "managed",
                "type": "aws_kms_key",
                "name": "this",
                "instances": [{"index_key": 0}, {"index_key": "k"}],
            },
            {"mode": "data", "type": "aws_region", "name": "r", "instances": [{}]},
            {"mode": "managed", "type": "terraform_data", "name": "t", "instances": [{}]},
        ]
    }
    assert state_addresses(state) == {
        "aws_sqs_queue.q",
        'module.bus["a"].aws_kms_key.this[0]',
        'module.bus["a"].aws_kms_key.this["k"]',
    }
