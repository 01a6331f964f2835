"""Emulated resources for the eventing Lambdas (all created in the per-test clean `aws`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from iackit.emulator import Emulator
from iackit.emulator import sent_emails as emulator_sent_emails

BUS_NAME = "student-platform-test"
SENDER = "no-reply@student-platform.example"
STUDENTS_TABLE = "students-test"
CLASS_INDEX = "classId-index"
IDEMPOTENCY_TABLE = "notifier-idempotency-test"
INTERACTIONS_TABLE = "interactions-test"


@dataclass
class BusSink:
    """A custom bus with a catch-all rule delivering to an SQS queue: what was published."""

    name: str
    queue_url: str
    sqs: Any

    def received(self) -> list[dict[str, Any]]:
        """Drain the queue (moto delivers synchronously within PutEvents)."""
        events: list[dict[str, Any]] = []
        while True:
            messages = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not messages:
                return events
            for message in messages:
                events.append(json.loads(message["Body"]))
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )


@pytest.fixture
def bus(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> BusSink:
    events = boto3.client("events")
    sqs = boto3.client("sqs")
    events.create_event_bus(Name=BUS_NAME)
    queue_url = sqs.create_queue(QueueName="bus-sink")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    events.put_rule(
        Name="everything",
        EventBusName=BUS_NAME,
        EventPattern=json.dumps({"source": [{"prefix": "api."}]}),
    )
    events.put_targets(
        Rule="everything", EventBusName=BUS_NAME, Targets=[{"Id": "sink", "Arn": queue_arn}]
    )
    monkeypatch.setenv("EVENT_BUS_NAME", BUS_NAME)
    monkeypatch.setenv("PUBLISH_BACKOFF_BASE_MS", "1")
    monkeypatch.setenv("PUBLISH_BACKOFF_MAX_MS", "5")
    return BusSink(BUS_NAME, queue_url, sqs)


def _create_table(name: str, keys: list[tuple[str, str]], **extra: Any) -> Any:
    dynamodb = boto3.resource("dynamodb")
    attributes = {attr for attr, _ in keys}
    for index in extra.get("GlobalSecondaryIndexes", []):
        attributes.update(k["AttributeName"] for k in index["KeySchema"])
    table = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": attr, "KeyType": kind} for attr, kind in keys],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    table.wait_until_exists()
    return table


@pytest.fixture
def students_table(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Students (studentId) with GSI classId-index (classId, projection ALL), env set."""
    table = _create_table(
        STUDENTS_TABLE,
        [("studentId", "HASH")],
        GlobalSecondaryIndexes=[
            {
                "IndexName": CLASS_INDEX,
                "KeySchema": [{"AttributeName": "classId", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    monkeypatch.setenv("STUDENTS_TABLE_NAME", STUDENTS_TABLE)
    monkeypatch.setenv("STUDENTS_CLASS_INDEX", CLASS_INDEX)
    return table


@pytest.fixture
def idempotency_table(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> Any:
    table = _create_table(IDEMPOTENCY_TABLE, [("id", "HASH")])
    monkeypatch.setenv("IDEMPOTENCY_TABLE_NAME", IDEMPOTENCY_TABLE)
    return table


@pytest.fixture
def interactions_table(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> Any:
    table = _create_table(INTERACTIONS_TABLE, [("studentId", "HASH"), ("eventId", "RANGE")])
    monkeypatch.setenv("INTERACTIONS_TABLE_NAME", INTERACTIONS_TABLE)
    return table


@pytest.fixture
def sender(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """A verified SES sender, set as SENDER_EMAIL."""
    boto3.client("ses").verify_email_identity(EmailAddress=SENDER)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    monkeypatch.delenv("SES_CONFIGURATION_SET", raising=False)
    return SENDER


@pytest.fixture
def sent_emails(aws: Emulator) -> Callable[[], list[dict[str, Any]]]:
    """What the emulator's SES holds as sent: subject, body, destinations, source."""

    return lambda: emulator_sent_emails(aws.endpoint)
