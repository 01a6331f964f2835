"""``GET /classes/{classId}/ranking``: the class's students by engagement, read from the one
object the nightly pipeline publishes per class (training/engagement.py).

Pure functions for the handler to route (one GetObject per request, never a table scan):

- ``engagement_key(key_prefix, class_id)``: the object key (``key_prefix`` is the
  ranking-pipeline module's ``engagement.key_prefix`` output);
- ``parse_document(body)``: the object's bytes -> the published document
  (``InvalidEngagementDocumentError`` if it is not one);
- ``class_ranking(document, class_id, limit)``: the answer body
  ``{"classId", "source": "engagement", "updatedAt", "students": [{"studentId", "rank",
  "score"}]}``.

A missing object (``NoSuchKey``) means the class had no engagement at the last run: a 404.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

SOURCE_ENGAGEMENT: Final = "engagement"
CLASS_ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class InvalidEngagementDocumentError(ValueError):
    """The published object is not an engagement ranking of the asked class."""


def engagement_key(key_prefix: str, class_id: str) -> str:
    """``<key_prefix><classId>.json``; ValueError for an id the API must refuse (400)."""
    if not CLASS_ID_PATTERN.match(class_id):
        raise ValueError(f"classId must match {CLASS_ID_PATTERN.pattern}")
    return f"{key_prefix}{class_id}.json"


def parse_document(body: bytes | str) -> Mapping[str, Any]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise InvalidEngagementDocumentError("engagement object is not JSON") from exc
    if not isinstance(document, Mapping):
        raise InvalidEngagementDocumentError("engagement object is not a JSON object")
    return document


def _student(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise InvalidEngagementDocumentError("a student entry is not an object")
    student_id, rank, score = entry.get("studentId"), entry.get("rank"), entry.get("score")
    if not isinstance(student_id, str) or not student_id:
        raise InvalidEngagementDocumentError("a student entry has no studentId")
    if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
        raise InvalidEngagementDocumentError(f"student {student_id} has no valid rank")
    if not isinstance(score, int | float) or isinstance(score, bool):
        raise InvalidEngagementDocumentError(f"student {student_id} has no numeric score")
    return {"studentId": student_id, "rank": rank, "score": score}


def class_ranking(
    document: Mapping[str, Any], class_id: str, limit: int | None = None
) -> dict[str, Any]:
    """The answer for ``class_id`` from its published document, the first ``limit``
    students by rank (all when None)."""
    if document.get("classId") != class_id:
        raise InvalidEngagementDocumentError(
            f"engagement object is for {document.get('classId')!r}, not {class_id!r}"
        )
    entries = document.get("students")
    if not isinstance(entries, list):
        raise InvalidEngagementDocumentError("engagement object has no students list")
    students = sorted((_student(e) for e in entries), key=lambda s: s["rank"])
    if limit is not None:
        students = students[: max(0, limit)]
    return {
        "classId": class_id,
        "source": SOURCE_ENGAGEMENT,
        "updatedAt": document.get("updatedAt"),
        "students": students,
    }
