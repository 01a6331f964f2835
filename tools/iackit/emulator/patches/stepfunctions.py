"""Step Functions: the two APIs the provider calls that moto 5.2.5 lacks.

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
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.responses import StepFunctionResponse


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


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (StepFunctionResponse, "validate_state_machine_definition", validate_state_machine_definition),
    (StepFunctionResponse, "list_state_machine_versions", list_state_machine_versions),
]
