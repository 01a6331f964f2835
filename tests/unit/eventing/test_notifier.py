"""Notifier Lambda against emulated SES v2 and DynamoDB: what the emulator says was sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from iackit.lambda_events import LambdaContext
from notifier.app import lambda_handler
from notifier.notify import (
    ConfigurationError,
    RecipientError,
    Settings,
    UnknownStudentError,
    UnsupportedEventError,
    notify,
)
from notifier.rendering import LANGUAGES, Template, TemplateError, load_template, render
from student_platform.catalog import EventValidationError
from tests.unit.eventing.conftest import SENDER
from tests.unit.eventing.factories import seed_event

pytestmark = pytest.mark.unit

Sent = Callable[[], list[dict[str, Any]]]

AN = {"studentId": "1", "email": "an.nguyen@example.vn", "name": "An", "language": "vi"}
BINH = {"studentId": "2", "email": "binh.tran@example.vn", "name": "Bình", "classId": "A1"}
CHI = {"studentId": "3", "email": "chi.le@example.com", "name": "Chi", "language": "en"}


def put_students(table: Any, *items: dict[str, Any]) -> None:
    for item in items:
        table.put_item(Item=item)


def enrolled(student_id: str = "1", class_id: str = "A1", **kw: Any) -> dict[str, Any]:
    return seed_event("student.enrolled", {"studentId": student_id, "classId": class_id}, **kw)


def announcement(content: str, class_id: str | None = "A1", **kw: Any) -> dict[str, Any]:
    detail: dict[str, Any] = {"teacherId": "T1", "content": content}
    if class_id is not None:
        detail["classId"] = class_id
    return seed_event("teacher.sendAnnouncement", detail, **kw)


@pytest.fixture
def configured(
    students_table: Any, idempotency_table: Any, sender: str
) -> Any:  # every notifier resource, sender verified
    return students_table


def test_enrolled_sends_exactly_one_vietnamese_email(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, {**AN, "classId": "A1"})

    result = lambda_handler(enrolled("1", "A1"), lambda_context)

    assert result["sent"] == 1
    [mail] = sent_emails()
    assert mail["subject"] == "Xác nhận đăng ký lớp"
    assert mail["body"] == "Bạn vừa đăng ký lớp A1."
    assert mail["destinations"]["ToAddresses"] == [AN["email"]]
    assert mail["source"] == SENDER
    assert result["messageIds"] == [mail["id"]]


def test_student_language_selects_the_english_template(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, CHI)

    lambda_handler(enrolled("3", "B2"), lambda_context)

    [mail] = sent_emails()
    assert mail["subject"] == "Class enrollment confirmation"
    assert mail["body"] == "You have enrolled in class B2."


def test_same_event_twice_sends_one_email(
    configured: Any, idempotency_table: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, AN)
    event = enrolled("1", "A1")

    first = lambda_handler(event, lambda_context)
    second = lambda_handler(event, lambda_context)

    assert len(sent_emails()) == 1
    assert second == first
    records = {item["id"]: item["status"] for item in idempotency_table.scan()["Items"]}
    assert sorted(records.values()) == ["COMPLETED", "SENT"]  # the event; its one recipient
    assert records[f"delivery#{event['id']}#1"] == "SENT"


def test_distinct_events_with_equal_detail_are_both_sent(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, AN)

    lambda_handler(enrolled("1", "A1"), lambda_context)
    lambda_handler(enrolled("1", "A1"), lambda_context)

    assert len(sent_emails()) == 2


def test_unverified_sender_sends_nothing_and_a_retry_can_succeed(
    students_table: Any,
    idempotency_table: Any,
    sent_emails: Sent,
    lambda_context: LambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put_students(students_table, AN)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)  # never verified
    event = enrolled("1", "A1")

    with pytest.raises(ClientError) as caught:
        lambda_handler(event, lambda_context)

    assert caught.value.response["Error"]["Code"] == "MessageRejected"
    assert sent_emails() == []
    # The failed attempt left no idempotency record behind: EventBridge's retry gets through.
    assert idempotency_table.scan()["Items"] == []
    boto3.client("ses").verify_email_identity(EmailAddress=SENDER)
    lambda_handler(event, lambda_context)
    assert len(sent_emails()) == 1


def test_unknown_student_raises_and_sends_nothing(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, AN)

    with pytest.raises(UnknownStudentError, match="student 404 not found"):
        lambda_handler(enrolled("404", "A1"), lambda_context)

    assert sent_emails() == []


def test_table_is_authoritative_over_detail_email(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, AN)
    event = seed_event(
        "student.enrolled", {"studentId": "1", "classId": "A1", "email": "attacker@example.com"}
    )

    lambda_handler(event, lambda_context)

    [mail] = sent_emails()
    assert mail["destinations"]["ToAddresses"] == [AN["email"]]


def test_without_students_table_detail_email_is_used(
    idempotency_table: Any,
    sender: str,
    sent_emails: Sent,
    lambda_context: LambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDENTS_TABLE_NAME", raising=False)
    event = seed_event(
        "student.enrolled",
        {"studentId": "9", "classId": "C3", "email": "dung.pham@example.vn", "language": "en"},
    )

    lambda_handler(event, lambda_context)

    [mail] = sent_emails()
    assert mail["destinations"]["ToAddresses"] == ["dung.pham@example.vn"]
    assert mail["body"] == "You have enrolled in class C3."


def test_without_students_table_or_detail_email_nothing_is_sent(
    idempotency_table: Any,
    sender: str,
    sent_emails: Sent,
    lambda_context: LambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDENTS_TABLE_NAME", raising=False)

    with pytest.raises(RecipientError, match=r"detail\.email is required"):
        lambda_handler(enrolled("1", "A1"), lambda_context)

    assert sent_emails() == []


def test_announcement_reaches_every_student_of_the_class_only(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(
        configured,
        {**AN, "classId": "A1"},
        BINH,
        {**CHI, "classId": "A1"},
        {"studentId": "4", "email": "other@example.vn", "classId": "B2"},
    )
    content = "Thứ Sáu kiểm tra giữa kỳ."

    result = lambda_handler(announcement(content, "A1"), lambda_context)

    mails = {m["destinations"]["ToAddresses"][0]: m for m in sent_emails()}
    assert set(mails) == {AN["email"], BINH["email"], CHI["email"]}
    assert result["sent"] == 3
    assert all(m["body"] == content for m in mails.values())
    assert mails[AN["email"]]["subject"] == "Thông báo từ giáo viên T1"
    assert mails[BINH["email"]]["subject"] == "Thông báo từ giáo viên T1"  # no language: vi
    assert mails[CHI["email"]]["subject"] == "Announcement from teacher T1"


def test_a_bad_row_is_skipped_and_reported_never_blocking_the_class(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(
        configured,
        {**AN, "classId": "A1"},
        BINH,
        {"studentId": "5", "name": "Em", "classId": "A1"},  # no email address
        {"studentId": "6", "email": "not-an-address\n", "classId": "A1"},
    )

    result = lambda_handler(announcement("Nghỉ học.", "A1"), lambda_context)

    recipients = sorted(m["destinations"]["ToAddresses"][0] for m in sent_emails())
    assert recipients == sorted([AN["email"], BINH["email"]])
    assert result["sent"] == 2
    assert result["skipped"] == [
        {"studentId": "5", "reason": "student 5 has no valid email address"},
        {"studentId": "6", "reason": "student 6 has no valid email address"},
    ]


def test_announcement_without_class_goes_to_every_student(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, AN, BINH, CHI)

    lambda_handler(announcement("Chào cả trường!", class_id=None), lambda_context)

    recipients = sorted(m["destinations"]["ToAddresses"][0] for m in sent_emails())
    assert recipients == sorted([AN["email"], BINH["email"], CHI["email"]])


def test_announcement_to_an_empty_class_sends_nothing(
    configured: Any, sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    put_students(configured, AN)

    assert lambda_handler(announcement("Xin chào.", "Z9"), lambda_context)["sent"] == 0
    assert sent_emails() == []


@pytest.mark.parametrize(
    ("event", "error"),
    [
        (seed_event("student.enrolled", {"studentId": "1"}), EventValidationError),
        (
            seed_event("student.enrolled", {"studentId": "1", "classId": 7}),
            EventValidationError,
        ),
        (seed_event("teacher.sendAnnouncement", {"teacherId": "T1"}), EventValidationError),
        (seed_event("student.enrolled", source="api.teacher"), EventValidationError),
        (seed_event("student.deleted", {"studentId": "1"}), EventValidationError),
        (seed_event("student.submitAssignment"), UnsupportedEventError),
    ],
)
def test_malformed_or_unsupported_events_raise_and_send_nothing(
    event: dict[str, Any],
    error: type[Exception],
    configured: Any,
    sent_emails: Sent,
    lambda_context: LambdaContext,
) -> None:
    put_students(configured, {**AN, "classId": "A1"})

    with pytest.raises(error):
        lambda_handler(event, lambda_context)

    assert sent_emails() == []


def test_missing_idempotency_table_setting_sends_nothing(
    students_table: Any,
    sender: str,
    sent_emails: Sent,
    lambda_context: LambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put_students(students_table, AN)
    monkeypatch.delenv("IDEMPOTENCY_TABLE_NAME", raising=False)

    with pytest.raises(ConfigurationError, match="IDEMPOTENCY_TABLE_NAME"):
        lambda_handler(enrolled("1", "A1"), lambda_context)

    assert sent_emails() == []


def test_notify_direct_call_passes_the_configuration_set(
    students_table: Any, sender: str, sent_emails: Sent
) -> None:
    put_students(students_table, AN)
    ses = boto3.client("sesv2")
    requests: list[dict[str, Any]] = []
    ses.meta.events.register(
        "provide-client-params.sesv2.SendEmail", lambda params, **_: requests.append(params)
    )
    settings = Settings(sender=sender, configuration_set="student-platform")

    result = notify(enrolled("1", "A1"), ses=ses, students_table=students_table, settings=settings)

    assert [r["ConfigurationSetName"] for r in requests] == ["student-platform"]
    assert len(sent_emails()) == 1
    assert result["sent"] == 1
    assert AN["email"] not in str(result)  # no addresses stored in the idempotency record


def test_settings_from_env_require_a_sender() -> None:
    with pytest.raises(ConfigurationError, match="SENDER_EMAIL"):
        Settings.from_env({})
    settings = Settings.from_env({"SENDER_EMAIL": "a@example.com", "STUDENTS_TABLE_NAME": ""})
    assert settings.students_table is None
    assert settings.class_index == "classId-index"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("detail_type", ["student.enrolled", "teacher.sendAnnouncement"])
def test_every_template_exists_and_renders_the_seed_detail(language: str, detail_type: str) -> None:
    template = load_template(language, detail_type)
    detail = seed_event(detail_type)["detail"]
    message = render(template, {**detail, "classId": "A1", "name": "An", "studentId": "1"})
    assert message.subject
    assert message.body
    assert "{" not in message.subject + message.body


def test_template_needing_an_absent_value_raises() -> None:
    with pytest.raises(TemplateError, match="'classId'"):
        render(Template(subject="Lớp {classId}", body="x"), {"studentId": "1"})
