"""Resolve recipients, render every message, then send them with SES v2.

All-or-nothing up to the send: recipients are resolved and every message is rendered
before the first ``SendEmail``, so a malformed event, an unknown student or a recipient
without an email address raises with nothing sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from boto3.dynamodb.conditions import Key

from notifier.rendering import RenderedMessage, load_template, pick_language, render
from student_platform.catalog import is_email, validate_event

ENROLLED: Final = "student.enrolled"
ANNOUNCEMENT: Final = "teacher.sendAnnouncement"
SUPPORTED_TYPES: Final = frozenset({ENROLLED, ANNOUNCEMENT})
DEFAULT_CLASS_INDEX: Final = "classId-index"


class NotifierError(Exception):
    """Base class: the event cannot be notified; nothing was sent."""


class ConfigurationError(NotifierError):
    pass


class UnsupportedEventError(NotifierError):
    pass


class UnknownStudentError(NotifierError):
    pass


class RecipientError(NotifierError):
    """A recipient exists but cannot be emailed (no or invalid address)."""


@dataclass(frozen=True)
class Settings:
    sender: str
    students_table: str | None = None
    class_index: str = DEFAULT_CLASS_INDEX
    configuration_set: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        sender = environ.get("SENDER_EMAIL", "").strip()
        if not sender:
            raise ConfigurationError("SENDER_EMAIL is not set")
        return cls(
            sender=sender,
            students_table=environ.get("STUDENTS_TABLE_NAME", "").strip() or None,
            class_index=environ.get("STUDENTS_CLASS_INDEX", "").strip() or DEFAULT_CLASS_INDEX,
            configuration_set=environ.get("SES_CONFIGURATION_SET", "").strip() or None,
        )


@dataclass(frozen=True)
class Recipient:
    student_id: str
    email: str
    name: str = ""
    language: str = "vi"


@dataclass(frozen=True)
class OutgoingEmail:
    recipient: Recipient
    message: RenderedMessage


def _recipient(item: Mapping[str, Any], fallback_language: object = None) -> Recipient:
    student_id = str(item.get("studentId", "?"))
    email = item.get("email")
    if not isinstance(email, str) or not is_email(email):
        raise RecipientError(f"student {student_id} has no valid email address")
    return Recipient(
        student_id=student_id,
        email=email,
        name=str(item.get("name") or ""),
        language=pick_language(item.get("language") or fallback_language),
    )


def _pages(method: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Items of a paginated Table.query/scan."""
    while True:
        page = method(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def enrolled_recipient(detail: Mapping[str, Any], table: Any | None) -> Recipient:
    """The Students table is authoritative when configured; else ``detail.email``."""
    student_id = detail["studentId"]
    if table is None:
        if "email" not in detail:
            raise RecipientError(
                f"student {student_id}: detail.email is required when no Students table is set"
            )
        return _recipient(detail, detail.get("language"))
    item = table.get_item(Key={"studentId": student_id}).get("Item")
    if item is None:
        raise UnknownStudentError(f"student {student_id} not found in table {table.name}")
    return _recipient(item)


def class_recipients(
    detail: Mapping[str, Any], table: Any | None, class_index: str
) -> list[Recipient]:
    """Students of ``detail.classId`` (GSI query), or every student when it is absent."""
    if table is None:
        raise ConfigurationError("announcements need STUDENTS_TABLE_NAME")
    class_id = detail.get("classId")
    if class_id is None:
        items = _pages(table.scan)
    else:
        items = _pages(
            table.query, IndexName=class_index, KeyConditionExpression=Key("classId").eq(class_id)
        )
    return [_recipient(item) for item in items]


def resolve_recipients(
    detail_type: str, detail: Mapping[str, Any], table: Any | None, class_index: str
) -> list[Recipient]:
    if detail_type == ENROLLED:
        return [enrolled_recipient(detail, table)]
    return class_recipients(detail, table, class_index)


def build_emails(
    detail_type: str, detail: Mapping[str, Any], recipients: Sequence[Recipient]
) -> list[OutgoingEmail]:
    """Render every message (raises TemplateError before anything is sent)."""
    return [
        OutgoingEmail(
            recipient,
            render(
                load_template(recipient.language, detail_type),
                {**detail, "name": recipient.name, "studentId": recipient.student_id},
            ),
        )
        for recipient in recipients
    ]


def send_email(ses: Any, email: OutgoingEmail, settings: Settings) -> str:
    kwargs: dict[str, Any] = {
        "FromEmailAddress": settings.sender,
        "Destination": {"ToAddresses": [email.recipient.email]},
        "Content": {
            "Simple": {
                "Subject": {"Data": email.message.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": email.message.body, "Charset": "UTF-8"}},
            }
        },
    }
    if settings.configuration_set:
        kwargs["ConfigurationSetName"] = settings.configuration_set
    return str(ses.send_email(**kwargs)["MessageId"])


def notify(
    event: Mapping[str, Any], *, ses: Any, students_table: Any | None, settings: Settings
) -> dict[str, Any]:
    """Email the recipients of one EventBridge event; returns ids (no addresses: no PII).

    ``ses`` is a ``sesv2`` client, ``students_table`` a boto3 DynamoDB Table or None.
    Raises EventValidationError, NotifierError or TemplateError before sending anything;
    an SES error mid-way (after some messages went out) propagates as ClientError.
    """
    validated = validate_event(event)
    detail_type = validated["detail-type"]
    if detail_type not in SUPPORTED_TYPES:
        raise UnsupportedEventError(f"notifier does not handle {detail_type!r}")
    detail = validated["detail"]
    recipients = resolve_recipients(detail_type, detail, students_table, settings.class_index)
    emails = build_emails(detail_type, detail, recipients)
    message_ids = [send_email(ses, email, settings) for email in emails]
    return {
        "eventId": validated.get("id"),
        "detailType": detail_type,
        "sent": len(message_ids),
        "messageIds": message_ids,
    }
