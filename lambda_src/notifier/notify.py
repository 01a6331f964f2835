"""Resolve recipients, render every message, then send them with SES v2, once per recipient.

Recipients are resolved and every message is rendered before the first ``SendEmail``, so a
malformed event, an unknown student or a template error raises with nothing sent. A student
row of a class that cannot be emailed (no or invalid address) is skipped and reported
(``skipped``), never blocking the others.

Exactly once per (event, recipient): with a :class:`DeliveryLedger`, each recipient is claimed
with a conditional write before its ``SendEmail`` and marked sent after it; a retry of the
event (SES throttling, a timeout, a crash) skips the recipients already sent. A definite SES
error (an error response, or no connection) releases the claim, so the retry sends it; an
ambiguous one (the request went out, no answer: a read timeout) keeps the claim, so that
recipient is reported ``uncertain`` and not emailed twice. Replays of archived events
(``replay-name`` set by EventBridge) send nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from boto3.dynamodb.conditions import Key
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
)

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
    send_interval: float = 0.0  # seconds between two SendEmail calls of one invocation

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        sender = environ.get("SENDER_EMAIL", "").strip()
        if not sender:
            raise ConfigurationError("SENDER_EMAIL is not set")
        interval = environ.get("SES_SEND_INTERVAL_MS", "").strip() or "0"
        if not interval.isascii() or not interval.isdigit():
            raise ConfigurationError(f"SES_SEND_INTERVAL_MS must be whole milliseconds: {interval}")
        return cls(
            sender=sender,
            students_table=environ.get("STUDENTS_TABLE_NAME", "").strip() or None,
            class_index=environ.get("STUDENTS_CLASS_INDEX", "").strip() or DEFAULT_CLASS_INDEX,
            configuration_set=environ.get("SES_CONFIGURATION_SET", "").strip() or None,
            send_interval=int(interval) / 1000,
        )


@dataclass
class Pacer:
    """At most one call per ``interval`` seconds: this invocation's share of the SES sending
    rate (the module sets ``SES_SEND_INTERVAL_MS`` = concurrency cap / SES max send rate)."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = None

    def wait(self) -> None:
        if self.interval > 0 and self._last is not None:
            delay = self._last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()


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


@dataclass(frozen=True)
class SkippedRecipient:
    student_id: str
    reason: str


@dataclass
class Audience:
    recipients: list[Recipient]
    skipped: list[SkippedRecipient] = field(default_factory=list)


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


def class_recipients(detail: Mapping[str, Any], table: Any | None, class_index: str) -> Audience:
    """Students of ``detail.classId`` (GSI query), or every student when it is absent; rows
    that cannot be emailed are skipped (reported, not raised)."""
    if table is None:
        raise ConfigurationError("announcements need STUDENTS_TABLE_NAME")
    class_id = detail.get("classId")
    if class_id is None:
        items = _pages(table.scan)
    else:
        items = _pages(
            table.query, IndexName=class_index, KeyConditionExpression=Key("classId").eq(class_id)
        )
    audience = Audience([])
    for item in items:
        try:
            audience.recipients.append(_recipient(item))
        except RecipientError as exc:
            audience.skipped.append(SkippedRecipient(str(item.get("studentId", "?")), str(exc)))
    return audience


def resolve_recipients(
    detail_type: str, detail: Mapping[str, Any], table: Any | None, class_index: str
) -> Audience:
    if detail_type == ENROLLED:
        return Audience([enrolled_recipient(detail, table)])
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


CLAIMED: Final = "claimed"
SENT: Final = "sent"
UNCERTAIN: Final = "uncertain"
# Errors after which SES did not receive the request: the claim is released for the retry.
NOT_SENT_ERRORS: Final = (ClientError, EndpointConnectionError, ConnectTimeoutError)


