"""EventBridge event -> the rows it means, each written at most once per event id.

- ``student.enrolled``: an Interactions item, and the class added to the student's
  ``classIds`` set in Students when the student exists (an unknown student is an outcome,
  ``student == "unknown"``, never an error: the interaction stays recorded).
- ``student.submitAssignment``: an Interactions item, and a ClassActivity row
  (``submission#<eventId>``) when the submission names its class.
- ``teacher.sendAnnouncement``: a ClassActivity row (``announcement#<eventId>``) when the
  announcement names its class (a school-wide one has no class to record it under).
- ``student.registered``: the student's Students row created or updated (``name``, ``email``,
  ``language``; ``classIds`` replaced and ``classId``, the notifier's class index key, set to
  the first of them when the detail lists classes). Last writer wins by event ``time``: an
  older registration delivered late (``student == "stale"``) changes nothing.
"""

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


ANNOUNCEMENT: Final = "teacher.sendAnnouncement"
REGISTERED: Final = "student.registered"
DEFAULT_LANGUAGE: Final = "vi"  # the seed's students; the notifier falls back to it too
INGESTED_DETAIL_TYPES: Final = (*EVENT_TYPE_NAMES, ANNOUNCEMENT, REGISTERED)

# Outcomes of the Students update of an enrollment (result key ``student``).
STUDENT_UPDATED: Final = "updated"
STUDENT_UNKNOWN: Final = "unknown"
# Outcomes of a registration (result key ``student``).
STUDENT_REGISTERED: Final = "registered"
STUDENT_STALE: Final = "stale"
# Outcomes of the ClassActivity write (result key ``classActivity``).
ACTIVITY_WRITTEN: Final = "written"
ACTIVITY_DUPLICATE: Final = "duplicate"
ACTIVITY_NO_CLASS: Final = "no-class"


class UnsupportedEventError(Exception):
    """The event is valid but not one this function ingests."""


class ConfigurationError(Exception):
    """A table this event needs is not configured."""


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


@dataclass(frozen=True)
class ClassActivity:
    """One row of ClassActivity (partition ``classId``, sort ``activityId``)."""

    classId: str  # noqa: N815 - DynamoDB attribute names
    activityId: str  # noqa: N815
    activityType: str  # noqa: N815 - submission | announcement
    eventId: str  # noqa: N815
    createdAt: int  # noqa: N815 - epoch seconds
    source: str
    actor: dict[str, str]  # {"studentId": ...} or {"teacherId": ...}

    def as_item(self) -> dict[str, Any]:
        item = asdict(self)
        item.update(item.pop("actor"))
        return item


def to_class_activity(event: Mapping[str, Any]) -> ClassActivity | None:
    """The ClassActivity row of a validated submission/announcement; None without a class."""
    detail = event["detail"]
    class_id = detail.get("classId")
    if not class_id:
        return None
    if event["detail-type"] == ANNOUNCEMENT:
        kind, actor = "announcement", {"teacherId": str(detail["teacherId"])}
    else:
        kind, actor = "submission", {"studentId": str(detail["studentId"])}
    return ClassActivity(
        classId=str(class_id),
        activityId=f"{kind}#{event['id']}",
        activityType=kind,
        eventId=str(event["id"]),
        createdAt=epoch_seconds(event["time"]),
        source=str(event["source"]),
        actor=actor,
    )


def validated_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """Catalog validation + ``id``/``time`` present + a detail-type this function ingests."""
    validated = validate_event(event)
    if validated["detail-type"] not in INGESTED_DETAIL_TYPES:
        raise UnsupportedEventError(f"ingestion does not handle {validated['detail-type']!r}")
    for field in ("id", "time"):
        if not validated.get(field):
            raise EventValidationError(f"{field} is required", field)
    epoch_seconds(validated["time"])  # an unparsable time fails before any write
    return dict(validated)


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


