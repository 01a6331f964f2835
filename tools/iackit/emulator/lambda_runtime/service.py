"""The runtime wired to moto's models: sync and async invokes, DLQs, destinations.

Used by `patches/awslambda.py` (Invoke) and `patches/events.py` (Lambda targets). One
`Runtime` per emulator process, created on first use; its work directory is
`IACKIT_LAMBDA_WORKDIR` (made and removed by `Emulator`) or a temporary directory removed
at exit.
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moto.awslambda.models import lambda_backends
from moto.core.utils import unix_time_millis
from moto.events.models import events_backends
from moto.logs.models import logs_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from iackit.emulator.lambda_runtime import (
    DEFAULT_MAX_EVENT_AGE,
    DEFAULT_RETRIES,
    TIME_SCALE,
    Result,
    Runtime,
    log,
    provided,
)

_runtimes: list[Runtime] = []
_lock = threading.Lock()


def runtime() -> Runtime:
    with _lock:
        if not _runtimes:
            workdir = os.environ.get("IACKIT_LAMBDA_WORKDIR")
            path = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="iackit-lambda-"))
            endpoint = os.environ.get("IACKIT_EMULATOR_ENDPOINT", "http://127.0.0.1:5000")
            _runtimes.append(Runtime(path, endpoint))
            atexit.register(_runtimes[0].close)
        return _runtimes[0]


def prefetch(python_version: str = "3.13") -> None:
    """Install the runtime-provided packages in the background at server start."""

    def run() -> None:
        try:
            provided.runtime_packages(python_version)
        except Exception as error:
            log(f"runtime packages for python{python_version} not ready: {error}")

    threading.Thread(target=run, daemon=True, name="lambda-prefetch").start()


def _lambda_backend(account: str, region: str) -> Any:
    return lambda_backends[account][region]


def lambda_function(arn: str) -> Any:
    """The moto function (or version, or alias target) an ARN names; raises if none."""
    parts = arn.split(":")
    return _lambda_backend(parts[4], parts[3]).get_function(arn)


def _write_logs(fn: Any) -> Any:
    def write(stream: str, text: str) -> None:
        backend = logs_backends[fn.account_id][fn.region]
        backend.ensure_log_group(fn.logs_group_name)
        group = backend.groups[fn.logs_group_name]
        if stream not in group.streams:
            backend.create_log_stream(fn.logs_group_name, stream)
        now = unix_time_millis()
        events = [{"timestamp": now, "message": line} for line in text.splitlines() if line.strip()]
        if events:
            backend.put_log_events(fn.logs_group_name, stream, events)

    return write


def run(fn: Any, payload: bytes) -> Result:
    """One synchronous execution of a moto LambdaFunction (a version or $LATEST)."""
    backend = _lambda_backend(fn.account_id, fn.region)

    def layer_code(arn: str) -> bytes:
        layer = backend.layers_versions_by_arn(arn)
        if layer is None:
            raise RuntimeError(f"layer version {arn} does not exist")
        return bytes(layer.code_bytes)

    rt = runtime()
    try:
        spec = rt.spec(fn, layer_code)
    except (RuntimeError, OSError, ValueError) as error:
        body = {"errorMessage": str(error), "errorType": "Runtime.Unavailable"}
        return Result(
            str(uuid.uuid4()),
            json.dumps(body).encode(),
            "Unhandled",
            "",
            body["errorType"],
            str(error),
        )
    invoked = fn.function_arn
    return rt.invoke(spec, payload, invoked, _write_logs(fn))


# --- async -----------------------------------------------------------------------------


def _sleep_scaled(seconds: float) -> None:
    time.sleep(seconds * TIME_SCALE)


def _event_config(fn: Any) -> dict[str, Any]:
    configs = getattr(fn, "event_invoke_config", None) or []
    return dict(configs[-1].config) if configs else {}


def invoke_async(fn: Any, payload: bytes) -> str:
    """Queue an `Event` invocation; returns its request id at once."""
    request_id = str(uuid.uuid4())
    threading.Thread(
        target=_run_async, args=(fn, payload, request_id), daemon=True, name=f"async-{request_id}"
    ).start()
    return request_id


def _run_async(fn: Any, payload: bytes, request_id: str) -> None:
    config = _event_config(fn)
    retries = int(config.get("MaximumRetryAttempts", DEFAULT_RETRIES))
    max_age = float(config.get("MaximumEventAgeInSeconds", DEFAULT_MAX_EVENT_AGE))
    received = time.monotonic()
    attempts = 0
    result: Result | None = None
    condition = "RetriesExhausted"
    while True:
        result = run(fn, payload)
        attempts += 1
        if result.ok or attempts > retries:
            break
        _sleep_scaled(60 * attempts)  # 1 min, then 2 min on AWS
        if time.monotonic() - received > max_age * TIME_SCALE:
            condition = "EventAgeExceeded"
            break
    destinations = config.get("DestinationConfig") or {}
    record = {
        "version": "1.0",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "requestContext": {
            "requestId": request_id,
            "functionArn": fn.function_arn
            if fn.function_arn.count(":") > 6
            else f"{fn.function_arn}:$LATEST",
            "condition": "Success" if result.ok else condition,
            "approximateInvokeCount": attempts,
        },
        "requestPayload": _json_or_text(payload),
        "responseContext": {"statusCode": 200, "executedVersion": str(fn.version)},
        "responsePayload": _json_or_text(result.payload),
    }
    if result.ok:
        target = (destinations.get("OnSuccess") or {}).get("Destination")
        if target:
            deliver(target, json.dumps(record), {}, fn)
        return
    record["responseContext"]["functionError"] = "Unhandled"
    log(
        f"{fn.function_name}: async request {request_id} failed {attempts} time(s): "
        f"{result.error_message}"
    )
    target = (destinations.get("OnFailure") or {}).get("Destination")
    if target:
        deliver(target, json.dumps(record), {}, fn)
    dlq = (getattr(fn, "dead_letter_config", None) or {}).get("TargetArn")
    if dlq:
        attributes = {
            "RequestID": {"DataType": "String", "StringValue": request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": "200"},
            "ErrorMessage": {
                "DataType": "String",
                "StringValue": result.error_message[:1024] or result.error_type,
            },
        }
        deliver(dlq, payload.decode("utf-8", errors="replace"), attributes, fn)


def _json_or_text(data: bytes) -> Any:
    try:
        return json.loads(data) if data else None
    except ValueError:
        return data.decode("utf-8", errors="replace")


def deliver(arn: str, body: str, attributes: dict[str, dict[str, str]], origin: Any) -> None:
    """Send a DLQ message or destination record to SQS, SNS, Lambda or an event bus."""
    parts = arn.split(":")
    service, region, account, resource = parts[2], parts[3], parts[4], ":".join(parts[5:])
    try:
        if service == "sqs":
            sqs_backends[account][region].send_message(
                resource, body, message_attributes=attributes or None
            )
        elif service == "sns":
            sns_attributes = {
                k: {"DataType": v["DataType"], "Value": v["StringValue"]}
                for k, v in attributes.items()
            }
            sns_backends[account][region].publish(body, arn=arn, message_attributes=sns_attributes)
        elif service == "lambda":
            invoke_async(lambda_function(arn), body.encode())
        elif service == "events":
            events_backends[account][region].put_events(
                [
                    {
                        "Source": "lambda",
                        "DetailType": "Lambda Function Invocation Result - Failure",
                        "Detail": body,
                        "EventBusName": arn,
                    }
                ]
            )
        else:
            log(f"cannot deliver to {arn}: unsupported service")
    except Exception as error:
        log(f"delivery to {arn} failed: {error!r}")