class DeliveryLedger:
    """One item per (event, recipient) in a DynamoDB table keyed ``id`` (the notifier's
    idempotency table): ``status`` SENDING, then SENT; expires by the table's TTL attribute."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.table_name = table_name
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    @staticmethod
    def key(event_id: str, student_id: str) -> dict[str, Any]:
        return {"id": {"S": f"delivery#{event_id}#{student_id}"}}

    def claim(self, event_id: str, student_id: str) -> str:
        """CLAIMED (send it now), SENT (a previous attempt sent it) or UNCERTAIN."""
        item = {
            **self.key(event_id, student_id),
            "status": {"S": "SENDING"},
            "expiration": {"N": str(int(self.clock()) + self.ttl_seconds)},
        }
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(id)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            existing = self.client.get_item(
                TableName=self.table_name, Key=self.key(event_id, student_id), ConsistentRead=True
            ).get("Item", {})
            return SENT if existing.get("status", {}).get("S") == "SENT" else UNCERTAIN
        return CLAIMED

    def sent(self, event_id: str, student_id: str, message_id: str) -> None:
        self.client.update_item(
            TableName=self.table_name,
            Key=self.key(event_id, student_id),
            UpdateExpression="SET #s = :sent, messageId = :m",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":sent": {"S": "SENT"}, ":m": {"S": message_id}},
        )

    def release(self, event_id: str, student_id: str) -> None:
        self.client.delete_item(TableName=self.table_name, Key=self.key(event_id, student_id))


@dataclass
class Outcome:
    message_ids: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)


def deliver(
    emails: Sequence[OutgoingEmail],
    *,
    ses: Any,
    settings: Settings,
    ledger: DeliveryLedger | None,
    event_id: str,
    pacer: Pacer | None = None,
) -> Outcome:
    """Send each email at most once per (event, recipient), paced by ``pacer`` (default: the
    settings' send interval); raises on the first send error (the claim released when SES
    surely did not get it), so the event is retried."""
    outcome = Outcome()
    pacer = pacer or Pacer(settings.send_interval)
    for email in emails:
        student_id = email.recipient.student_id
        state = ledger.claim(event_id, student_id) if ledger else CLAIMED
        if state == SENT:
            outcome.already_sent.append(student_id)
            continue
        if state == UNCERTAIN:
            outcome.uncertain.append(student_id)
            continue
        pacer.wait()
        try:
            message_id = send_email(ses, email, settings)
        except NOT_SENT_ERRORS:
            if ledger:
                ledger.release(event_id, student_id)
            raise
        if ledger:
            ledger.sent(event_id, student_id, message_id)
        outcome.message_ids.append(message_id)
    return outcome


def notify(
    event: Mapping[str, Any],
    *,
    ses: Any,
    students_table: Any | None,
    settings: Settings,
    ledger: DeliveryLedger | None = None,
) -> dict[str, Any]:
    """Email the recipients of one EventBridge event; returns ids (no addresses: no PII).

    ``ses`` is a ``sesv2`` client, ``students_table`` a boto3 DynamoDB Table or None,
    ``ledger`` the per-recipient delivery record (None: no exactly-once bookkeeping).
    Raises EventValidationError, NotifierError or TemplateError before sending anything;
    an SES error mid-way propagates (ClientError/BotoCoreError) after releasing the claim of
    the recipient it failed on, so a retry sends only what was not sent.
    """
    validated = validate_event(event)
    detail_type = validated["detail-type"]
    if detail_type not in SUPPORTED_TYPES:
        raise UnsupportedEventError(f"notifier does not handle {detail_type!r}")
    result: dict[str, Any] = {"eventId": validated.get("id"), "detailType": detail_type}
    if "replay-name" in validated:
        return {**result, "replay": str(validated["replay-name"]), "sent": 0, "messageIds": []}
    detail = validated["detail"]
    audience = resolve_recipients(detail_type, detail, students_table, settings.class_index)
    emails = build_emails(detail_type, detail, audience.recipients)
    outcome = deliver(
        emails,
        ses=ses,
        settings=settings,
        ledger=ledger if validated.get("id") else None,
        event_id=str(validated.get("id")),
    )
    return {
        **result,
        "sent": len(outcome.message_ids),
        "messageIds": outcome.message_ids,
        "alreadySent": outcome.already_sent,
        "uncertain": outcome.uncertain,
        "skipped": [{"studentId": s.student_id, "reason": s.reason} for s in audience.skipped],
    }
