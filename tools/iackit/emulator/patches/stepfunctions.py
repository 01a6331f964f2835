"""Step Functions: executions that run, and the two APIs the provider calls that moto lacks.

- Executions run: `iackit.emulator.server` switches on moto's Amazon States Language
  interpreter (`execute_state_machine`), so StartExecution runs the definition: Lambda
  task states invoke the deployed functions through the emulator's Lambda runtime, SDK
  integrations call the emulator, and the history is read with GetExecutionHistory. Wait
  states wait `TIME_SCALE` of their time (a 60 s poll waits 0.1 s), as Lambda's retry
  delays do here. `start_execution` is what EventBridge rule targets and Scheduler use.

Provider 6.34 calls `ValidateStateMachineDefinition` before every create/update of an
`aws_sfn_state_machine` and `ListStateMachineVersions` on every read. moto answers both with
a 500 "not implemented", which the SDK retries for minutes, so no state machine could be
applied. Here:

- `ValidateStateMachineDefinition`: OK for a document that parses as Amazon States Language
  (StartAt + States), FAIL with a diagnostic otherwise. The definition itself is checked by
  the ranking-pipeline unit tests;
- `ListStateMachineVersions`: no versions (the modules never publish).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.responses import StepFunctionResponse, get_backend

from iackit.emulator.lambda_runtime import TIME_SCALE


def validate_state_machine_definition(self: StepFunctionResponse) -> ActionResult:
    try:
        document: Any = json.loads(self._get_param("definition") or "")
    except ValueError:
        document = None
    valid = isinstance(document, dict) and "StartAt" in document and "States" in document
    diagnostics = (
        []
        if valid
        else [
            {
                "severity": "ERROR",
                "code": "SCHEMA_VALIDATION_FAILED",
                "message": "The definition is not an Amazon States Language document.",
            }
        ]
    )
    return ActionResult(
        {"result": "OK" if valid else "FAIL", "diagnostics": diagnostics, "truncated": False}
    )


def list_state_machine_versions(self: StepFunctionResponse) -> ActionResult:
    return ActionResult({"stateMachineVersions": []})


def wait_interval_scaled(self: WaitFunction, env: Any, wait_seconds: int) -> None:
    if wait_seconds > 0:
        env.program_state_event.wait(wait_seconds * TIME_SCALE)


def start_execution(state_machine_arn: str, execution_input: str) -> str:
    """Start an execution as a rule target or a schedule does; returns its ARN."""
    parts = state_machine_arn.split(":")
    execution = get_backend(parts[4], parts[3]).start_execution(
        state_machine_arn, str(uuid.uuid4()), execution_input
    )
    return str(execution.execution_arn)


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (StepFunctionResponse, "validate_state_machine_definition", validate_state_machine_definition),
    (StepFunctionResponse, "list_state_machine_versions", list_state_machine_versions),
    (WaitFunction, "_wait_interval", wait_interval_scaled),
]
