"""The emulator process: moto's server, plus the two Step Functions APIs the provider calls
that moto 5.2.5 lacks (it answers 500 "not implemented", which the SDK retries for minutes):

- `ValidateStateMachineDefinition`, called before every create/update: OK for a document
  that parses as Amazon States Language (StartAt + States), FAIL with a diagnostic
  otherwise. The definition itself is checked by the ranking-pipeline unit tests;
- `ListStateMachineVersions`, called on every read: no versions (the modules never publish).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from moto.core.responses import ActionResult
from moto.server import main
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


StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition  # type: ignore[attr-defined]
StepFunctionResponse.list_state_machine_versions = list_state_machine_versions  # type: ignore[attr-defined]

if __name__ == "__main__":
    main(sys.argv[1:])
