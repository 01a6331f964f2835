"""Student registration (``student.registered``): the publisher validates and authorizes it,
ingestion (the only writer of a student's profile) upserts the Students row."""

from __future__ import annotations

import copy
import json
from typing import Any

import boto3
import pytest

from iackit.lambda_events import LambdaContext, http_request
from ingestion.app import lambda_handler as ingest_handler
from ingestion.ingest import ConfigurationError
from publisher.app import handle
from publisher.app import lambda_handler as publisher_handler
from publisher.publish import RetryPolicy
from tests.unit.eventing.conftest import BusSink, _create_table
from tests.unit.eventing.factories import publish_request, seed_event

pytestmark = pytest.mark.unit

PROFILE = {"studentId": "S1", "name": "Nguyễn Văn An", "email": "an@example.com"}


def jwt_request(body: Any, sub: str, scope: str = "student") -> dict[str, Any]:
    request = publish_request("student.registered", body)
    request["requestContext"]["authorizer"] = {
        "jwt": {"claims": {"sub": sub, "scope": scope}, "scopes": None}
    }
    return request


def answer(request: dict[str, Any], bus: BusSink) -> tuple[int, dict[str, Any]]:
    response = handle(request, bus.name, boto3.client("events"), RetryPolicy(max_attempts=1))
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize(
    ("body", "caller", "expected"),
    [
        (PROFILE, ("S1", "student"), (202, None)),
        ({**PROFILE, "language": "en"}, ("S1", "student"), (202, None)),
        (PROFILE, ("S2", "student"), (403, "detail.studentId")),
        (PROFILE, ("T1", "teacher"), (403, "detail.studentId")),
        ({**PROFILE, "classIds": ["A1"]}, ("S1", "student"), (403, "detail.classIds")),
        ({**PROFILE, "classIds": ["A1", "B2"]}, ("boss", "admin"), (202, None)),
        (PROFILE, ("S2", "admin"), (202, None)),
        ({**PROFILE, "email": "not an email"}, ("S1", "student"), (400, "detail.email")),
        ({**PROFILE, "name": "   "}, ("S1", "student"), (400, "detail.name")),
        ({**PROFILE, "name": "x" * 201}, ("S1", "student"), (400, "detail.name")),
        ({**PROFILE, "language": "fr"}, ("S1", "student"), (400, "detail.language")),
        ({**PROFILE, "studentId": "S1\n"}, ("S1\n", "student"), (400, "detail.studentId")),
        ({**PROFILE, "classIds": ["A1", "A1"]}, ("boss", "admin"), (400, "detail.classIds")),
        ({**PROFILE, "classIds": ["A1\n"]}, ("boss", "admin"), (400, "detail.classIds[0]")),
        ({**PROFILE, "role": "admin"}, ("S1", "student"), (400, "detail.role")),
        ({"studentId": "S1", "name": "An"}, ("S1", "student"), (400, "detail.email")),
    ],
)
def test_who_may_register_whom_and_with_what(
    bus: BusSink, body: dict[str, Any], caller: tuple[str, str], expected: tuple[int, str | None]
) -> None:
    status, payload = answer(jwt_request(body, *caller), bus)

    assert (status, payload.get("field")) == expected, payload
    published = bus.received()
    if status == 202:
        [event] = published
        assert (event["source"], event["detail-type"]) == ("api.student", "student.registered")
        assert event["detail"] == body
    else:
        assert published == []
        assert payload["error"]


def test_an_iam_caller_is_a_service_and_may_set_classes(bus: BusSink) -> None:
    request = publish_request("student.registered", {**PROFILE, "classIds": ["A1"]})

    status, payload = answer(request, bus)

    assert status == 202, payload
    assert [e["detail"]["classIds"] for e in bus.received()] == [["A1"]]


def registered(detail: dict[str, Any], time: str = "2024-05-01T08:00:00Z") -> dict[str, Any]:
    return seed_event("student.registered", detail, time=time)


