"""Events and contexts shaped as AWS hands them to a Lambda handler, for running handlers
in-process (the emulator cannot execute Lambda code): tests, `make up` and benchmarks."""

from __future__ import annotations

import json
import uuid
from typing import Any

from iackit.emulator import ACCOUNT_ID, REGION


class LambdaContext:
    """The attributes of a Lambda context that Powertools and the handlers read."""

    function_name = "in-process"
    function_version = "$LATEST"
    memory_limit_in_mb = 256
    invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:in-process"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    log_group_name = "/aws/lambda/in-process"
    log_stream_name = "in-process"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


def http_request(
    method: str,
    route: str,
    path_parameters: dict[str, str] | None = None,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) request for `route`, e.g. GET /ranking/{userId}."""
    path = route
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    return {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {"content-type": "application/json"},
        "queryStringParameters": query,
        "pathParameters": path_parameters,
        "requestContext": {
            "http": {"method": method, "path": path},
            "requestId": str(uuid.uuid4()),
            "stage": "$default",
        },
        "body": None if body is None else json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }


def eventbridge_event(
    detail_type: str, source: str, detail: dict[str, Any], event_id: str | None = None
) -> dict[str, Any]:
    """An EventBridge event as a Lambda target receives it."""
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": ACCOUNT_ID,
        "time": "2026-01-01T02:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": detail,
    }
