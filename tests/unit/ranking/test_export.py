"""Export + data guard against the emulator: what lands in S3, row by row."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from ranking.popularity import parse_popularity
from tests.unit.ranking import factories as f
from training.common import RunContext, run_context_from_event
from training.export import (
    ExportCounts,
    ExportSettings,
    GuardThresholds,
    evaluate_guard,
    export,
)
from training.popularity import popularity_document

pytestmark = pytest.mark.unit

RUN = RunContext(
    run_id="20250105T020000Z",
    run_date="2025-01-05",
    force_full=False,
    trigger="nightly",
    recipe_arn=None,
)


@pytest.fixture
def clients(aws: Any) -> dict[str, Any]:
    c = {name: boto3.client(name) for name in ("dynamodb", "s3", "ssm", "glue", "kms")}
    f.create_tables(c["dynamodb"])
    f.create_bucket(c["s3"])
    f.create_crawler(c["glue"])
    return c


def settings(**overrides: Any) -> ExportSettings:
    values: dict[str, Any] = {
        "interactions_table": f.INTERACTIONS,
        "students_table": f.STUDENTS,
        "class_activity_table": f.CLASS_ACTIVITY,
        "bucket": f.BUCKET,
        "crawler_name": f.CRAWLER,
        "watermark_parameter": f.WATERMARK_PARAM,
    }
    values.update(overrides)
    return ExportSettings(**values)


def run_export(clients: dict[str, Any], s: ExportSettings | None = None) -> dict[str, Any]:
    return export(
        s or settings(),
        RUN,
        dynamodb=clients["dynamodb"],
        s3=clients["s3"],
        ssm=clients["ssm"],
        glue=clients["glue"],
    )


SMALL_SEED = [
    f.interaction("stu-a", 1, "class-1", f.BASE_TS + 10, "enrolled"),
    f.interaction("stu-a", 2, "class-2", f.BASE_TS + 20, "submitAssignment"),
    f.interaction("stu-b", 1, "class-1", f.BASE_TS + 30, "enrolled"),
    # epoch milliseconds are converted to seconds
    f.interaction("stu-c", 1, "class-3", (f.BASE_TS + 40) * 1000, "enrolled"),
    # a value with a comma survives CSV quoting
    f.interaction("stu-d", 1, "class,odd", f.BASE_TS + 50, "submitAssignment"),
]
INVALID_SEED = [
    {**f.interaction("stu-x", 1, "class-1", f.BASE_TS), "eventType": "clicked"},
    {k: v for k, v in f.interaction("stu-x", 2, "c", f.BASE_TS).items() if k != "itemId"},
    {k: v for k, v in f.interaction("stu-x", 3, "c", f.BASE_TS).items() if k != "timestamp"},
    {**f.interaction("stu-x", 4, "class-1", f.BASE_TS), "timestamp": "not-a-number"},
]


def test_export_writes_personalize_csv_row_by_row(clients: dict[str, Any]) -> None:
    f.put_items(f.INTERACTIONS, SMALL_SEED + INVALID_SEED)
    f.put_items(
        f.STUDENTS,
        [
            {"studentId": "stu-a", "name": "An", "language": "vi", "classId": "class-1"},
            {"studentId": "stu-b", "name": "Bo", "language": "en"},
            {"studentId": "stu-z", "name": "Zed", "email": "z@example.com"},
        ],
    )
    f.put_items(
        f.CLASS_ACTIVITY,
        [
            {
                "classId": "class-1",
                "activityId": "a1",
                "subject": "math",
                "level": "B1",
                "createdAt": f.BASE_TS - 100,
            },
            {
                "classId": "class-1",
                "activityId": "a2",
                "subject": "math",
                "createdAt": f.BASE_TS - 500,
            },
            {"classId": "class-2", "activityId": "a1", "subject": "history"},
        ],
    )

    result = run_export(clients)

    rows = f.read_csv(clients["s3"], result["files"]["interactions"])
    assert rows[0] == ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
    expected = sorted(
        [
            ["stu-a", "class-1", str(f.BASE_TS + 10), "enrolled"],
            ["stu-a", "class-2", str(f.BASE_TS + 20), "submitAssignment"],
            ["stu-b", "class-1", str(f.BASE_TS + 30), "enrolled"],
            ["stu-c", "class-3", str(f.BASE_TS + 40), "enrolled"],
            ["stu-d", "class,odd", str(f.BASE_TS + 50), "submitAssignment"],
        ]
    )
    assert sorted(rows[1:]) == expected
    for row in rows[1:]:
        assert len(row) == 4
        assert row[2].isdigit()
        assert 1_000_000_000 <= int(row[2]) < 10_000_000_000
    assert result["files"]["interactions"] == (
        f"s3://{f.BUCKET}/personalize/export/interactions/run_date=2025-01-05/interactions.csv"
    )
    # no watermark yet: the delta is everything
    assert sorted(f.read_csv(clients["s3"], result["files"]["interactionsDelta"])[1:]) == expected

    users = f.read_csv(clients["s3"], result["files"]["users"])
    assert users[0] == ["USER_ID", "LANGUAGE", "CLASS_ID"]
    assert sorted(users[1:]) == [["stu-a", "vi", "class-1"], ["stu-b", "en", ""], ["stu-z", "", ""]]

    assert f.read_csv(clients["s3"], result["files"]["items"]) == [
        ["ITEM_ID", "ITEM_TYPE", "SUBJECT", "LEVEL", "ACTIVITY_COUNT", "CREATION_TIMESTAMP"],
        ["class-1", "class", "math", "B1", "2", str(f.BASE_TS - 500)],
        ["class-2", "class", "history", "", "1", ""],
    ]

    batch_key = result["files"]["batchInput"].removeprefix(f"s3://{f.BUCKET}/")
    assert batch_key == "personalize/batch/input/20250105T020000Z/users.jsonl"
    lines = clients["s3"].get_object(Bucket=f.BUCKET, Key=batch_key)["Body"].read().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"userId": u} for u in ("stu-a", "stu-b", "stu-c", "stu-d", "stu-z")
    ]

    assert result["counts"] == {
        "interactions": 5,
        "skippedInteractions": 4,
        "deltaInteractions": 5,
        "users": 4,
        "usersWithMinInteractions": 1,
        "students": 3,
        "items": 2,
        "itemsByType": {"class": 2},
        "batchUsers": 5,
    }
    assert result["watermark"] == {"previous": None, "current": f.BASE_TS + 50}
    assert result["run"]["runId"] == RUN.run_id
    # data guard on the small data set
    assert result["status"] == "NOT_ENOUGH_DATA"
    assert "5 interactions < 1000" in result["reason"]
    assert "1 users with >= 2 interactions < 25" in result["reason"]
    # the crawler was started
    assert result["crawler"] == "STARTED"
    assert clients["glue"].get_crawler(Name=f.CRAWLER)["Crawler"]["State"] == "RUNNING"


def test_export_sufficient_data_is_ready(clients: dict[str, Any]) -> None:
    f.put_items(f.INTERACTIONS, f.dense_interactions(users=25, per_user=40))  # 1000 rows

    result = run_export(clients)

    assert result["status"] == "READY"
    assert "reason" not in result
    assert result["counts"]["interactions"] == 1000
    assert result["counts"]["usersWithMinInteractions"] == 25
    rows = f.read_csv(clients["s3"], result["files"]["interactions"])
    assert len(rows) == 1001
    assert {r[0] for r in rows[1:]} == {f"stu-{u:03d}" for u in range(25)}
    assert {r[3] for r in rows[1:]} == {"enrolled", "submitAssignment"}


def test_export_guard_counts_only_users_with_two_interactions(clients: dict[str, Any]) -> None:
    # 1100 interactions, but only 24 users have >= 2 of them
    seed = f.dense_interactions(users=24, per_user=45)
    seed += [f.interaction(f"single-{i}", 0, "class-1", f.BASE_TS + i) for i in range(20)]
    f.put_items(f.INTERACTIONS, seed)

    result = run_export(clients)

    assert result["counts"]["interactions"] == 1100
    assert result["counts"]["users"] == 44
    assert result["counts"]["usersWithMinInteractions"] == 24
    assert result["status"] == "NOT_ENOUGH_DATA"
    assert result["reason"] == "24 users with >= 2 interactions < 25"


@pytest.mark.parametrize(
    ("interactions", "active_users", "status"),
    [(1000, 25, "READY"), (999, 25, "NOT_ENOUGH_DATA"), (1000, 24, "NOT_ENOUGH_DATA")],
)
def test_guard_thresholds_are_inclusive(interactions: int, active_users: int, status: str) -> None:
    counts = ExportCounts(interactions=interactions, users_with_min_interactions=active_users)
    assert evaluate_guard(counts, GuardThresholds())[0] == status


def test_guard_thresholds_from_env() -> None:
    env = {"MIN_INTERACTIONS": "10", "MIN_ACTIVE_USERS": "2", "MIN_INTERACTIONS_PER_USER": "3"}
    assert GuardThresholds.from_env(env) == GuardThresholds(10, 2, 3)


def test_export_delta_only_has_rows_newer_than_watermark(clients: dict[str, Any]) -> None:
    f.put_items(f.INTERACTIONS, SMALL_SEED)
    clients["ssm"].put_parameter(
        Name=f.WATERMARK_PARAM, Type="String", Value=json.dumps({"maxTimestamp": f.BASE_TS + 20})
    )

    result = run_export(clients)

    delta = f.read_csv(clients["s3"], result["files"]["interactionsDelta"])
    assert delta[0] == ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
    assert sorted(r[2] for r in delta[1:]) == [str(f.BASE_TS + t) for t in (30, 40, 50)]
    assert result["counts"]["deltaInteractions"] == 3
    assert result["watermark"] == {"previous": f.BASE_TS + 20, "current": f.BASE_TS + 50}
    assert len(f.read_csv(clients["s3"], result["files"]["interactions"])) == 6


def test_export_uses_sse_kms_and_tolerates_running_crawler(clients: dict[str, Any]) -> None:
    key_arn = clients["kms"].create_key()["KeyMetadata"]["Arn"]
    f.put_items(f.INTERACTIONS, SMALL_SEED)
    s = settings(kms_key_arn=key_arn)

    first = run_export(clients, s)
    second = run_export(clients, s)  # the crawler is still RUNNING

    assert first["crawler"] == "STARTED"
    assert second["crawler"] == "ALREADY_RUNNING"
    for uri in second["files"].values():
        key = uri.removeprefix(f"s3://{f.BUCKET}/")
        head = clients["s3"].head_object(Bucket=f.BUCKET, Key=key)
        assert head["ServerSideEncryption"] == "aws:kms", key
        assert head["SSEKMSKeyId"] == key_arn, key


def test_export_writes_candidates_for_personalized_ranking(clients: dict[str, Any]) -> None:
    f.put_items(f.INTERACTIONS, SMALL_SEED)
    s = settings(recipe_arn="arn:aws:personalize:::recipe/aws-personalized-ranking-v2")

    result = run_export(clients, s)

    key = result["files"]["batchInput"].removeprefix(f"s3://{f.BUCKET}/")
    lines = [
        json.loads(x)
        for x in clients["s3"].get_object(Bucket=f.BUCKET, Key=key)["Body"].read().splitlines()
    ]
    assert lines[0] == {
        "userId": "stu-a",
        "itemList": ["class-1", "class-2", "class-3", "class,odd"],
    }


def test_export_handler_reads_env_and_execution_input(
    clients: dict[str, Any], monkeypatch: pytest.MonkeyPatch, lambda_context: Any
) -> None:
    from training.app import export_handler

    for key, value in {
        "INTERACTIONS_TABLE_NAME": f.INTERACTIONS,
        "STUDENTS_TABLE_NAME": f.STUDENTS,
        "CLASS_ACTIVITY_TABLE_NAME": f.CLASS_ACTIVITY,
        "DATA_BUCKET": f.BUCKET,
        "EXPORT_PREFIX": "/exports/ranking",
        "GLUE_CRAWLER_NAME": f.CRAWLER,
        "MIN_INTERACTIONS": "5",
        "MIN_ACTIVE_USERS": "1",
    }.items():
        monkeypatch.setenv(key, value)
    f.put_items(f.INTERACTIONS, SMALL_SEED)
    event = {
        "executionStartTime": "2025-01-05T02:00:00.123Z",
        "executionName": "nightly-1",
        "input": {"detail-type": "ranking.requestUpdate", "detail": {"trigger": "weekly"}},
    }

    result = export_handler(event, lambda_context)

    assert result["status"] == "READY"
    assert result["run"] == {
        "runId": "20250105T020000Z",
        "runDate": "2025-01-05",
        "forceFull": True,
        "trigger": "weekly",
        "recipeArn": None,
    }
    key = "exports/ranking/interactions/run_date=2025-01-05/interactions.csv"
    assert result["files"]["interactions"] == f"s3://{f.BUCKET}/{key}"
    assert clients["s3"].head_object(Bucket=f.BUCKET, Key=key)["ContentLength"] > 0


def test_run_context_defaults_to_nightly() -> None:
    now = datetime(2025, 1, 6, 2, 0, 5, tzinfo=UTC)
    run = run_context_from_event({"input": {}}, now=now)
    assert (run.run_id, run.run_date, run.force_full, run.trigger) == (
        "20250106T020005Z",
        "2025-01-06",
        False,
        "nightly",
    )
    assert run_context_from_event({"input": {"forceFull": True}}, now=now).force_full


def engagement_of(clients: dict[str, Any], class_id: str) -> dict[str, Any]:
    key = f"personalize/batch/engagement/classes/{class_id}.json"
    return dict(json.loads(clients["s3"].get_object(Bucket=f.BUCKET, Key=key)["Body"].read()))


def test_items_carry_their_type_and_classes_get_an_engagement_ranking(
    clients: dict[str, Any],
) -> None:
    """A known school: the weights are enrolled 1, viewMaterial 1, takeQuiz 3,
    submitAssignment 5; a submission in both tables (same eventId) counts once."""
    ts = f.BASE_TS
    f.put_items(
        f.CLASS_ACTIVITY,
        [
            {"classId": "C1", "activityId": "class", "subject": "math", "level": "B1"},
            {"classId": "C1", "activityId": "material#C1-M1", "activityType": "material",
             "itemId": "C1-M1", "createdAt": ts},
            {"classId": "C1", "activityId": "quiz#C1-Q1", "activityType": "quiz",
             "itemId": "C1-Q1", "subject": "algebra"},
            # written by ingestion for an event also in Interactions: counted once
            {"classId": "C1", "activityId": "submission#e-a", "activityType": "submission",
             "studentId": "stu-a", "eventId": "e-a"},
            # only in ClassActivity: counted from here
            {"classId": "C1", "activityId": "submission#e-c", "activityType": "submission",
             "studentId": "stu-c", "eventId": "e-c"},
            {"classId": "C1", "activityId": "announcement#e-t", "activityType": "announcement",
             "teacherId": "T1", "eventId": "e-t"},
        ],
    )  # fmt: skip
    f.put_items(
        f.INTERACTIONS,
        [
            f.interaction("stu-a", 1, "C1", ts, "enrolled"),
            {**f.interaction("stu-a", 2, "C1", ts + 1, "submitAssignment"), "eventId": "e-a"},
            f.interaction("stu-a", 3, "C1-M1", ts + 2, "viewMaterial"),
            f.interaction("stu-a", 4, "assignment-0123", ts + 3, "submitAssignment"),
            f.interaction("stu-b", 1, "C1", ts, "enrolled"),
            f.interaction("stu-b", 2, "C1-Q1", ts + 1, "takeQuiz"),
            f.interaction("stu-b", 3, "C1-Q1", ts + 2, "takeQuiz"),
            f.interaction("stu-b", 4, "C1-M1", ts + 3, "viewMaterial"),
            f.interaction("stu-c", 1, "C1", ts, "enrolled"),
            f.interaction("stu-e", 1, "C2", ts, "enrolled"),
        ],
    )
    f.put_items(f.STUDENTS, [{"studentId": "stu-d", "classIds": {"C1"}}])

    result = run_export(clients)

    assert f.read_csv(clients["s3"], result["files"]["items"]) == [
        ["ITEM_ID", "ITEM_TYPE", "SUBJECT", "LEVEL", "ACTIVITY_COUNT", "CREATION_TIMESTAMP"],
        ["C1", "class", "math", "B1", "6", ""],
        ["C1-M1", "material", "math", "B1", "0", str(ts)],
        ["C1-Q1", "quiz", "algebra", "B1", "0", ""],
    ]
    assert result["counts"]["itemsByType"] == {"class": 1, "material": 1, "quiz": 1}
    # viewMaterial / takeQuiz are exported interactions by default
    exported = f.read_csv(clients["s3"], result["files"]["interactions"])
    assert {row[3] for row in exported[1:]} == {
        "enrolled",
        "submitAssignment",
        "viewMaterial",
        "takeQuiz",
    }

    assert result["engagement"] == {
        "uri": f"s3://{f.BUCKET}/personalize/batch/engagement/classes/",
        "classes": 2,
        "students": 5,
    }
    c1 = engagement_of(clients, "C1")
    assert [(s["studentId"], s["rank"], s["score"], s["events"]) for s in c1["students"]] == [
        ("stu-b", 1, 8, 4),  # 1 + 3 + 3 + 1
        ("stu-a", 2, 7, 3),  # 1 + 5 + 1 (its unclassed assignment is no class's)
        ("stu-c", 3, 6, 2),  # 1 + 5 from ClassActivity only
        ("stu-d", 4, 0, 0),  # in Students' classIds, no activity
    ]
    assert c1["runId"] == RUN.run_id
    assert c1["scoring"]["weights"]["takeQuiz"] == 3
    assert [s["studentId"] for s in engagement_of(clients, "C2")["students"]] == ["stu-e"]


def test_engagement_ties_break_on_events_then_student_id(clients: dict[str, Any]) -> None:
    ts = f.BASE_TS
    f.put_items(
        f.INTERACTIONS,
        [
            f.interaction("stu-z", 1, "C9", ts, "submitAssignment"),  # 5 in 1 event
            *(f.interaction("stu-y", n, "C9", ts + n, "viewMaterial") for n in range(5)),
            *(f.interaction("stu-x", n, "C9", ts + n, "viewMaterial") for n in range(5)),
            f.interaction("stu-w", 1, "C9", ts, "enrolled"),
        ],
    )

    run_export(clients)

    ranked = [(s["studentId"], s["score"]) for s in engagement_of(clients, "C9")["students"]]
    assert ranked == [("stu-x", 5), ("stu-y", 5), ("stu-z", 5), ("stu-w", 1)]


def test_the_export_publishes_popularity_overall_and_per_item_type(
    clients: dict[str, Any],
) -> None:
    """The ranking API's fallback object (training/popularity.py), published even when the
    data guard skips training: counts per item, best first (ties by itemId); an item missing
    from the Items dataset (C2, assignment-0123) counts in `all` only."""
    ts = f.BASE_TS
    f.put_items(
        f.CLASS_ACTIVITY,
        [
            {"classId": "C1", "activityId": "class", "subject": "math"},
            {"classId": "C1", "activityId": "material#C1-M1", "activityType": "material",
             "itemId": "C1-M1"},
            {"classId": "C1", "activityId": "quiz#C1-Q1", "activityType": "quiz",
             "itemId": "C1-Q1"},
        ],
    )  # fmt: skip
    f.put_items(
        f.INTERACTIONS,
        [
            f.interaction("stu-a", 1, "C1", ts, "enrolled"),
            f.interaction("stu-b", 1, "C1", ts, "enrolled"),
            f.interaction("stu-c", 1, "C1", ts, "enrolled"),
            f.interaction("stu-a", 2, "C1-Q1", ts + 1, "takeQuiz"),
            f.interaction("stu-b", 2, "C1-Q1", ts + 1, "takeQuiz"),
            f.interaction("stu-a", 3, "C1-M1", ts + 2, "viewMaterial"),
            f.interaction("stu-a", 4, "assignment-0123", ts + 3, "submitAssignment"),
            f.interaction("stu-e", 1, "C2", ts, "enrolled"),
            f.interaction("stu-e", 2, "C2", ts, "unknownType"),  # not exported: not counted
        ],
    )

    result = run_export(clients)

    assert result["status"] == "NOT_ENOUGH_DATA"
    key = "personalize/batch/popularity/current.json"
    assert result["popularity"] == {
        "uri": f"s3://{f.BUCKET}/{key}",
        "items": {"all": 5, "class": 1, "material": 1, "quiz": 1},
    }
    document = json.loads(clients["s3"].get_object(Bucket=f.BUCKET, Key=key)["Body"].read())
    assert document["runId"] == RUN.run_id
    assert document["rankings"] == {
        "all": {
            "interactions": 8,
            "items": [
                {"itemId": "C1", "count": 3},
                {"itemId": "C1-Q1", "count": 2},
                {"itemId": "C1-M1", "count": 1},
                {"itemId": "C2", "count": 1},
                {"itemId": "assignment-0123", "count": 1},
            ],
        },
        "class": {"interactions": 3, "items": [{"itemId": "C1", "count": 3}]},
        "material": {"interactions": 1, "items": [{"itemId": "C1-M1", "count": 1}]},
        "quiz": {"interactions": 2, "items": [{"itemId": "C1-Q1", "count": 2}]},
    }
    # what the ranking API reads back
    served = parse_popularity(json.dumps(document))
    assert served.ranked("quiz").scored(5) == [{"itemId": "C1-Q1", "score": 1.0}]
    assert served.ranked(None).scored(1) == [{"itemId": "C1", "score": 0.375}]


def test_popularity_keeps_the_most_popular_items_only() -> None:
    counts = {f"c{i:03d}": i for i in range(1, 601)}
    document = popularity_document(counts, {}, run_id="r", updated_at="t")
    kept = document["rankings"]["all"]["items"]
    assert len(kept) == 500
    assert kept[0] == {"itemId": "c600", "count": 600}
    assert document["rankings"]["all"]["interactions"] == sum(counts.values())
    assert document["rankings"]["quiz"] == {"interactions": 0, "items": []}
