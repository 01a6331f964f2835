"""`GET /classes/{classId}/ranking` through the ranking function's handler: one GetObject of
the object the pipeline published for the class, answered to its teachers and admins."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from iackit.emulator import Emulator
from iackit.lambda_events import IAM_AUTHORIZER, http_request
from ranking import app

pytestmark = pytest.mark.unit
BUCKET = "lake"
PREFIX = "personalize/batch/engagement/classes/"
DOCUMENT = {
    "classId": "C01",
    "updatedAt": "2026-11-29T02:00:00Z",
    "students": [
        {"studentId": "S2", "rank": 1, "score": 11},
        {"studentId": "S1", "rank": 2, "score": 6},
        {"studentId": "S3", "rank": 3, "score": 0},
    ],
}


def teacher(*classes: str) -> dict[str, Any]:
    claims = {"sub": "T1", "scope": "teacher", "classes": ",".join(classes)}
    return {"jwt": {"claims": claims, "scopes": None}}


@pytest.fixture
def published(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}C01.json", Body=json.dumps(DOCUMENT).encode())
    monkeypatch.setenv("ENGAGEMENT_BUCKET", BUCKET)
    monkeypatch.setenv("ENGAGEMENT_KEY_PREFIX", PREFIX)


def get(class_id: str, lambda_context: Any, authorizer: Any = IAM_AUTHORIZER, **query: str) -> Any:
    event = http_request(
        "GET",
        "/classes/{classId}/ranking",
        {"classId": class_id},
        query=query or None,
        authorizer=authorizer,
    )
    response = app.lambda_handler(event, lambda_context)
    return response["statusCode"], json.loads(response["body"])


def test_the_class_ranking_is_the_published_order(published: None, lambda_context: Any) -> None:
    status, body = get("C01", lambda_context, numResults="2")
    assert status == 200, body
    assert body["source"] == "engagement"
    assert [s["studentId"] for s in body["students"]] == ["S2", "S1"]


@pytest.mark.parametrize(
    ("class_id", "authorizer", "status"),
    [
        ("C01", teacher("C01", "C07"), 200),
        ("C01", teacher("C07"), 403),
        ("C01", {"jwt": {"claims": {"sub": "S1", "scope": "student"}, "scopes": None}}, 403),
        ("C01", None, 401),
        ("C99", IAM_AUTHORIZER, 404),
        ("C01!", IAM_AUTHORIZER, 400),
    ],
)
def test_who_may_read_which_class(
    published: None, lambda_context: Any, class_id: str, authorizer: Any, status: int
) -> None:
    assert get(class_id, lambda_context, authorizer)[0] == status


def test_without_published_rankings_the_route_is_not_found(
    aws: Emulator, lambda_context: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENGAGEMENT_BUCKET", raising=False)
    assert get("C01", lambda_context)[0] == 404
