"""EventBridge event -> one Interactions item, written at most once per event id."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Final

from botocore.exceptions import ClientError

from student_platform.catalog import EventValidationError, validate_event

# detail-type -> the interaction's eventType attribute
EVENT_TYPE_NAMES: Final[Mapping[str, str]] = {
    "student.enrolled": "enrolled",
    "student.submitAssignment": "submitAssignment",
}


class UnsupportedEventError(Exception):
    """The event is valid but not one this function ingests."""


@dataclass(frozen=True)
class Interaction:
    studentId: str  # noqa: N815 - DynamoDB attribute names
    eventId: str  # noqa: N815
    itemId: str  # noqa: N815
    eventType: str  # noqa: N815
    timestamp: int
    source: str

    def as_item(self) -> dict[str, Any]:
        return asdict(self)


def epoch_seconds(value: str) -> int:
    """ISO-8601 (EventBridge ``time``, e.g. 2024-05-01T08:00:00Z) -> epoch seconds (UTC)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def assignment_item_id(detail: Mapping[str, Any]) -> str:
    """The class when the submission names it, else a stable id derived from the file URL."""
    if detail.get("classId"):
        return str(detail["classId"])
    digest = hashlib.sha256(str(detail["fileUrl"]).encode("utf-8")).hexdigest()[:16]
    return f"assignment-{digest}"


def to_interaction(event: Mapping[str, Any]) -> Interaction:
    """Validate the event (catalog + ``id``/``time`` present) and map it to an item."""
    validated = validate_event(event)
    detail_type = validated["detail-type"]
    if detail_type not in EVENT_TYPE_NAMES:
        raise UnsupportedEventError(f"ingestion does not handle {detail_type!r}")
    for field in ("id", "time"):
        if not validated.get(field):
            raise EventValidationError(f"{field} is required", field)
    detail = validated["detail"]
    item_id = detail["classId"] if detail_type == "student.enrolled" else assignment_item_id(detail)
    return Interaction(
        studentId=detail["studentId"],
        eventId=validated["id"],
        itemId=item_id,
        eventType=EVENT_TYPE_NAMES[detail_type],
        timestamp=epoch_seconds(validated["time"]),
        source=validated["source"],
    )


def write_interaction(table: Any, interaction: Interaction) -> bool:
    """Conditional put; True if written, False if this event id was already stored."""
    try:
        table.put_item(
            Item=interaction.as_item(), ConditionExpression="attribute_not_exists(eventId)"
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def ingest(event: Mapping[str, Any], *, table: Any) -> dict[str, Any]:
    """Store one event; a duplicate delivery is a successful no-op."""
    interaction = to_interaction(event)
    written = write_interaction(table, interaction)
    return {"eventId": interaction.eventId, "written": written, "duplicate": not written}
