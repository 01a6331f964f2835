"""Nightly engagement ranking: the students of each class ordered by a simple score.

Computed by the Export step from the rows it already scans (ClassActivity, Interactions,
Students) and published as one JSON object per class,
``<BATCH_PREFIX>engagement/classes/<classId>.json``, which ``ranking/engagement.py`` turns
into the ``GET /classes/{classId}/ranking`` answer with a single GetObject.

Score of a student in a class = the sum, over the student's events on the class or on one
of its materials / quizzes, of ``EVENT_WEIGHTS[eventType]`` (another event type counts
``DEFAULT_WEIGHT``). Events are the Interactions rows plus the ClassActivity rows written
by a student (``studentId`` + ``eventId``) that have no Interactions row with the same
``eventId`` (each event counts once). A material / quiz belongs to the class whose
ClassActivity catalog row (``activityType`` material | quiz, ``itemId``) names it. The
students of a class are every student with an event on it plus every student whose
Students row lists it (``classId`` / ``classIds``), at score 0 if they did nothing. Order:
score descending, then events descending, then ``studentId``; ``rank`` is the 1-based
position. Memory: one counter per (class, student) plus the ClassActivity-only events.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

EVENT_WEIGHTS: Final[Mapping[str, int]] = {
    "enrolled": 1,
    "viewMaterial": 1,
    "takeQuiz": 3,
    "submitAssignment": 5,
}
DEFAULT_WEIGHT: Final = 1
# ClassActivity activityType of a student's row -> the event type it weighs as.
ACTIVITY_EVENT_TYPES: Final[Mapping[str, str]] = {"submission": "submitAssignment"}
ENGAGEMENT_DIR: Final = "engagement/classes/"


def weight(event_type: str | None) -> int:
    return EVENT_WEIGHTS.get(event_type or "", DEFAULT_WEIGHT)


def engagement_prefix(batch_prefix: str) -> str:
    """``<batch prefix>engagement/classes/``: where the per-class objects are published."""
    return f"{batch_prefix}{ENGAGEMENT_DIR}"


@dataclass
class Engagement:
    """Accumulates the rows of one export; ``rankings()`` gives the published documents."""

    item_class: dict[str, str] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    scores: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    events: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    pending: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def add_class(self, class_id: str) -> None:
        self.classes.add(class_id)

    def add_catalog_item(self, class_id: str, item_id: str) -> None:
        """A material / quiz of ``class_id``."""
        self.classes.add(class_id)
        self.item_class[item_id] = class_id

    def add_activity(
        self, class_id: str, student_id: str, event_id: str, activity_type: str | None
    ) -> None:
        """A student's ClassActivity row: counted at the end unless an interaction has the
        same ``event_id``."""
        self.classes.add(class_id)
        event_type = ACTIVITY_EVENT_TYPES.get(activity_type or "", activity_type or "")
        self.pending[event_id] = (class_id, student_id, event_type)

    def add_member(self, class_id: str, student_id: str) -> None:
        self.classes.add(class_id)
        self.scores[class_id][student_id] += 0

    def add_interaction(
        self, student_id: str, item_id: str, event_type: str | None, event_id: str | None
    ) -> None:
        class_id = self.item_class.get(item_id, item_id)
        if event_type == "enrolled":
            self.classes.add(class_id)
        if event_id:
            self.pending.pop(event_id, None)
        self._count(class_id, student_id, event_type)

    def _count(self, class_id: str, student_id: str, event_type: str | None) -> None:
        self.scores[class_id][student_id] += weight(event_type)
        self.events[class_id][student_id] += 1

    def rankings(self) -> dict[str, list[dict[str, Any]]]:
        """``{classId: [{"studentId", "rank", "score", "events"}]}`` for the known classes
        (an interaction item that is neither a class nor a catalogued item is left out)."""
        for class_id, student_id, event_type in self.pending.values():
            self._count(class_id, student_id, event_type)
        self.pending.clear()
        result: dict[str, list[dict[str, Any]]] = {}
        for class_id in sorted(self.classes):
            scores, events = (
                self.scores.get(class_id, Counter()),
                self.events.get(class_id, Counter()),
            )
            ordered = sorted(scores, key=lambda s: (-scores[s], -events[s], s))
            result[class_id] = [
                {"studentId": s, "rank": n, "score": scores[s], "events": events[s]}
                for n, s in enumerate(ordered, start=1)
            ]
        return result


def class_document(
    class_id: str, students: list[dict[str, Any]], *, run_id: str, updated_at: str
) -> dict[str, Any]:
    return {
        "classId": class_id,
        "runId": run_id,
        "updatedAt": updated_at,
        "scoring": {"weights": dict(EVENT_WEIGHTS), "defaultWeight": DEFAULT_WEIGHT},
        "students": students,
    }


def publish_rankings(
    s3: Any,
    bucket: str,
    prefix: str,
    rankings: Mapping[str, list[dict[str, Any]]],
    *,
    run_id: str,
    updated_at: str,
    kms_key_arn: str | None = None,
) -> dict[str, Any]:
    """One ``<prefix><classId>.json`` per class; returns the URI and counts."""
    extra: dict[str, str] = {"ContentType": "application/json"}
    if kms_key_arn:
        extra["ServerSideEncryption"] = "aws:kms"
        extra["SSEKMSKeyId"] = kms_key_arn
    for class_id, students in rankings.items():
        document = class_document(class_id, students, run_id=run_id, updated_at=updated_at)
        s3.put_object(
            Bucket=bucket,
            Key=f"{prefix}{class_id}.json",
            Body=json.dumps(document, separators=(",", ":")).encode(),
            **extra,
        )
    return {
        "uri": f"s3://{bucket}/{prefix}",
        "classes": len(rankings),
        "students": sum(len(s) for s in rankings.values()),
    }


def members(item: Mapping[str, Any]) -> Iterable[str]:
    """The classes of a Students item (typed DynamoDB JSON): ``classId`` and ``classIds``."""
    single = item.get("classId", {})
    if isinstance(single, Mapping) and single.get("S"):
        yield str(single["S"])
    many = item.get("classIds", {})
    if isinstance(many, Mapping):
        values = many.get("SS") or [v.get("S") for v in many.get("L", []) if isinstance(v, dict)]
        yield from (str(v) for v in values if v)
