"""Every emulated answer checked against the botocore service model of the pinned boto3.

`checked_client(service, endpoint)` is a boto3 client whose every answer is validated as it
arrives (botocore's `after-call` event), before the SDK parses it (the parser silently drops
what the model does not know):

- a 2xx body must be a value of the operation's output shape: botocore's `ParamValidator`
  (the validator of request parameters, applied to the raw JSON of the answer: types,
  required members, unknown members, enum-free lengths and ranges; timestamps as epoch
  numbers), so a misspelled or extra member fails;
- an error answer's code (`__type`) must be one of the operation's documented errors.

A violation raises `ContractError` from the call itself, so a test fails where it happened.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.model import OperationModel
from botocore.validate import ParamValidator


class ContractError(AssertionError):
    """An emulated answer that the service model does not allow."""


def output_problems(operation: OperationModel, body: Any) -> list[str]:
    """Why ``body`` (the decoded JSON answer) is not a value of the output shape."""
    shape = operation.output_shape
    if shape is None:
        return [] if body in ({}, None) else [f"{operation.name} has no output, got {body!r}"]
    report = ParamValidator().validate(body, shape)
    return [report.generate_report()] if report.has_errors() else []


def error_problems(operation: OperationModel, code: str) -> list[str]:
    documented = {shape.name for shape in operation.error_shapes}
    if code in documented:
        return []
    return [f"{operation.name} answered {code!r}, not one of {sorted(documented)}"]


def check_answer(http_response: Any, model: OperationModel, **_: Any) -> None:
    raw = http_response.content or b"{}"
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ContractError(f"{model.name}: the answer is not JSON: {raw[:200]!r}") from exc
    if 200 <= http_response.status_code < 300:
        problems = output_problems(model, body)
    else:
        code = str(body.get("__type") or http_response.headers.get("x-amzn-ErrorType") or "")
        problems = error_problems(model, code.rsplit("#", maxsplit=1)[-1].split(":", maxsplit=1)[0])
    if problems:
        raise ContractError(f"{model.name}: " + "; ".join(problems))


def checked_client(service: str, endpoint: str) -> Any:
    client = boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")
    client.meta.events.register("after-call", check_answer)
    return client
