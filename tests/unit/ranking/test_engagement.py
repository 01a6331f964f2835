"""lambda_src/ranking/engagement.py: the GET /classes/{classId}/ranking answer from the
object the Export step publishes (training/engagement.py writes it)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ranking.engagement import (
    SOURCE_ENGAGEMENT,
    InvalidEngagementDocumentError,
    class_ranking,
    engagement_key,
    parse_document,
)
from training.engagement import Engagement, class_document, engagement_prefix

pytestmark = pytest.mark.unit


def published(class_id: str = "C1") -> bytes:
    """What the pipeline writes for a small class, built by the pipeline's own code."""
    engagement = Engagement()
    engagement.add_catalog_item(class_id, f"{class_id}-Q1")
    engagement.add_interaction("stu-a", class_id, "enrolled", "e1")
    engagement.add_interaction("stu-b", f"{class_id}-Q1", "takeQuiz", "e2")
    engagement.add_interaction("stu-b", class_id, "enrolled", "e3")
    engagement.add_member(class_id, "stu-c")
    document = class_document(
        class_id,
        engagement.rankings()[class_id],
        run_id="20250105T020000Z",
        updated_at="2025-01-05T02:10:00Z",
    )
    return json.dumps(document).encode()


def test_the_published_object_becomes_the_ranked_answer() -> None:
    answer = class_ranking(parse_document(published()), "C1")

    assert answer == {
        "classId": "C1",
        "source": SOURCE_ENGAGEMENT,
        "updatedAt": "2025-01-05T02:10:00Z",
        "students": [
            {"studentId": "stu-b", "rank": 1, "score": 4},
            {"studentId": "stu-a", "rank": 2, "score": 1},
            {"studentId": "stu-c", "rank": 3, "score": 0},
        ],
    }


def test_limit_keeps_the_top_students_by_rank() -> None:
    document = json.loads(published())
    document["students"].reverse()  # order in the object does not matter, rank does
    answer = class_ranking(document, "C1", limit=2)
    assert [s["studentId"] for s in answer["students"]] == ["stu-b", "stu-a"]


def test_the_key_is_the_pipeline_prefix_plus_the_class() -> None:
    prefix = engagement_prefix("personalize/batch/")
    assert prefix == "personalize/batch/engagement/classes/"
    assert engagement_key(prefix, "C01") == "personalize/batch/engagement/classes/C01.json"
    with pytest.raises(ValueError, match="classId must match"):
        engagement_key(prefix, "../C01")


@pytest.mark.parametrize(
    ("body", "class_id", "message"),
    [
        (b"not json", "C1", "not JSON"),
        (b"[1]", "C1", "not a JSON object"),
        (None, "C2", "for 'C1', not 'C2'"),
        (b'{"classId": "C1"}', "C1", "no students list"),
        (b'{"classId": "C1", "students": [{"rank": 1, "score": 1}]}', "C1", "no studentId"),
        (b'{"classId": "C1", "students": [{"studentId": "s", "rank": 0, "score": 1}]}', "C1",
         "no valid rank"),
        (b'{"classId": "C1", "students": [{"studentId": "s", "rank": 1, "score": "9"}]}', "C1",
         "no numeric score"),
    ],
)  # fmt: skip
def test_a_bad_object_is_refused_clearly(body: bytes | None, class_id: str, message: str) -> None:
    def answer() -> Any:
        return class_ranking(parse_document(body if body is not None else published()), class_id)

    with pytest.raises(InvalidEngagementDocumentError, match=message):
        answer()
