"""The event catalog: schemas are valid, complete, and say which field is wrong."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from student_platform.catalog import (
    API_EVENT_TYPES,
    CATALOG_DIR,
    EVENT_TYPES,
    EventValidationError,
    load_schema,
    validate_detail,
    validate_event,
)
from tests.unit.eventing.factories import SEED_EVENTS, seed_event

pytestmark = pytest.mark.unit

SCHEMA_FILES = sorted(CATALOG_DIR.glob("*.json"))


def test_catalog_has_one_schema_per_event_type_and_nothing_else() -> None:
    assert {path.name.removesuffix(".json") for path in SCHEMA_FILES} == set(EVENT_TYPES)
    assert set(SEED_EVENTS) == set(EVENT_TYPES)
    assert set(API_EVENT_TYPES) < set(EVENT_TYPES)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_is_a_valid_draft7_schema(path: Any) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    assert validator_class is jsonschema.Draft7Validator
    validator_class.check_schema(schema)


@pytest.mark.parametrize("detail_type", sorted(EVENT_TYPES))
def test_schema_pins_source_and_detail_type_and_closes_detail(detail_type: str) -> None:
    schema = load_schema(detail_type)
    assert schema["properties"]["source"] == {"const": EVENT_TYPES[detail_type]}
    assert schema["properties"]["detail-type"] == {"const": detail_type}
    assert schema["properties"]["detail"]["additionalProperties"] is False
    assert {"source", "detail-type", "detail"} <= set(schema["required"])


@pytest.mark.parametrize("detail_type", sorted(SEED_EVENTS))
def test_seed_examples_validate(detail_type: str) -> None:
    source, detail = SEED_EVENTS[detail_type]
    assert EVENT_TYPES[detail_type] == source
    assert validate_detail(detail_type, detail) == detail
    event = seed_event(detail_type)
    assert validate_event(event) == event
    # The reference implementation agrees with the fast one.
    jsonschema.Draft7Validator(load_schema(detail_type)).validate(event)


@pytest.mark.parametrize("detail_type", sorted(EVENT_TYPES))
def test_schema_examples_validate_with_both_engines(detail_type: str) -> None:
    schema = load_schema(detail_type)
    assert schema["examples"], "every schema documents at least one example"
    for example in schema["examples"]:
        jsonschema.Draft7Validator(schema).validate(example)
        validate_event(example)


@pytest.mark.parametrize(
    ("detail_type", "detail", "field", "message"),
    [
        ("student.enrolled", {"studentId": "1"}, "detail.classId", "detail.classId is required"),
        ("student.enrolled", {"studentId": 1, "classId": "A1"}, "detail.studentId", "must be"),
        ("student.enrolled", {"studentId": "1 OR 1=1", "classId": "A1"}, "detail.studentId",
         "must match pattern"),
        ("student.enrolled", {"studentId": "x" * 65, "classId": "A1"}, "detail.studentId",
         "must match pattern"),
        ("student.enrolled", {"studentId": "1", "classId": "A1", "admin": True}, "detail.admin",
         "detail.admin is not allowed"),
        ("student.enrolled", {"studentId": "1", "classId": "A1", "email": "not an email"},
         "detail.email", "must be email"),
        ("student.enrolled", {"studentId": "1", "classId": "A1", "language": "fr"},
         "detail.language", "must be one of"),
        ("student.enrolled", ["not", "an", "object"], "detail", "detail must be object"),
        ("student.submitAssignment", {"studentId": "1", "fileUrl": "http://insecure/x"},
         "detail.fileUrl", "must match pattern"),
        ("student.submitAssignment", {"studentId": "1", "fileUrl": "file:///etc/passwd"},
         "detail.fileUrl", "must match pattern"),
        ("teacher.sendAnnouncement", {"teacherId": "T1", "content": ""}, "detail.content",
         "must be longer"),
        ("teacher.sendAnnouncement", {"teacherId": "T1", "content": "   "}, "detail.content",
         "must match pattern"),
        ("teacher.sendAnnouncement", {"teacherId": "T1", "content": "x" * 5001},
         "detail.content", "must be shorter"),
        ("ranking.requestUpdate", {"trigger": "hourly"}, "detail.trigger", "must be one of"),
        ("ranking.updated", {"mode": "campaign", "location": "s3://bucket/x"},
         "detail.location", "must match pattern"),
        ("ranking.updated", {"location": "s3://bucket/x"}, "detail.mode",
         "detail.mode is required"),
    ],
)  # fmt: skip
def test_violations_name_the_field(detail_type: str, detail: Any, field: str, message: str) -> None:
    with pytest.raises(EventValidationError) as caught:
        validate_detail(detail_type, detail)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert field in str(caught.value)
    # The reference implementation rejects it too (schemas do not depend on engine quirks).
    event = {"source": EVENT_TYPES[detail_type], "detail-type": detail_type, "detail": detail}
    reference = jsonschema.Draft7Validator(
        load_schema(detail_type), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert not reference.is_valid(event)


def test_trailing_newline_does_not_slip_through_an_anchored_pattern() -> None:
    # Python's `$` also matches before a final newline; the catalog engine anchors at \Z.
    with pytest.raises(EventValidationError) as caught:
        validate_detail("student.enrolled", {"studentId": "1\n", "classId": "A1"})
    assert caught.value.field == "detail.studentId"


def test_valid_variants_are_accepted() -> None:
    validate_detail(
        "student.enrolled",
        {"studentId": "s_1-A", "classId": "A1", "email": "an.nguyen@example.vn", "language": "en"},
    )
    validate_detail("student.submitAssignment", {"studentId": "1", "fileUrl": "s3://bkt/a/b.pdf"})
    validate_detail("teacher.sendAnnouncement", {"teacherId": "T1", "content": "x" * 5000})
    validate_detail("ranking.updated", {"mode": "batch", "location": "s3://ranking-out/run/"})


@pytest.mark.parametrize("detail_type", ["student.deleted", "", None, 42])
def test_unknown_detail_type_is_rejected(detail_type: Any) -> None:
    with pytest.raises(EventValidationError, match="unknown event type") as caught:
        validate_detail(detail_type, {})
    assert caught.value.field == "detail-type"
    with pytest.raises(EventValidationError, match="unknown event type"):
        load_schema(detail_type)


def test_received_event_with_wrong_source_is_rejected() -> None:
    event = seed_event("student.enrolled", source="api.teacher")
    with pytest.raises(EventValidationError) as caught:
        validate_event(event)
    assert caught.value.field == "source"


def test_received_event_with_bad_time_is_rejected() -> None:
    event = seed_event("student.enrolled", time="yesterday")
    with pytest.raises(EventValidationError) as caught:
        validate_event(event)
    assert caught.value.field == "time"


def test_load_schema_returns_a_copy() -> None:
    load_schema("student.enrolled")["properties"].clear()
    assert "detail" in load_schema("student.enrolled")["properties"]
