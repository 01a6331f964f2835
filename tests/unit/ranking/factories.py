"""Emulator resources and seed data for the ranking tests (the `aws` fixture's moto server)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import boto3

INTERACTIONS = "test-interactions"
STUDENTS = "test-students"
CLASS_ACTIVITY = "test-class-activity"
BUCKET = "test-ranking-data"
CRAWLER = "test-export-crawler"
WATERMARK_PARAM = "/test/ranking/watermark"
RANKING_PARAM = "/test/ranking/current"
BUS = "test-bus"
BASE_TS = 1_735_689_600  # 2025-01-01T00:00:00Z


def create_tables(dynamodb: Any) -> None:
    specs = {
        INTERACTIONS: [("studentId", "HASH"), ("eventId", "RANGE")],
        STUDENTS: [("studentId", "HASH")],
        CLASS_ACTIVITY: [("classId", "HASH"), ("activityId", "RANGE")],
    }
    for name, keys in specs.items():
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": k, "KeyType": t} for k, t in keys],
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k, _ in keys],
            BillingMode="PAY_PER_REQUEST",
        )


def create_bucket(s3: Any) -> None:
    s3.create_bucket(Bucket=BUCKET)


def create_crawler(glue: Any) -> None:
    glue.create_database(DatabaseInput={"Name": "test_db"})
    glue.create_crawler(
        Name=CRAWLER,
        Role="arn:aws:iam::123456789012:role/test-crawler",
        DatabaseName="test_db",
        Targets={"S3Targets": [{"Path": f"s3://{BUCKET}/personalize/export/"}]},
    )


def put_items(table_name: str, items: Iterable[Mapping[str, Any]]) -> None:
    table = boto3.resource("dynamodb").Table(table_name)
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=dict(item))


def interaction(
    user: str, n: int, item: str, ts: int, event_type: str = "enrolled"
) -> dict[str, Any]:
    return {
        "studentId": user,
        "eventId": f"evt-{user}-{n:05d}",
        "itemId": item,
        "eventType": event_type,
        "timestamp": ts,
        "source": "api.student",
    }


def dense_interactions(users: int, per_user: int) -> list[dict[str, Any]]:
    """``users`` x ``per_user`` valid interactions over 7 classes."""
    rows = []
    for u in range(users):
        for n in range(per_user):
            rows.append(
                interaction(
                    f"stu-{u:03d}",
                    n,
                    f"class-{(u + n) % 7}",
                    BASE_TS + u * 1000 + n,
                    "enrolled" if n % 2 == 0 else "submitAssignment",
                )
            )
    return rows


def read_csv(s3: Any, uri: str) -> list[list[str]]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
    return list(csv.reader(io.StringIO(body)))
