"""Sample events as the Lambdas receive them (EventBridge targets, HTTP API v2 requests)."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from iackit.emulator import ACCOUNT_ID, REGION

# The seed table of the product brief: detail-type -> (source, example detail).
SEED_EVENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "student.enrolled": ("api.student", {"studentId": "1", "classId": "A1"}),
    "student.submitAssignment": (
        "api.assignment",
        {"studentId": "1", "fileUrl": "https://files.example.com/assignments/1/essay.pdf"},
    ),
    "teacher.sendAnnouncement": ("api.teacher", {"teacherId": "T1", "content": "Nghỉ học mai."}),
    "ranking.requestUpdate": ("api.ranking", {"trigger": "nightly"}),
    "ranking.updated": (
        "api.ranking",
        {
            "mode": "campaign",
            "location": "arn:aws:personalize:us-east-1:123456789012:campaign/student-ranking",
        },
    ),
}
API_TYPES = [t for t in SEED_EVENTS if t != "ranking.updated"]
DEFAULT_TIME = "2024-05-01T08:00:00Z"
DEFAULT_EPOCH = 1714550400  # DEFAULT_TIME in epoch seconds


def eventbridge_event(
    detail_type: str,
    detail: dict[str, Any] | None = None,
    *,
    event_id: str | None = None,
    time: str = DEFAULT_TIME,
    source: str | None = None,
) -> dict[str, Any]:
    """An EventBridge event as a Lambda target receives it (seed detail by default)."""
    seed_source, seed_detail = SEED_EVENTS.get(detail_type, ("api.unknown", {}))
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source or seed_source,
        "account": ACCOUNT_ID,
        "time": time,
        "region": REGION,
        "resources": [],
        "detail": dict(seed_detail) if detail is None else detail,
    }


def http_request(
    detail_type: str | None, body: Any, *, raw: str | None = None, base64_body: bool = False
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) request for ``POST /events/{type}``."""
    text = raw if raw is not None else json.dumps(body, ensure_ascii=False)
    if base64_body:
        text = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return {
        "version": "2.0",
        "routeKey": "POST /events/{type}",
        "rawPath": f"/events/{detail_type}",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {
            "http": {"method": "POST", "path": f"/events/{detail_type}"},
            "requestId": str(uuid.uuid4()),
            "stage": "$default",
        },
        "pathParameters": {"type": detail_type} if detail_type is not None else None,
        "body": text,
        "isBase64Encoded": base64_body,
    }


@dataclass
class FakeLambdaContext:
    function_name: str = "eventing-test"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:eventing-test"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"
    log_group_name: str = "/aws/lambda/eventing-test"
    log_stream_name: str = "stream"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
