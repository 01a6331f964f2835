"""Schedules fire on demand and state machines run (`iackit.emulator.scheduler`,
`patches/stepfunctions.py`, `patches/events.py`). Without them moto keeps a schedule that
never fires, ends every execution at once without running a state, and drops EventBridge
targets that are state machines."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from iackit.emulator import Emulator
from iackit.signed_http import request
from tests.harness_tests.test_events_to_lambda import drain, put, queue
from tests.harness_tests.test_lambda_runtime import client, deploy

__all__ = ["deploy"]  # the fixture, re-used
pytestmark = pytest.mark.unit

DOUBLE = """
def handler(event, context):
    return {"n": event["n"] * 2}
"""


def trust(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
            ],
        }
    )


@pytest.fixture
def machine(aws: Emulator, deploy: Callable[..., str]) -> str:
    """Task (Lambda ARN) -> Wait 600 s (0.1 s here: TIME_SCALE) -> Task (lambda:invoke)."""
    arn = deploy("double", {"app.py": DOUBLE})
    role = client(aws, "iam").create_role(
        RoleName="sfn", AssumeRolePolicyDocument=trust("states.amazonaws.com")
    )["Role"]["Arn"]
    definition = {
        "StartAt": "Double",
        "States": {
            "Double": {"Type": "Task", "Resource": arn, "ResultPath": "$.doubled", "Next": "Poll"},
            "Poll": {"Type": "Wait", "Seconds": 600, "Next": "Again"},
            "Again": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": arn, "Payload": {"n.$": "$.doubled.n"}},
                "OutputPath": "$.Payload",
                "End": True,
            },
        },
    }
    return str(
        client(aws, "stepfunctions").create_state_machine(
            name="pipeline", definition=json.dumps(definition), roleArn=role
        )["stateMachineArn"]
    )


def finished(aws: Emulator, execution: str, timeout: float = 30.0) -> dict[str, Any]:
    sfn = client(aws, "stepfunctions")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.1)
    # What the execution did before it stalled, and the emulator's last lines: enough to
    # tell a stalled Lambda invoke from a state that never started.
    events = sfn.get_execution_history(executionArn=execution)["events"]
    steps = [f"{e['type']} {e.get('stateEnteredEventDetails', {}).get('name', '')}" for e in events]
    log = aws.log_path.read_text(errors="replace") if aws.log_path else ""
    tail = log.splitlines()[-15:]
    raise AssertionError(
        f"{execution} still running after {timeout}s; history: {steps}; emulator log tail: {tail}"
    )


def schedule(aws: Emulator, target_arn: str, role_trusts: str, **target: Any) -> None:
    role = client(aws, "iam").create_role(
        RoleName=f"scheduler-{role_trusts}", AssumeRolePolicyDocument=trust(role_trusts)
    )["Role"]["Arn"]
    client(aws, "scheduler").create_schedule(
        Name="nightly",
        ScheduleExpression="cron(0 2 * * ? *)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": target_arn, "RoleArn": role, "Input": json.dumps({"n": 3}), **target},
    )


def fire(aws: Emulator, name: str = "nightly") -> Any:
    return request("POST", f"{aws.endpoint}/_iackit/scheduler/fire", {"name": name})


def test_firing_a_schedule_runs_its_state_machine_with_its_input(
    aws: Emulator, machine: str
) -> None:
    schedule(aws, machine, "scheduler.amazonaws.com")
    started = time.monotonic()
    fired = fire(aws)
    assert fired.status == 200, fired.body
    execution = fired.json()["ExecutionArn"]
    done = finished(aws, execution)
    assert time.monotonic() - started < 10  # the 600 s Wait is scaled down
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["input"]) == {"n": 3}
    assert json.loads(done["output"]) == {"n": 12}
    sfn = client(aws, "stepfunctions")
    executions = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert [e["executionArn"] for e in executions] == [execution]
    history = [e["type"] for e in sfn.get_execution_history(executionArn=execution)["events"]]
    assert history.count("LambdaFunctionSucceeded") == 1  # the Lambda ARN task
    assert history.count("TaskSucceeded") == 1  # the lambda:invoke integration
    assert "WaitStateExited" in history


def test_a_schedule_whose_role_does_not_trust_scheduler_fails_to_its_dlq(
    aws: Emulator, machine: str
) -> None:
    url, dlq = queue(aws, "schedule-dlq")
    schedule(aws, machine, "lambda.amazonaws.com", DeadLetterConfig={"Arn": dlq})
    fired = fire(aws)
    assert fired.status == 502
    assert "scheduler.amazonaws.com" in fired.json()["message"]
    [message] = drain(aws, url, 1)
    assert json.loads(message["Body"]) == {"n": 3}
    assert message["MessageAttributes"]["X-Amz-Scheduler-Schedule-Arn"]["StringValue"].endswith(
        "schedule/default/nightly"
    )
    assert client(aws, "stepfunctions").list_executions(stateMachineArn=machine)["executions"] == []


def test_firing_an_unknown_schedule_is_a_404(aws: Emulator) -> None:
    assert fire(aws, "nope").status == 404


def test_an_eventbridge_rule_starts_its_state_machine_target(aws: Emulator, machine: str) -> None:
    events = client(aws, "events")
    events.create_event_bus(Name="bus")
    events.put_rule(
        Name="update",
        EventBusName="bus",
        EventPattern=json.dumps({"detail-type": ["ranking.requestUpdate"]}),
    )
    events.put_targets(
        Rule="update",
        EventBusName="bus",
        Targets=[{"Id": "sfn", "Arn": machine, "RoleArn": machine, "InputPath": "$.detail"}],
    )
    put(aws, "bus", "api.ranking", "ranking.requestUpdate", {"n": 5})
    sfn = client(aws, "stepfunctions")
    deadline = time.monotonic() + 20
    while not (executions := sfn.list_executions(stateMachineArn=machine)["executions"]):
        assert time.monotonic() < deadline, "no execution started"
        time.sleep(0.1)
    done = finished(aws, executions[0]["executionArn"])
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"n": 20})
