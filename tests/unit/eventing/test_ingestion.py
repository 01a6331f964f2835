"""Ingestion Lambda against emulated DynamoDB: the Interactions items it leaves behind."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from iackit.lambda_events import LambdaContext
from ingestion.app import ConfigurationError, lambda_handler
from ingestion.ingest import UnsupportedEventError, epoch_seconds
from student_platform.catalog import EventValidationError
from tests.unit.eventing.factories import DEFAULT_EPOCH, seed_event

pytestmark = pytest.mark.unit


def items(table: Any) -> list[dict[str, Any]]:
    return list(table.scan(ConsistentRead=True)["Items"])


def test_enrolled_event_becomes_one_item(
    interactions_table: Any, lambda_context: LambdaContext
) -> None:
    event = seed_event("student.enrolled", {"studentId": "1", "classId": "A1"})

    result = lambda_handler(event, lambda_context)

    assert result == {"eventId": event["id"], "written": True, "duplicate": False}
    assert items(interactions_table) == [
        {
            "studentId": "1",
            "eventId": event["id"],
            "itemId": "A1",
            "eventType": "enrolled",
            "timestamp": DEFAULT_EPOCH,
            "source": "api.student",
        }
    ]


def test_submission_with_class_uses_the_class_as_item(
    interactions_table: Any, lambda_context: LambdaContext
) -> None:
    event = seed_event(
        "student.submitAssignment",
        {"studentId": "7", "fileUrl": "s3://submissions/7/essay.pdf", "classId": "B2"},
        time="2024-05-01T15:00:00+07:00",
    )

    lambda_handler(event, lambda_context)

    [item] = items(interactions_table)
    assert (item["studentId"], item["itemId"], item["eventType"]) == ("7", "B2", "submitAssignment")
    assert item["timestamp"] == DEFAULT_EPOCH  # 15:00 in Hà Nội is 08:00 UTC
    assert item["source"] == "api.assignment"


def test_submission_without_class_gets_a_stable_item_id_from_the_file(
    interactions_table: Any, lambda_context: LambdaContext
) -> None:
    url = "https://files.example.com/assignments/1/essay.pdf"
    first = seed_event("student.submitAssignment", {"studentId": "1", "fileUrl": url})
    again = seed_event("student.submitAssignment", {"studentId": "2", "fileUrl": url})

    lambda_handler(first, lambda_context)
    lambda_handler(again, lambda_context)

    expected = "assignment-" + hashlib.sha256(url.encode()).hexdigest()[:16]
    assert {item["itemId"] for item in items(interactions_table)} == {expected}


def test_duplicate_delivery_is_a_no_op_success(
    interactions_table: Any, lambda_context: LambdaContext
) -> None:
    event = seed_event("student.enrolled", {"studentId": "1", "classId": "A1"})

    first = lambda_handler(event, lambda_context)
    second = lambda_handler(event, lambda_context)

    assert (first["written"], second["written"], second["duplicate"]) == (True, False, True)
    assert len(items(interactions_table)) == 1


def test_duplicate_does_not_overwrite_the_stored_item(
    interactions_table: Any, lambda_context: LambdaContext
) -> None:
    event = seed_event("student.enrolled", {"studentId": "1", "classId": "A1"})
    lambda_handler(event, lambda_context)
    replay = {**event, "detail": {"studentId": "1", "classId": "Z9"}}

    lambda_handler(replay, lambda_context)

    [item] = items(interactions_table)
    assert item["itemId"] == "A1"


@pytest.mark.parametrize(
    ("event", "error", "field"),
    [
        (seed_event("student.enrolled", {"studentId": "1"}), EventValidationError,
         "detail.classId"),
        (seed_event("student.enrolled", {"studentId": "", "classId": "A1"}),
         EventValidationError, "detail.studentId"),
        (seed_event("student.submitAssignment", {"studentId": "1", "fileUrl": "ftp://x"}),
         EventValidationError, "detail.fileUrl"),
        (seed_event("student.enrolled", time="not-a-time"), EventValidationError, "time"),
        ({k: v for k, v in seed_event("student.enrolled").items() if k != "id"},
         EventValidationError, "id"),
        ({k: v for k, v in seed_event("student.enrolled").items() if k != "time"},
         EventValidationError, "time"),
        (seed_event("student.deleted", {"studentId": "1"}), EventValidationError,
         "detail-type"),
        (seed_event("teacher.sendAnnouncement"), UnsupportedEventError, None),
    ],
)  # fmt: skip
def test_malformed_events_raise_and_write_nothing(
    event: dict[str, Any],
    error: type[Exception],
    field: str | None,
    interactions_table: Any,
    lambda_context: LambdaContext,
) -> None:
    with pytest.raises(error) as caught:
        lambda_handler(event, lambda_context)

    if field is not None:
        assert getattr(caught.value, "field", None) == field
    assert items(interactions_table) == []


def test_missing_table_setting_raises(
    aws: Any, lambda_context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTERACTIONS_TABLE_NAME", raising=False)
    with pytest.raises(ConfigurationError, match="INTERACTIONS_TABLE_NAME"):
        lambda_handler(seed_event("student.enrolled"), lambda_context)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T08:00:00Z", DEFAULT_EPOCH),
        ("2024-05-01T08:00:00", DEFAULT_EPOCH),
        ("2024-05-01T08:00:00.999Z", DEFAULT_EPOCH),
        ("1970-01-01T00:00:00Z", 0),
    ],
)
def test_epoch_seconds(value: str, expected: int) -> None:
    assert epoch_seconds(value) == expected
