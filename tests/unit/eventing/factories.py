"""Seed events of the product brief and the two request shapes the eventing Lambdas receive,
built with the one set of helpers in `iackit.lambda_events` (the Lambda context is the
harness's `lambda_context` fixture)."""

from __future__ import annotations

from typing import Any

from iackit.lambda_events import eventbridge_event, http_request

# The seed table of the product brief: detail-type -> (source, example detail).
SEED_EVENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "student.enrolled": ("api.student", {"studentId": "1", "classId": "A1"}),
    "student.registered": (
        "api.student",
        {"studentId": "1", "name": "Nguyễn Văn An", "email": "an.nguyen@example.com"},
    ),
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
# What API clients may publish (ranking.* only come from the pipeline and its schedule).
API_TYPES = [t for t in SEED_EVENTS if not t.startswith("ranking.")]
DEFAULT_TIME = "2024-05-01T08:00:00Z"
DEFAULT_EPOCH = 1714550400  # DEFAULT_TIME in epoch seconds


def seed_event(
    detail_type: str,
    detail: dict[str, Any] | None = None,
    *,
    source: str | None = None,
    event_id: str | None = None,
    time: str = DEFAULT_TIME,
) -> dict[str, Any]:
    """An EventBridge event of `detail_type` with the seed source and (by default) detail."""
    seed_source, seed_detail = SEED_EVENTS.get(detail_type, ("api.unknown", {}))
    return eventbridge_event(
        detail_type,
        dict(seed_detail) if detail is None else detail,
        source=source or seed_source,
        event_id=event_id,
        time=time,
    )


def publish_request(
    detail_type: str | None, body: Any, *, raw: str | None = None, base64_body: bool = False
) -> dict[str, Any]:
    """A ``POST /events/{type}`` request to the publisher (no `type` when it is None)."""
    return http_request(
        "POST",
        "/events/{type}",
        None if detail_type is None else {"type": detail_type},
        body,
        raw=raw,
        base64_body=base64_body,
    )
