"""Lambda: Invoke runs the deployed code; a function keeps its `DeadLetterConfig`.

- Invoke: moto 5.2.5 runs functions only in Docker (absent here: "error running docker").
  Here `LambdaFunction.invoke` hands the function to `iackit.emulator.lambda_runtime`:
  RequestResponse runs the deployed zip and layers in an isolated worker and answers the
  handler's result, or the AWS error shape with `X-Amz-Function-Error: Unhandled` (and
  the log tail for `LogType=Tail`); Event queues the invocation (retries, DLQ,
  destinations) and answers 202; DryRun runs nothing.
- `DeadLetterConfig`:
moto 5.2.5 accepts `DeadLetterConfig` on CreateFunction / UpdateFunctionConfiguration but
neither stores nor returns it, so every function with a DLQ would show a perpetual diff
right after apply (and the DLQ wiring could not be checked with boto3). Here the target ARN
is kept on the function and returned by GetFunctionConfiguration; an empty `TargetArn`
removes it, as on AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.awslambda.models import LambdaFunction

from iackit.emulator.lambda_runtime import service, tail

_lambda_init = LambdaFunction.__init__
_lambda_get_configuration = LambdaFunction.get_configuration
_lambda_update_configuration = LambdaFunction.update_configuration


def _dead_letter_config(value: dict[str, Any] | None) -> dict[str, str] | None:
    return {"TargetArn": value["TargetArn"]} if value and value.get("TargetArn") else None


def lambda_init(self: Any, account_id: str, spec: dict[str, Any], *a: Any, **k: Any) -> None:
    _lambda_init(self, account_id, spec, *a, **k)
    self.dead_letter_config = _dead_letter_config(spec.get("DeadLetterConfig"))


def lambda_get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
    config = _lambda_get_configuration(self, on_create)
    if getattr(self, "dead_letter_config", None):
        config["DeadLetterConfig"] = self.dead_letter_config
    return config


def lambda_update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
    if "DeadLetterConfig" in config_updates:
        self.dead_letter_config = _dead_letter_config(config_updates["DeadLetterConfig"])
    return _lambda_update_configuration(self, config_updates)


def lambda_invoke(
    self: Any, body: str | bytes | None, request_headers: Any, response_headers: Any
) -> bytes:
    payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    invocation_type = request_headers.get("x-amz-invocation-type", "RequestResponse")
    if invocation_type == "DryRun":
        return b""
    if invocation_type == "Event":
        service.invoke_async(self, payload)
        return b""
    result = service.run(self, payload)
    response_headers["x-amz-executed-version"] = str(self.version)
    response_headers["x-amz-log-result"] = tail(result.logs)
    if result.function_error:
        response_headers["x-amz-function-error"] = result.function_error
    return result.payload


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (LambdaFunction, "__init__", lambda_init),
    (LambdaFunction, "get_configuration", lambda_get_configuration),
    (LambdaFunction, "update_configuration", lambda_update_configuration),
    (LambdaFunction, "invoke", lambda_invoke),
]
