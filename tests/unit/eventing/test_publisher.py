"""Publisher Lambda against the emulated EventBridge: what arrives on the bus."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iackit.lambda_events import LambdaContext
from publisher.app import lambda_handler
from student_platform.catalog import validate_event
from tests.unit.eventing.conftest import BusSink
from tests.unit.eventing.factories import API_TYPES, SEED_EVENTS, publish_request

pytestmark = pytest.mark.unit


def call(request: dict[str, Any], lambda_context: LambdaContext) -> tuple[int, dict[str, Any]]:
    response = lambda_handler(request, lambda_context)
    assert response["headers"]["Content-Type"].startswith("application/json")
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize("detail_type", API_TYPES)
def test_each_event_type_is_published_to_the_bus(
    detail_type: str, bus: BusSink, lambda_context: LambdaContext
) -> None:
    source, detail = SEED_EVENTS[detail_type]

    status, body = call(publish_request(detail_type, detail), lambda_context)

    assert status == 202, body
    [event_id] = body["eventIds"]
    [received] = bus.received()
    assert received["id"] == event_id
    assert received["source"] == source
    assert received["detail-type"] == detail_type
    assert received["detail"] == detail
    validate_event(received)  # what consumers get matches the catalog


def test_batch_is_published_in_one_request(bus: BusSink, lambda_context: LambdaContext) -> None:
    details = [{"studentId": str(i), "classId": "A1"} for i in range(10)]

    status, body = call(publish_request("student.enrolled", details), lambda_context)

    assert status == 202, body
    assert len(body["eventIds"]) == 10
    assert len(set(body["eventIds"])) == 10
    received = bus.received()
    assert sorted(e["detail"]["studentId"] for e in received) == sorted(
        d["studentId"] for d in details
    )
    assert {e["id"] for e in received} == set(body["eventIds"])


def test_vietnamese_content_survives_the_round_trip(
    bus: BusSink, lambda_context: LambdaContext
) -> None:
    detail = {"teacherId": "T1", "content": "Thứ Sáu kiểm tra giữa kỳ, các em ôn bài nhé!"}

    status, _ = call(
        publish_request("teacher.sendAnnouncement", detail, base64_body=True), lambda_context
    )

    assert status == 202
    assert bus.received()[0]["detail"]["content"] == detail["content"]


def req(detail_type: str | None, body: Any = None, raw: str | None = None) -> dict[str, Any]:
    return publish_request(detail_type, body, raw=raw)


@pytest.mark.parametrize(
    ("request_event", "expected"),
    [
        (req("student.enrolled", {"studentId": "1"}), (400, "detail.classId", "is required")),
        (req("student.enrolled", {"studentId": 1, "classId": "A1"}),
         (400, "detail.studentId", "must be string")),
        (req("student.enrolled", {"studentId": "1", "classId": "A1", "role": "admin"}),
         (400, "detail.role", "is not allowed")),
        (req("ranking.requestUpdate", {"trigger": "manual"}), (403, "type", "internal")),
        (req("student.deleted", {"studentId": "1"}), (400, "type", "unknown event type")),
        (req(None, {"studentId": "1"}), (400, "type", "is required")),
        (req("ranking.updated", SEED_EVENTS["ranking.updated"][1]), (403, "type", "internal")),
        (req("student.enrolled", raw='{"studentId": "1", '), (400, "body", "not valid JSON")),
        (req("student.enrolled", raw=""), (400, "body", "body is required")),
        (req("student.enrolled", "just a string"), (400, "detail", "must be object")),
        (req("student.enrolled", []), (400, "body", "1 to 10")),
        (req("student.enrolled", [{"studentId": "1", "classId": "A1"}] * 11),
         (400, "body", "1 to 10")),
    ],
)  # fmt: skip
def test_rejected_requests_name_the_field_and_publish_nothing(
    request_event: dict[str, Any],
    expected: tuple[int, str, str],
    bus: BusSink,
    lambda_context: LambdaContext,
) -> None:
    status, field, message = expected

    got_status, body = call(request_event, lambda_context)

    assert got_status == status
    assert body["field"] == field
    assert message in body["error"]
    assert bus.received() == []


def test_one_bad_entry_rejects_the_whole_batch(bus: BusSink, lambda_context: LambdaContext) -> None:
    details = [{"studentId": "1", "classId": "A1"}, {"studentId": "2"}]

    status, body = call(publish_request("student.enrolled", details), lambda_context)

    assert status == 400
    assert (body["index"], body["field"]) == (1, "detail.classId")
    assert bus.received() == []


def test_invalid_base64_body_is_rejected(bus: BusSink, lambda_context: LambdaContext) -> None:
    request = publish_request("student.enrolled", None, raw="%%% not base64 %%%")
    request["isBase64Encoded"] = True

    status, body = call(request, lambda_context)

    assert (status, body["field"]) == (400, "body")
    assert bus.received() == []


def test_missing_bus_is_reported_as_502(
    bus: BusSink, lambda_context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")

    status, body = call(
        publish_request("student.enrolled", {"studentId": "1", "classId": "A1"}), lambda_context
    )

    assert status == 502
    assert "ResourceNotFoundException" in body["error"]
    assert bus.received() == []


def test_unconfigured_bus_is_a_500(
    aws: Any, lambda_context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENT_BUS_NAME", raising=False)

    status, body = call(
        publish_request("student.enrolled", {"studentId": "1", "classId": "A1"}), lambda_context
    )

    assert status == 500
    assert "not configured" in body["error"]
