"""The harness's own checks must bite: a perpetual diff fails the idempotency check, an
inventory mismatch is reported readably, and the destroy check sees leftovers."""

from __future__ import annotations

import pytest

from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes, inventory_diff

PERPETUAL = "tests/fixtures/perpetual_diff"


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
