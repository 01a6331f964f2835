"""The emulator process: moto's server, plus the one API the modules need that moto 5.2.5
lacks.

The AWS provider validates every new Step Functions definition with
`ValidateStateMachineDefinition` before creating it; moto answers 500 "not implemented",
which the SDK retries for many minutes. Here it answers like AWS does for a document that
parses as Amazon States Language (StartAt + States), and FAIL with a diagnostic otherwise.
The definition itself is checked by the ranking-pipeline unit tests.
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


StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition  # type: ignore[attr-defined]

if __name__ == "__main__":
    main(sys.argv[1:])
