"""EventBridge delivers to Lambda targets: asynchronously, with the target's input shaping,
retry policy and DLQ (without `patches/events.py` moto fails PutEvents with a 500, and the
earlier patch passed Lambda targets over)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from iackit.emulator import Emulator
from tests.harness_tests.test_lambda_runtime import client, deploy, log_messages, wait_for

__all__ = ["deploy"]  # the fixture, re-used
pytestmark = pytest.mark.unit

# The function forwards what it received to a queue (through the emulator endpoint and
# the runtime-provided boto3), so the test can read every delivery back.
FORWARD = """
import json, os
import boto3

def handler(event, context):
    boto3.client("sqs").send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(event))
"""
PATTERN = json.dumps({"source": ["school.enrolment"], "detail-type": ["student.enrolled"]})


def queue(aws: Emulator, name: str) -> tuple[str, str]:
    sqs = client(aws, "sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def drain(aws: Emulator, url: str, expected: int, timeout: float = 20.0) -> list[dict[str, Any]]:
    sqs, got = client(aws, "sqs"), []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(got) < expected:
        got += sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], WaitTimeSeconds=1
        ).get("Messages", [])
    return got


def put(aws: Emulator, bus: str, source: str, detail_type: str, detail: dict[str, Any]) -> None:
    entries = [
        {
            "EventBusName": bus,
            "Source": source,
            "DetailType": detail_type,
            "Detail": json.dumps(detail),
        }
    ]
    assert client(aws, "events").put_events(Entries=entries)["FailedEntryCount"] == 0


def test_a_rule_delivers_the_event_input_input_path_and_transformer(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    out_url, _ = queue(aws, "out")
    fn = deploy("forward", {"app.py": FORWARD}, Environment={"Variables": {"OUT": out_url}})
    events = client(aws, "events")
    events.create_event_bus(Name="school")
    events.put_rule(Name="enrolled", EventBusName="school", EventPattern=PATTERN)
    transformer = {
        "InputPathsMap": {"student": "$.detail.student", "course": "$.detail.course"},
        "InputTemplate": '{"text": "<student> joined <course>", "student": <student>,'
        ' "rule": "<aws.events.rule-name>"}',
    }
    events.put_targets(
        Rule="enrolled",
        EventBusName="school",
        Targets=[
            {"Id": "whole", "Arn": fn},
            {"Id": "constant", "Arn": fn, "Input": '{"fixed": true}'},
            {"Id": "path", "Arn": fn, "InputPath": "$.detail"},
            {"Id": "transformed", "Arn": fn, "InputTransformer": transformer},
        ],
    )
    put(aws, "school", "school.enrolment", "student.dropped", {"student": "bo", "course": "art"})
    put(
        aws, "school", "school.enrolment", "student.enrolled", {"student": "ada", "course": "maths"}
    )

    bodies = [
        json.loads(m["Body"]) for m in drain(aws, out_url, 4) + drain(aws, out_url, 1, timeout=1)
    ]
    assert len(bodies) == 4, bodies  # one per target; the dropped event matched nothing
    whole = next(b for b in bodies if "detail-type" in b)
    assert whole["detail"] == {"student": "ada", "course": "maths"}
    assert whole["source"] == "school.enrolment"
    assert whole["time"].endswith("Z")
    assert {"fixed": True} in bodies
    assert {"student": "ada", "course": "maths"} in bodies
    assert {"text": "ada joined maths", "student": "ada", "rule": "enrolled"} in bodies


def test_an_event_that_matches_no_rule_invokes_nothing(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    out_url, _ = queue(aws, "out")
    fn = deploy("forward", {"app.py": FORWARD}, Environment={"Variables": {"OUT": out_url}})
    events = client(aws, "events")
    events.put_rule(Name="enrolled", EventPattern=PATTERN)
    events.put_targets(Rule="enrolled", Targets=[{"Id": "fn", "Arn": fn}])
    put(aws, "default", "school.enrolment", "student.dropped", {"student": "bo"})
    put(aws, "default", "school.other", "student.enrolled", {"student": "bo"})
    assert drain(aws, out_url, 1, timeout=2) == []
    assert log_messages(aws, "forward") == []


def test_an_unreachable_target_is_retried_per_its_policy_then_sent_to_its_dlq(
    aws: Emulator,
) -> None:
    dlq_url, dlq_arn = queue(aws, "target-dlq")
    events = client(aws, "events")
    rule_arn = events.put_rule(Name="enrolled", EventPattern=PATTERN)["RuleArn"]
    missing = "arn:aws:lambda:us-east-1:123456789012:function:gone"
    events.put_targets(
        Rule="enrolled",
        Targets=[
            {
                "Id": "gone",
                "Arn": missing,
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
                "DeadLetterConfig": {"Arn": dlq_arn},
            }
        ],
    )
    put(aws, "default", "school.enrolment", "student.enrolled", {"student": "cy"})
    (message,) = drain(aws, dlq_url, 1)
    assert json.loads(message["Body"])["detail"] == {"student": "cy"}
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["RULE_ARN"] == rule_arn
    assert attributes["TARGET_ARN"] == missing
    assert attributes["ERROR_CODE"] == "ResourceNotFoundException"
    assert attributes["RETRY_ATTEMPTS"] == "2"
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttemptsExhausted"


def test_a_failing_lambda_target_follows_the_functions_async_retries_and_dlq(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    dlq_url, dlq_arn = queue(aws, "fn-dlq")
    fn = deploy(
        "fails",
        {"app.py": "def handler(event, context):\n    raise KeyError('course')\n"},
        DeadLetterConfig={"TargetArn": dlq_arn},
    )
    client(aws, "lambda").put_function_event_invoke_config(
        FunctionName="fails", MaximumRetryAttempts=2
    )
    events = client(aws, "events")
    events.put_rule(Name="enrolled", EventPattern=PATTERN)
    events.put_targets(Rule="enrolled", Targets=[{"Id": "fn", "Arn": fn, "InputPath": "$.detail"}])
    put(aws, "default", "school.enrolment", "student.enrolled", {"student": "di"})
    (message,) = drain(aws, dlq_url, 1)
    assert json.loads(message["Body"]) == {"student": "di"}
    assert message["MessageAttributes"]["ErrorMessage"]["StringValue"] == "'course'"
    starts = wait_for(lambda: [m for m in log_messages(aws, "fails") if m.startswith("START")])
    assert len(starts) == 3
