"""Acting on what is deployed, as any AWS client would: invoke a function through the Lambda
Invoke API, read its log group, wait for an effect. Used by `make up` (`iackit.mainjob`) and
the module apply tests (`tests/harness/deployed.py`).

Nothing here imports a handler: the code that runs is the function's deployed zip and
layers, executed by the emulator's Lambda runtime (docs/emulator.md).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class FunctionError(AssertionError):
    """The deployed function answered with `X-Amz-Function-Error`: its error and log tail."""

    def __init__(self, function_name: str, payload: Any, log_tail: str) -> None:
        self.function_name = function_name
        self.payload = payload
        self.log_tail = log_tail
        error = payload if isinstance(payload, dict) else {"errorMessage": payload}
        super().__init__(
            f"{function_name} failed: {error.get('errorType', '?')}: "
            f"{error.get('errorMessage', '')}\n--- log tail ---\n{log_tail}"
        )


def invoke(lambda_client: Any, function_name: str, payload: Any) -> Any:
    """Invoke `function_name` synchronously (RequestResponse) with `payload` as JSON and return
    its decoded answer; raise `FunctionError` with the function's log tail if it failed."""
    response = lambda_client.invoke(
        FunctionName=function_name,
        InvocationType="RequestResponse",
        LogType="Tail",
        Payload=json.dumps(payload).encode("utf-8"),
    )
    raw = response["Payload"].read()
    answer = json.loads(raw) if raw else None
    if response.get("FunctionError"):
        tail = base64.b64decode(response.get("LogResult", "")).decode("utf-8", "replace")
        raise FunctionError(function_name, answer, tail)
    return answer


def wait_for(
    probe: Callable[[], T | None], timeout: float = 30.0, interval: float = 0.2, what: str = ""
) -> T:
    """Poll `probe` until it returns something truthy and return it; `TimeoutError` naming
    `what` (or the probe) once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up after {timeout:.0f}s waiting for {what or probe}")
        time.sleep(interval)


def log_messages(logs_client: Any, function_name: str) -> list[str]:
    """Every message in the function's log group `/aws/lambda/<name>` (oldest first); empty
    when it never ran (the group may not exist then)."""
    group = f"/aws/lambda/{function_name}"
    if not logs_client.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        return []
    pages = logs_client.get_paginator("filter_log_events").paginate(logGroupName=group)
    events = [event for page in pages for event in page["events"]]
    return [str(e["message"]) for e in sorted(events, key=lambda e: e["timestamp"])]


def invocations(logs_client: Any, function_name: str) -> tuple[int, int]:
    """(started, finished) invocations of the function, counted from its `START` and
    `REPORT` log lines."""
    messages = log_messages(logs_client, function_name)
    started = sum(m.startswith("START RequestId:") for m in messages)
    finished = sum(m.startswith("REPORT RequestId:") for m in messages)
    return started, finished
