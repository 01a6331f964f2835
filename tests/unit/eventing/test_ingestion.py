"""Ingestion Lambda against emulated DynamoDB: the Interactions items it leaves behind."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest

from iackit.lambda_events import LambdaContext
from ingestion.app import ConfigurationError, lambda_handler
from ingestion.ingest import UnsupportedEventError, epoch_seconds
from student_platform.catalog import EventValidationError
from tests.unit.eventing.factories import DEFAULT_EPOCH, seed_event

pytestmark = pytest.mark.unit

CLASS_ACTIVITY_TABLE = "class-activity-test"


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
        (seed_event("ranking.requestUpdate"), UnsupportedEventError, None),
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


# --- the Students and ClassActivity writes (issue 15, item 6) -----------------------------


@pytest.fixture
def class_activity_table(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    table = boto3.resource("dynamodb").create_table(
        TableName=CLASS_ACTIVITY_TABLE,
        KeySchema=[
            {"AttributeName": "classId", "KeyType": "HASH"},
            {"AttributeName": "activityId", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "classId", "AttributeType": "S"},
            {"AttributeName": "activityId", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    monkeypatch.setenv("CLASS_ACTIVITY_TABLE_NAME", CLASS_ACTIVITY_TABLE)
    return table


def test_enrollment_adds_the_class_to_a_known_student_once(
    interactions_table: Any, students_table: Any, lambda_context: LambdaContext
) -> None:
    students_table.put_item(Item={"studentId": "1", "name": "An", "classIds": {"A0"}})
    event = seed_event("student.enrolled", {"studentId": "1", "classId": "A1"})

    first = lambda_handler(event, lambda_context)
    again = lambda_handler(event, lambda_context)  # redelivered: the set does not change
    other = lambda_handler(
        seed_event("student.enrolled", {"studentId": "1", "classId": "B2"}), lambda_context
    )

    assert (first["student"], again["student"], other["student"]) == ("updated",) * 3
    student = students_table.get_item(Key={"studentId": "1"}, ConsistentRead=True)["Item"]
    assert student["classIds"] == {"A0", "A1", "B2"}
    assert student["name"] == "An"
    assert len(items(interactions_table)) == 2


def test_enrollment_of_an_unknown_student_records_the_interaction_warns_and_counts(
    interactions_table: Any,
    students_table: Any,
    lambda_context: LambdaContext,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    event = seed_event("student.enrolled", {"studentId": "ghost", "classId": "A1"})

    result = lambda_handler(event, lambda_context)  # no exception: nothing to retry

    assert result == {
        "eventId": event["id"],
        "written": True,
        "duplicate": False,
        "student": "unknown",
    }
    assert [i["studentId"] for i in items(interactions_table)] == ["ghost"]
    assert items(students_table) == []  # an enrollment never creates a student
    [warning] = [r for r in caplog.records if getattr(r, "outcome", None) == "unknown-student"]
    assert warning.levelname == "WARNING"
    assert (warning.__dict__["studentId"], warning.__dict__["classId"]) == ("ghost", "A1")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    [metric] = [line for line in lines if "UnknownStudentEnrollment" in line]
    directive = metric["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "StudentPlatform"
    assert directive["Metrics"] == [{"Name": "UnknownStudentEnrollment", "Unit": "Count"}]
    assert metric["UnknownStudentEnrollment"] == [1.0]


def test_submission_with_a_class_writes_class_activity_once(
    interactions_table: Any, class_activity_table: Any, lambda_context: LambdaContext
) -> None:
    event = seed_event(
        "student.submitAssignment",
        {"studentId": "7", "fileUrl": "s3://submissions/7/essay.pdf", "classId": "B2"},
    )

    first = lambda_handler(event, lambda_context)
    again = lambda_handler(event, lambda_context)

    assert (first["classActivity"], again["classActivity"]) == ("written", "duplicate")
    assert items(class_activity_table) == [
        {
            "classId": "B2",
            "activityId": f"submission#{event['id']}",
            "activityType": "submission",
            "eventId": event["id"],
            "createdAt": DEFAULT_EPOCH,
            "source": "api.assignment",
            "studentId": "7",
        }
    ]
    assert [i["itemId"] for i in items(interactions_table)] == ["B2"]


def test_announcement_to_a_class_writes_class_activity_and_no_interaction(
    interactions_table: Any, class_activity_table: Any, lambda_context: LambdaContext
) -> None:
    event = seed_event(
        "teacher.sendAnnouncement", {"teacherId": "T1", "content": "Quiz Friday", "classId": "A1"}
    )

    result = lambda_handler(event, lambda_context)
    again = lambda_handler(event, lambda_context)

    assert result == {
        "eventId": event["id"],
        "classActivity": "written",
        "written": True,
        "duplicate": False,
    }
    assert (again["written"], again["duplicate"]) == (False, True)
    [row] = items(class_activity_table)
    assert row["activityId"] == f"announcement#{event['id']}"
    assert (row["classId"], row["activityType"], row["teacherId"]) == (
        "A1",
        "announcement",
        "T1",
    )
    assert "content" not in row  # the text goes to the notifier, not the activity log
    assert items(interactions_table) == []


def test_events_without_a_class_write_no_class_activity(
    interactions_table: Any, class_activity_table: Any, lambda_context: LambdaContext
) -> None:
    school_wide = lambda_handler(seed_event("teacher.sendAnnouncement"), lambda_context)
    unclassed = lambda_handler(seed_event("student.submitAssignment"), lambda_context)

    assert school_wide["classActivity"] == unclassed["classActivity"] == "no-class"
    assert school_wide["written"] is False
    assert items(class_activity_table) == []
    assert len(items(interactions_table)) == 1  # the submission is still an interaction