def write_class_activity(table: Any, activity: ClassActivity) -> bool:
    """Conditional put; True if written, False if this activity was already stored."""
    try:
        table.put_item(
            Item=activity.as_item(), ConditionExpression="attribute_not_exists(activityId)"
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def add_class_to_student(table: Any, student_id: str, class_id: str) -> bool:
    """ADD the class to the student's ``classIds`` set (idempotent: a set); False when the
    student is not in Students (the row is never created from an enrollment)."""
    try:
        table.update_item(
            Key={"studentId": student_id},
            UpdateExpression="ADD classIds :c",
            ConditionExpression="attribute_exists(studentId)",
            ExpressionAttributeValues={":c": {class_id}},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def register_student(table: Any, detail: Mapping[str, Any], updated_at: int) -> bool:
    """Create or update the student's profile (UpdateItem: the writer's only Students rights
    are UpdateItem on these attributes); False when a newer registration is already stored.

    ``language`` or ``classIds`` absent keeps the stored value (a new row's language is
    ``DEFAULT_LANGUAGE``); a ``classIds`` list replaces the classes (``classId``, the
    notifier's class index key, becomes its first class); an empty list removes both.
    """
    names = {"#n": "name", "#e": "email", "#l": "language", "#u": "updatedAt"}
    values: dict[str, Any] = {
        ":n": detail["name"],
        ":e": detail["email"],
        ":l": detail.get("language", DEFAULT_LANGUAGE),
        ":u": updated_at,
    }
    # Without a language: the stored one stays, a new row gets the default.
    language = "#l = :l" if "language" in detail else "#l = if_not_exists(#l, :l)"
    expression = f"SET #n = :n, #e = :e, {language}, #u = :u"
    classes = detail.get("classIds")
    if classes is not None:
        names.update({"#cs": "classIds", "#c": "classId"})
    if classes:
        values.update({":cs": set(classes), ":c": classes[0]})
        expression += ", #cs = :cs, #c = :c"
    elif classes is not None:
        expression += " REMOVE #cs, #c"
    try:
        table.update_item(
            Key={"studentId": detail["studentId"]},
            UpdateExpression=expression,
            ConditionExpression="attribute_not_exists(#u) OR #u <= :u",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def ingest(
    event: Mapping[str, Any],
    *,
    table: Any,
    students: Any = None,
    class_activity: Any = None,
) -> dict[str, Any]:
    """Store one event (see the module doc); a duplicate delivery is a successful no-op.

    ``table`` is Interactions; ``students`` / ``class_activity`` (boto3 Tables) are optional:
    without one, that write is not made and its result key is absent.
    """
    validated = validated_event(event)
    detail_type = validated["detail-type"]
    result: dict[str, Any] = {"eventId": validated["id"]}
    if detail_type == REGISTERED:
        if students is None:
            raise ConfigurationError("student.registered needs the Students table")
        stored = register_student(students, validated["detail"], epoch_seconds(validated["time"]))
        result["student"] = STUDENT_REGISTERED if stored else STUDENT_STALE
        return {**result, "written": stored, "duplicate": False}
    if detail_type in EVENT_TYPE_NAMES:
        interaction = to_interaction(validated)
        written = write_interaction(table, interaction)
        result.update(written=written, duplicate=not written)
    if detail_type == "student.enrolled" and students is not None:
        detail = validated["detail"]
        known = add_class_to_student(students, detail["studentId"], detail["classId"])
        result["student"] = STUDENT_UPDATED if known else STUDENT_UNKNOWN
    if detail_type != "student.enrolled" and class_activity is not None:
        activity = to_class_activity(validated)
        if activity is None:
            result["classActivity"] = ACTIVITY_NO_CLASS
        else:
            stored = write_class_activity(class_activity, activity)
            result["classActivity"] = ACTIVITY_WRITTEN if stored else ACTIVITY_DUPLICATE
        if detail_type == ANNOUNCEMENT:
            result["written"] = result["classActivity"] == ACTIVITY_WRITTEN
            result["duplicate"] = result["classActivity"] == ACTIVITY_DUPLICATE
    result.setdefault("written", False)
    result.setdefault("duplicate", False)
    return result
