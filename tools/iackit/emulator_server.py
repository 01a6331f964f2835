"""The emulator process: moto's server, plus the two Step Functions APIs the provider calls
that moto 5.2.5 lacks (it answers 500 "not implemented", which the SDK retries for minutes):

- `ValidateStateMachineDefinition`, called before every create/update: OK for a document
  that parses as Amazon States Language (StartAt + States), FAIL with a diagnostic
  otherwise. The definition itself is checked by the ranking-pipeline unit tests;
- `ListStateMachineVersions`, called on every read: no versions (the modules never publish).

And one behaviour: moto cannot run Lambda targets (no Docker) and fails the whole PutEvents
with a 500 when a matching rule has one. Here Lambda targets are passed over, as if the
invocation were accepted, and the rule's other targets (SQS, logs, archives) still get the
event; tests and `make up` run the Lambda handlers in-process instead.

Also `/moto-api/data.json` (how tests read back the emails SES "sent") skips attributes that
raise anything, not only the errors moto expects: a Lambda function's attributes try to
reach Docker once functions exist.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from moto.core.responses import ActionResult
from moto.events import models as events_models
from moto.moto_api._internal.responses import MotoAPIResponse
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


def model_data(self: Any, request: Any, full_url: str, headers: Any) -> Any:
    from moto.core.model_instances import model_data as tracked  # noqa: PLC0415

    results: dict[str, dict[str, list[Any]]] = {}
    for service in sorted(tracked):
        results[service] = {}
        for name in sorted(tracked[service]):
            rows = []
            for instance in tracked[service][name].instances_tracked:  # type: ignore[attr-defined]
                row = {}
                for attr in dir(instance):
                    if attr.startswith("_"):
                        continue
                    try:
                        value = getattr(instance, attr)
                        json.dumps(value)
                    except Exception:  # noqa: S112 - any attribute that cannot be shown
                        continue
                    row[attr] = value
                rows.append(row)
            results[service][name] = rows
    return 200, {"Content-Type": "application/javascript"}, json.dumps(results)


MotoAPIResponse.model_data = model_data  # type: ignore[method-assign]

_send_to_targets = events_models.Rule.send_to_targets


def send_to_targets_except_lambda(
    self: Any, original_event: Any, transform_input: bool = True
) -> None:
    everything = self.targets
    self.targets = [t for t in everything if ":lambda:" not in t["Arn"]]
    try:
        _send_to_targets(self, original_event, transform_input)
    finally:
        self.targets = everything


events_models.Rule.send_to_targets = send_to_targets_except_lambda  # type: ignore[method-assign]
StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition  # type: ignore[attr-defined]
StepFunctionResponse.list_state_machine_versions = list_state_machine_versions  # type: ignore[attr-defined]

if __name__ == "__main__":
    main(sys.argv[1:])
