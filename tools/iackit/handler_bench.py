"""Handler figures on the emulator, in-process: publish and email throughput, export rows
per second, ranking latency. Imports the Lambda code, so `bench` loads it lazily."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3

from iackit.emulator import Emulator
from iackit.lambda_events import eventbridge_event
from iackit.packaging import LAMBDA_SRC

if str(LAMBDA_SRC) not in sys.path:
    sys.path.insert(0, str(LAMBDA_SRC))

from notifier.notify import Settings, notify
from publisher.publish import EventEntry, publish
from ranking.app import Caches, RankingSettings, rank
from training.common import RunContext
from training.export import ExportSettings, export

Report = Callable[..., None]
PUBLISH_BATCHES = 50
EMAILS = 200
EXPORT_ROWS = 5000
RANKING_CALLS = 300
SENDER = "noreply@bench.example.com"


def _table(ddb: Any, name: str, keys: list[tuple[str, str]]) -> None:
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": k, "KeyType": t} for k, t in keys],
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k, _ in keys],
        BillingMode="PAY_PER_REQUEST",
    )


def run(
    emulator: Emulator,
    report: Report,
    throughput: Callable[..., None],
    latency: Callable[[str, list[float]], None],
) -> None:
    client = boto3.client
    events, ses, ddb, s3 = client("events"), client("sesv2"), client("dynamodb"), client("s3")
    events.create_event_bus(Name="bench-bus")
    entries = [
        EventEntry.create("student.enrolled", {"studentId": f"S{i}", "classId": "A1"})
        for i in range(10)
    ]
    throughput(
        f"publisher: {PUBLISH_BATCHES * 10} events via PutEvents",
        PUBLISH_BATCHES * 10,
        "events",
        lambda: [publish(entries, "bench-bus", events) for _ in range(PUBLISH_BATCHES)],
    )

    client("ses").verify_email_identity(EmailAddress=SENDER)
    settings = Settings(sender=SENDER)
    mails = [
        eventbridge_event(
            "student.enrolled",
            {"studentId": f"S{i}", "classId": "A1", "email": f"s{i}@bench.example.com"},
            source="api.student",
        )
        for i in range(EMAILS)
    ]
    throughput(
        f"notifier: {EMAILS} emails (SES v2 SendEmail)",
        EMAILS,
        "emails",
        lambda: [notify(m, ses=ses, students_table=None, settings=settings) for m in mails],
    )

    _table(ddb, "bench-Interactions", [("studentId", "HASH"), ("eventId", "RANGE")])
    _table(ddb, "bench-Students", [("studentId", "HASH")])
    _table(ddb, "bench-ClassActivity", [("classId", "HASH"), ("activityId", "RANGE")])
    table = boto3.resource("dynamodb").Table("bench-Interactions")
    with table.batch_writer() as batch:
        for i in range(EXPORT_ROWS):
            batch.put_item(
                Item={
                    "studentId": f"S{i % 200}",
                    "eventId": f"e{i}",
                    "itemId": f"C{i % 40}",
                    "eventType": "enrolled",
                    "timestamp": 1_760_000_000 + i,
                }
            )
    s3.create_bucket(Bucket="bench-lake")
    export_settings = ExportSettings(
        interactions_table="bench-Interactions",
        students_table="bench-Students",
        class_activity_table="bench-ClassActivity",
        bucket="bench-lake",
    )
    run_ctx = RunContext(
        run_id="20260101T020000Z",
        run_date="2026-01-01",
        force_full=True,
        trigger="manual",
        recipe_arn=None,
    )
    throughput(
        f"export: {EXPORT_ROWS} interactions to CSV in S3",
        EXPORT_ROWS,
        "rows",
        lambda: export(
            export_settings, run_ctx, dynamodb=ddb, s3=s3, ssm=client("ssm"), glue=client("glue")
        ),
    )

    # The export above published the popularity object the fallback reads (one GetObject).
    ranking_settings = RankingSettings(
        parameter_name="/bench/ranking/current",
        popularity_bucket="bench-lake",
        popularity_key="personalize/batch/popularity/current.json",
    )
    caches = Caches()
    clients = {
        "ssm": client("ssm"),
        "personalize_runtime": client("personalize-runtime"),
        "s3": s3,
    }
    for label, fresh, calls in (
        ("warm caches", False, RANKING_CALLS),
        ("cold caches, one popularity GetObject", True, 50),
    ):
        samples = []
        for i in range(calls):
            if fresh:
                caches.clear()
            started = time.perf_counter()
            body = rank(f"S{i % 200}", 10, settings=ranking_settings, caches=caches, **clients)
            samples.append(time.perf_counter() - started)
        latency(f"ranking rank() x{calls}, {label}", samples)
    report("ranking: source of the answers", body["source"])
    report("bench finished at", datetime.now(UTC).isoformat(timespec="seconds"))
