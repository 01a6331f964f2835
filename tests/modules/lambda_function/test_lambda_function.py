"""modules/lambda-function: deterministic packages, the one plan fact data cannot state, then
apply on the emulator (what only apply knows), one invoke of the deployed function, idempotency and
destroy. Plan variants are data
(tftest.yaml); bad input is in modules/lambda-function/tests/*.tftest.hcl."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit import packaging
from iackit.paths import REPO_ROOT
from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes, policy_actions, policy_statements
from tests.harness.deployed import inline_policy, invocations, invoke

HERE = Path(__file__).parent
EXAMPLE = "modules/lambda-function/examples/basic"
SRC = REPO_ROOT / EXAMPLE / "src"


@pytest.mark.unit
def test_packages_are_deterministic(tmp_path: Path) -> None:
    first = packaging.zip_bytes("hello", SRC)
    again = packaging.package("hello", out_dir=tmp_path, src_root=SRC).read_bytes()
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.mark.plan
def test_plan_wires_the_dead_letter_queue(planned: Callable[..., PlanResult]) -> None:
    # The queue ARN is only known after apply, so the whole block is absent from the planned
    # values: it must be there, unknown, pointing at the queue.
    (change,) = [
        rc
        for rc in planned(HERE, "basic").resource_changes
        if rc["address"] == "module.hello.aws_lambda_function.this"
    ]
    assert change["change"]["after_unknown"]["dead_letter_config"]


def assert_least_privilege(policy: str | dict[str, Any]) -> None:
    by_sid = policy_statements(policy)
    assert set(by_sid) == {"WriteOwnLogs", "WriteTraces", "ReadGreeting", "SendToDeadLetterTarget"}
    assert by_sid["SendToDeadLetterTarget"]["Action"] == "sqs:SendMessage"
    assert by_sid["SendToDeadLetterTarget"]["Resource"].endswith(":example-hello-dlq")
    assert by_sid["WriteOwnLogs"]["Resource"].endswith(":log-group:/aws/lambda/example-hello:*")
    assert by_sid["ReadGreeting"]["Action"] == "ssm:GetParameter"
    assert by_sid["ReadGreeting"]["Resource"].endswith(":parameter/example/greeting")
    assert all("*" not in action for action in policy_actions(by_sid)), by_sid


@pytest.mark.apply
def test_apply_creates_function_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Callable[[str], Any], tmp_path: Path
) -> None:
    hello_zip = str(packaging.package("hello", out_dir=tmp_path, src_root=SRC))
    variables = {"package_path": hello_zip, "dead_letter_queue": {"enabled": True}}
    # Runtime, handler, timeout, environment, tracing and log retention are in basic.yaml (the
    # same inputs but the package's bytes); the empty plan after apply proves the emulator
    # holds them. Here: what only apply knows, and behaviour.
    with applied(EXAMPLE, variables) as (ws, outputs):
        fn = boto("lambda").get_function(FunctionName=outputs["function_name"])["Configuration"]
        assert fn["Role"].endswith(f":role/{outputs['role_name']}")
        assert fn["CodeSha256"] == outputs["source_code_hash"]
        assert fn["DeadLetterConfig"]["TargetArn"].endswith("-hello-dlq")

        assert_least_privilege(
            inline_policy(boto, outputs["role_name"], "example-hello-least-privilege")
        )

        # The deployed package answers, with the environment Terraform gave it.
        payload = {"from": "test", "n": 1}
        answer = invoke(boto, outputs["function_name"], payload)
        assert answer == {"greeting": "xin chào", "echo": payload}
        started, finished = invocations(boto("logs"), outputs["function_name"])
        assert (started, finished) == (1, 1)

        assert_no_changes(ws.plan(variables))