def test_registration_creates_then_updates_the_students_row(
    interactions_table: Any, students_table: Any, lambda_context: LambdaContext
) -> None:
    first = ingest_handler(registered({**PROFILE, "classIds": ["A1", "B2"]}), lambda_context)
    update = ingest_handler(
        registered({**PROFILE, "name": "An", "language": "en"}, time="2024-05-02T08:00:00Z"),
        lambda_context,
    )

    assert (first["student"], update["student"]) == ("registered", "registered")
    row = students_table.get_item(Key={"studentId": "S1"}, ConsistentRead=True)["Item"]
    assert row == {
        "studentId": "S1",
        "name": "An",
        "email": "an@example.com",
        "language": "en",
        "classIds": {"A1", "B2"},  # absent in the update: kept
        "classId": "A1",  # the notifier's class index key: the first class
        "updatedAt": 1714636800,
    }
    assert interactions_table.scan()["Items"] == []  # a registration is no interaction
    # The notifier's class query finds the registered student.
    by_class = students_table.query(
        IndexName="classId-index",
        KeyConditionExpression="classId = :c",
        ExpressionAttributeValues={":c": "A1"},
    )["Items"]
    assert [s["studentId"] for s in by_class] == ["S1"]


def test_without_a_language_a_new_row_gets_vi_and_an_update_keeps_the_stored_one(
    interactions_table: Any, students_table: Any, lambda_context: LambdaContext
) -> None:
    def language() -> str:
        row = students_table.get_item(Key={"studentId": "S1"}, ConsistentRead=True)["Item"]
        return str(row["language"])

    ingest_handler(registered(PROFILE), lambda_context)
    assert language() == "vi"
    ingest_handler(
        registered({**PROFILE, "language": "en"}, time="2024-05-02T08:00:00Z"), lambda_context
    )
    ingest_handler(
        registered({**PROFILE, "name": "An"}, time="2024-05-03T08:00:00Z"), lambda_context
    )
    assert language() == "en"


def test_an_older_registration_delivered_late_changes_nothing(
    interactions_table: Any, students_table: Any, lambda_context: LambdaContext
) -> None:
    ingest_handler(registered(PROFILE, time="2024-05-02T08:00:00Z"), lambda_context)

    late = ingest_handler(
        registered({**PROFILE, "email": "old@example.com"}, time="2024-05-01T08:00:00Z"),
        lambda_context,
    )

    assert late["student"] == "stale"
    row = students_table.get_item(Key={"studentId": "S1"}, ConsistentRead=True)["Item"]
    assert row["email"] == "an@example.com"


def test_an_empty_class_list_removes_the_classes(
    interactions_table: Any, students_table: Any, lambda_context: LambdaContext
) -> None:
    ingest_handler(registered({**PROFILE, "classIds": ["A1"]}), lambda_context)
    ingest_handler(
        registered({**PROFILE, "classIds": []}, time="2024-05-01T09:00:00Z"), lambda_context
    )

    row = students_table.get_item(Key={"studentId": "S1"}, ConsistentRead=True)["Item"]
    assert "classIds" not in row
    assert "classId" not in row


def test_enrollment_after_registration_adds_to_the_registered_classes(
    interactions_table: Any, students_table: Any, lambda_context: LambdaContext
) -> None:
    ingest_handler(registered({**PROFILE, "classIds": ["A1"]}), lambda_context)

    enrolled = ingest_handler(
        seed_event("student.enrolled", {"studentId": "S1", "classId": "C3"}), lambda_context
    )

    assert enrolled["student"] == "updated"
    row = students_table.get_item(Key={"studentId": "S1"}, ConsistentRead=True)["Item"]
    assert row["classIds"] == {"A1", "C3"}


def test_registration_without_a_students_table_is_a_configuration_error(
    interactions_table: Any, lambda_context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDENTS_TABLE_NAME", raising=False)

    with pytest.raises(ConfigurationError, match="Students"):
        ingest_handler(registered(PROFILE), lambda_context)


def test_a_registration_retried_with_its_idempotency_key_is_published_once(
    bus: BusSink, aws: Any, monkeypatch: pytest.MonkeyPatch, lambda_context: LambdaContext
) -> None:
    """Through the routed handler (POST /events/student.registered), as a JWT student."""
    _create_table("registration-keys", [("id", "HASH")])
    monkeypatch.setenv("IDEMPOTENCY_TABLE_NAME", "registration-keys")
    request = http_request(
        "POST",
        "/events/student.registered",
        None,
        PROFILE,
        authorizer={"jwt": {"claims": {"sub": "S1", "scope": "student"}, "scopes": None}},
    )
    request["headers"]["idempotency-key"] = "register-S1"

    first = publisher_handler(copy.deepcopy(request), lambda_context)
    again = publisher_handler(copy.deepcopy(request), lambda_context)

    assert (first["statusCode"], again["statusCode"]) == (202, 202)
    assert json.loads(again["body"])["eventIds"] == json.loads(first["body"])["eventIds"]
    assert json.loads(again["body"])["replayed"] is True
    assert [e["detail-type"] for e in bus.received()] == ["student.registered"]
