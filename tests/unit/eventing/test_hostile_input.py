"""Hostile and unlucky input (issue 16): the table of crafted requests and events, each with
its expected outcome, then a bounded hypothesis suite over every eventing handler.

A 4xx must name the field and publish nothing; an EventBridge target must end in one of its
declared errors (EventBridge retries it, then dead-letters it) or a handled result, never an
uncaught RecursionError/ValueError/KeyError/UnicodeEncodeError.
"""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iackit.lambda_events import LambdaContext
from ingestion.app import lambda_handler as ingestion_handler
from ingestion.ingest import UnsupportedEventError as IngestUnsupportedError
from notifier.notify import NotifierError, Settings, notify
from notifier.rendering import TemplateError
from publisher.app import lambda_handler as publisher_handler
from student_platform.catalog import EventValidationError
from student_platform.http import MAX_BODY_BYTES, MAX_INT_DIGITS, MAX_JSON_DEPTH
from tests.unit.eventing.conftest import BusSink
from tests.unit.eventing.factories import publish_request, seed_event

pytestmark = pytest.mark.unit

ENROLLED = "student.enrolled"
VALID = {"studentId": "S1", "classId": "A1"}


def raw_request(raw: str, detail_type: str = ENROLLED) -> dict[str, Any]:
    return publish_request(detail_type, None, raw=raw)


def path_request(detail_type: str) -> dict[str, Any]:
    return publish_request(detail_type, VALID)


def b64_request(data: bytes) -> dict[str, Any]:
    request = publish_request(ENROLLED, None, raw=base64.b64encode(data).decode("ascii"))
    request["isBase64Encoded"] = True
    return request


DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 40_000 + "1" + "}" * 40_000  # 240 KB, under the size limit
HUGE_INT = '{"studentId": "S1", "classId": "A1", "n": ' + "9" * 5_000 + "}"

