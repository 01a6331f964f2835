"""Events and contexts shaped as AWS hands them to a Lambda handler: payloads for invoking
the deployed functions on the emulator (`make up`, apply tests) and, with `LambdaContext`,
for the unit tests and benchmarks that call a handler in-process.

The one set of Lambda test doubles: the harness's `lambda_context` fixture returns a
`LambdaContext`, and test factories wrap `http_request` / `eventbridge_event`."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from iackit.emulator import ACCOUNT_ID, REGION

DEFAULT_EVENT_TIME = "2026-01-01T02:00:00Z"


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


# requestContext.authorizer of an AWS_IAM route: the SigV4 signer (a service's role session).
IAM_AUTHORIZER: Mapping[str, Any] = {
    "iam": {
        "accessKey": "ASIAEXAMPLEEXAMPLE00",
        "accountId": ACCOUNT_ID,
        "callerId": "AROAEXAMPLEEXAMPLE000:service",
        "principalOrgId": None,
        "userArn": f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/student-platform-service/service",
        "userId": "AROAEXAMPLEEXAMPLE000:service",
        "cognitoIdentity": None,
    }
}


def http_request(
    method: str,
    route: str,
    path_parameters: Mapping[str, str] | None = None,
    body: Any = None,
    *,
    raw: str | None = None,
    base64_body: bool = False,
    query: Mapping[str, str] | None = None,
    authorizer: Mapping[str, Any] | None = IAM_AUTHORIZER,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) request for `route`, e.g. GET /ranking/{userId}.

    The body is `raw` text if given, else `body` as JSON (no body when both are None);
    `base64_body` sends it base64-encoded with `isBase64Encoded` set, as API Gateway does for
    binary payloads. `authorizer` is `requestContext.authorizer`: by default what an AWS_IAM
    route (the modules' default) passes for a SigV4-signed caller; `{"jwt": {"claims": ...,
    "scopes": ...}}` for a JWT route; None for a public route (no identity)."""
    path = route
    for name, value in (path_parameters or {}).items():
        # rawPath stays percent-encoded; pathParameters are decoded (as API Gateway does).
        path = path.replace("{" + name + "}", quote(value, safe=""))
    text = raw if raw is not None or body is None else json.dumps(body, ensure_ascii=False)
    if base64_body and text is not None:
        text = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {"content-type": "application/json"},
        "queryStringParameters": None if query is None else dict(query),
        "pathParameters": None if path_parameters is None else dict(path_parameters),
        "requestContext": {
            "http": {"method": method, "path": path},
            "requestId": str(uuid.uuid4()),
            "stage": "$default",
            **({} if authorizer is None else {"authorizer": dict(authorizer)}),
        },
        "body": text,
        "isBase64Encoded": base64_body,
    }


def eventbridge_event(
    detail_type: str,
    detail: dict[str, Any] | None = None,
    *,
    source: str,
    event_id: str | None = None,
    time: str = DEFAULT_EVENT_TIME,
) -> dict[str, Any]:
    """An EventBridge event as a Lambda target receives it."""
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": ACCOUNT_ID,
        "time": time,
        "region": REGION,
        "resources": [],
        "detail": {} if detail is None else detail,
    }