# (name, request, (status, field, message fragment))
PUBLISHER_TABLE: list[tuple[str, dict[str, Any], tuple[int, str, str]]] = [
    ("json nested 100,000 deep (arrays)", raw_request(DEEP), (400, "body", "nested deeper")),
    ("json objects nested 40,000 deep", raw_request(DEEP_OBJECT), (400, "body", "nested deeper")),
    (
        f"json nested {MAX_JSON_DEPTH + 1} deep",
        raw_request("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)),
        (400, "body", "nested deeper"),
    ),
    (
        "brackets inside strings do not count",
        raw_request(json.dumps({**VALID, "x": "[" * 5000})),
        (400, "detail.x", "is not allowed"),
    ),
    ("5,000-digit integer", raw_request(HUGE_INT), (400, "body", "more than 18 digits")),
    ("5,000-digit negative integer", raw_request("-" + "1" * 5000), (400, "body", "digits")),
    (
        f"{MAX_INT_DIGITS}-digit integer as studentId",
        raw_request('{"studentId": ' + "1" * 18 + ', "classId": "A1"}'),
        (400, "detail.studentId", "must be string"),
    ),
    (
        "float overflow 1e400",
        raw_request('{"studentId": "S1", "classId": "A1", "x": 1e400}'),
        (400, "body", "out of range"),
    ),
    ("NaN", raw_request('{"studentId": NaN, "classId": "A1"}'), (400, "body", "NaN")),
    ("-Infinity", raw_request("-Infinity"), (400, "body", "Infinity")),
    (
        "lone surrogate in a string",
        raw_request('{"studentId": "S1", "classId": "\\ud800"}'),
        (400, "body", "not valid Unicode"),
    ),
    ("lone surrogate in a key", raw_request('{"\\udfff": 1}'), (400, "body", "not valid Unicode")),
    (
        "studentId 'S1\\n'",
        raw_request(json.dumps({"studentId": "S1\n", "classId": "A1"})),
        (400, "detail.studentId", "must match pattern"),
    ),
    (
        "classId 'A1\\n'",
        raw_request(json.dumps({"studentId": "S1", "classId": "A1\n"})),
        (400, "detail.classId", "must match pattern"),
    ),
    (
        "teacherId with a trailing newline",
        publish_request("teacher.sendAnnouncement", {"teacherId": "T1\n", "content": "x"}),
        (400, "detail.teacherId", "must match pattern"),
    ),
    (
        "studentId with Arabic-Indic digits",
        raw_request(json.dumps({"studentId": "١٢", "classId": "A1"})),
        (400, "detail.studentId", "must match pattern"),
    ),
    (
        "email with a trailing newline",
        raw_request(json.dumps({**VALID, "email": "a@example.com\n"})),
        (400, "detail.email", "must be email"),
    ),
    (
        "body over 256 KiB",
        raw_request(json.dumps({**VALID, "pad": "x" * MAX_BODY_BYTES})),
        (413, "body", "larger than"),
    ),
    (
        "base64 body over 256 KiB",
        b64_request(b" " * (MAX_BODY_BYTES + 1)),
        (413, "body", "larger than"),
    ),
    ("base64 body with invalid UTF-8", b64_request(b"\xff\xfe{}"), (400, "body", "base64/UTF-8")),
    (
        "invalid base64 alphabet",
        {**raw_request("%%%"), "isBase64Encoded": True},
        (400, "body", "base64"),
    ),
    ("NUL bytes", raw_request("\x00\x00"), (400, "body", "not valid JSON")),
    ("body JSON null", raw_request("null"), (400, "detail", "must be object")),
    ("body JSON number", raw_request("12"), (400, "detail", "must be object")),
    ("batch of 11", raw_request(json.dumps([VALID] * 11)), (400, "body", "1 to 10")),
    (
        "type ranking.requestUpdate (retraining)",
        publish_request("ranking.requestUpdate", {"trigger": "manual"}),
        (403, "type", "internal"),
    ),
    ("type ranking.updated", path_request("ranking.updated"), (403, "type", "internal")),
    (
        "type with a trailing newline",
        path_request("student.enrolled\n"),
        (400, "type", "unknown event type"),
    ),
    ("type '__proto__'", path_request("__proto__"), (400, "type", "unknown event type")),
    ("no pathParameters", publish_request(None, VALID), (400, "type", "is required")),
    (
        "pathParameters not an object",
        {**path_request(ENROLLED), "pathParameters": ["x"]},
        (400, "type", "is required"),
    ),
    (
        "body not a string",
        {**path_request(ENROLLED), "body": {"studentId": "S1"}},
        (400, "body", "must be text"),
    ),
]


@pytest.mark.parametrize(
    ("request_event", "expected"),
    [pytest.param(request, expected, id=name) for name, request, expected in PUBLISHER_TABLE],
)
def test_publisher_adversarial_table(
    request_event: dict[str, Any],
    expected: tuple[int, str, str],
    bus: BusSink,
    lambda_context: LambdaContext,
) -> None:
    status, field, fragment = expected

    response = publisher_handler(request_event, lambda_context)

    body = json.loads(response["body"])
    assert (response["statusCode"], body.get("field")) == (status, field), body
    assert fragment in body["error"]
    assert bus.received() == []


# --- EventBridge targets: crafted events end in a declared error, never a crash -------------

NOTIFIER_ERRORS = (EventValidationError, NotifierError, TemplateError)
INGESTION_ERRORS = (EventValidationError, IngestUnsupportedError)

CRAFTED_EVENTS: list[tuple[str, dict[str, Any]]] = [
    ("studentId 'S1\\n'", seed_event(ENROLLED, {"studentId": "S1\n", "classId": "A1"})),
    (
        "detail nested 200 deep",
        seed_event(
            ENROLLED, {"studentId": "S1", "classId": "A1", "x": json.loads("[" * 200 + "]" * 200)}
        ),
    ),
    ("huge integer studentId", seed_event(ENROLLED, {"studentId": 10**100, "classId": "A1"})),
    ("detail a list", {**seed_event(ENROLLED), "detail": [1, 2]}),
    ("detail-type unknown", {**seed_event(ENROLLED), "detail-type": "student.deleted"}),
    ("detail-type not a string", {**seed_event(ENROLLED), "detail-type": ["student.enrolled"]}),
    ("source spoofed", seed_event(ENROLLED, VALID, source="api.teacher")),
    ("time not a date", seed_event(ENROLLED, VALID, time="yesterday")),
    ("id empty", {**seed_event(ENROLLED, VALID), "id": ""}),
    ("event not an object", [seed_event(ENROLLED, VALID)]),  # type: ignore[list-item]
]


@pytest.mark.parametrize("event", [pytest.param(event, id=name) for name, event in CRAFTED_EVENTS])
def test_notifier_refuses_crafted_events_with_a_declared_error(
    event: dict[str, Any], sent_emails: Any
) -> None:
    with pytest.raises(NOTIFIER_ERRORS):
        notify(event, ses=None, students_table=None, settings=Settings(sender="a@example.com"))
    assert sent_emails() == []


@pytest.mark.parametrize("event", [pytest.param(event, id=name) for name, event in CRAFTED_EVENTS])
def test_ingestion_refuses_crafted_events_with_a_declared_error(
    event: dict[str, Any], interactions_table: Any, lambda_context: LambdaContext
) -> None:
    with pytest.raises(INGESTION_ERRORS):
        ingestion_handler(event, lambda_context)
    assert interactions_table.scan()["Items"] == []


class RecordingSes:
    """An SES double for generated events that happen to be valid (their email is sent)."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send_email(self, **kwargs: Any) -> dict[str, str]:
        self.sent.append(kwargs)
        return {"MessageId": f"m-{len(self.sent)}"}


# --- property-based: generated bodies, headers and path parameters --------------------------

FAST = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
enrolled_details = st.fixed_dictionaries(
    {
        "studentId": st.text(max_size=70),
        "classId": st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    },
    optional={"email": st.text(max_size=30), "language": st.sampled_from(["vi", "en", "fr", ""])},
)
texts = st.text(max_size=200) | st.binary(max_size=100).map(lambda b: b.decode("latin-1"))
path_types = st.sampled_from(
    ["student.enrolled", "teacher.sendAnnouncement", "ranking.updated"]
) | st.text(max_size=30)
headers = st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=40), max_size=5)


@st.composite
def publisher_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A POST /events/{type} request: generated type, body (JSON, raw text or base64), headers."""
    body = draw(json_values | enrolled_details | st.lists(enrolled_details, max_size=12))
    request = publish_request(
        draw(path_types), body, raw=draw(st.none() | texts), base64_body=draw(st.booleans())
    )
    request["headers"].update(draw(headers))
    return request


@FAST
@given(request=publisher_requests())
def test_publisher_never_answers_5xx(
    request: dict[str, Any], bus: BusSink, lambda_context: LambdaContext
) -> None:
    response = publisher_handler(request, lambda_context)

    answer = json.loads(response["body"])
    assert response["statusCode"] == 202 or 400 <= response["statusCode"] < 500, answer
    if response["statusCode"] != 202:
        assert answer["error"]
        assert answer["field"]


@FAST
@given(detail_type=path_types, detail=json_values | enrolled_details, event_id=st.text(max_size=10))
def test_eventbridge_targets_end_in_a_declared_outcome(
    detail_type: str,
    detail: Any,
    event_id: str,
    interactions_table: Any,
    lambda_context: LambdaContext,
) -> None:
    event = {**seed_event(ENROLLED), "detail-type": detail_type, "detail": detail, "id": event_id}
    settings_ = Settings(sender="a@example.com")
    with contextlib.suppress(*NOTIFIER_ERRORS):
        notify(event, ses=RecordingSes(), students_table=None, settings=settings_)
    with contextlib.suppress(*INGESTION_ERRORS):
        ingestion_handler(event, lambda_context)
