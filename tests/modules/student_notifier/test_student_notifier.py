"""modules/student-notifier, composed with event-bus and ses-email in its example: what the
plan inventories (tftest.yaml) cannot state, and the apply on the emulator (function,
idempotency table, least-privilege policy read back, rule targets and Lambda permissions),
idempotency and destroy. Bad input is in modules/student-notifier/tests/*.tftest.hcl.

Emulator limits (moto 5.2.5):
- moto cannot run Lambda code (no Docker), and PutEvents raises NotImplementedError for a
  rule that matches and has a Lambda target. The apply therefore checks the Lambda target
  wiring as stored (target, retry policy, DLQ, resource policy per rule) and puts only an
  event the notifier rules do not match, proving that a Lambda-target rule on the bus does
  not break delivery to the other targets (the audit queue). The email itself is covered by
  the in-process notifier unit tests (tests/unit/eventing).
- ses-email runs without its configuration set and with event_destination = "none" (see
  tests/modules/ses_email).

The ReadStudents statement names the example's Students table, whose ARN is unknown until
apply (so is the whole role policy of that plan): it is checked on the policy read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit.paths import REPO_ROOT
from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/student-notifier/examples/notifications"
PACKAGE = str(REPO_ROOT / "build/lambda/notifier.zip")
FN = "module.notifier.module.function."


@pytest.mark.plan
def test_without_students_table_the_notifier_gets_no_table(
    planned: Callable[[Path, str], PlanResult],
) -> None:
    plan = planned(HERE, "detail_email")
    variables = plan.values[FN + "aws_lambda_function.this"]["environment"][0]["variables"]
    assert "STUDENTS_TABLE_NAME" not in variables
    assert "STUDENTS_CLASS_INDEX" not in variables


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


APPLY_VARS = {
    "package_path": PACKAGE,
    "name_prefix": "notify",
    "domain": "mail.notify.example",
    "sender_email": "no-reply@mail.notify.example",
    "ses_configuration_set": {"enabled": False, "event_destination": "none"},
    "ses_dkim_signing_key_length": None,
}
STUDENTS = "arn:aws:dynamodb:us-east-1:123456789012:table/notify-students"


def _assert_least_privilege(policy: dict[str, Any]) -> None:
    """The role's policy: exactly these statements, SendEmail only as the sender, read-only
    on the Students table and its class index, no wildcard action, no other table write."""
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert set(by_sid) == {
        "WriteOwnLogs",
        "SendToDeadLetterTarget",
        "WriteTraces",
        "SendEmail",
        "IdempotencyRecords",
        "ReadStudents",
    }
    assert by_sid["SendEmail"]["Condition"] == {
        "StringEquals": {"ses:FromAddress": "no-reply@mail.notify.example"}
    }
    # moto cannot read a configuration set back: the apply runs without one.
    assert sorted(_list(by_sid["SendEmail"]["Resource"])) == [
        "arn:aws:ses:us-east-1:123456789012:identity/mail.notify.example",
        "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.notify.example",
    ]
    read = by_sid["ReadStudents"]
    assert sorted(_list(read["Action"])) == ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
    assert sorted(_list(read["Resource"])) == [STUDENTS, f"{STUDENTS}/index/classId-index"]
    read_only = {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"}
    for sid, statement in by_sid.items():
        actions = _list(statement["Action"])
        assert all("*" not in action for action in actions), statement
        if sid != "IdempotencyRecords":  # no write on the Students table, ever
            assert not [a for a in actions if a.startswith("dynamodb:") and a not in read_only]


@pytest.mark.apply
def test_apply_wires_the_notifier_to_the_bus(
    applied: Callable[..., Any], boto: Callable[[str], Any]
) -> None:
    with applied(EXAMPLE, APPLY_VARS) as (ws, out):
        lam, events, ddb = boto("lambda"), boto("events"), boto("dynamodb")

        fn = lam.get_function(FunctionName=out["function_name"])["Configuration"]
        assert fn["Handler"] == "notifier.app.lambda_handler"
        env = fn["Environment"]["Variables"]
        assert env["SENDER_EMAIL"] == "no-reply@mail.notify.example"
        assert "SES_CONFIGURATION_SET" not in env
        assert env["IDEMPOTENCY_TABLE_NAME"] == out["idempotency_table_name"]
        assert env["STUDENTS_TABLE_NAME"] == out["students_table_name"]

        inline = boto("iam").get_role_policy(
            RoleName=out["role_name"], PolicyName="notify-student-notifier-least-privilege"
        )["PolicyDocument"]
        _assert_least_privilege(json.loads(inline) if isinstance(inline, str) else inline)

        table = ddb.describe_table(TableName=out["idempotency_table_name"])["Table"]
        assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert table["SSEDescription"]["Status"] == "ENABLED"
        ttl = ddb.describe_time_to_live(TableName=out["idempotency_table_name"])
        assert ttl["TimeToLiveDescription"] == {
            "TimeToLiveStatus": "ENABLED",
            "AttributeName": "expiration",
        }
        backups = ddb.describe_continuous_backups(TableName=out["idempotency_table_name"])
        pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"

        # The notifier is the Lambda target of two rules: one target each, shared DLQ,
        # and one resource-policy statement per rule, scoped to that rule's ARN.
        bus = out["bus_name"]
        dlqs = set()
        for rule_key in ("enrolled", "announcement"):
            (target,) = events.list_targets_by_rule(
                Rule=out["rule_names"][rule_key], EventBusName=bus
            )["Targets"]
            assert target["Id"] == "notifier"
            assert target["Arn"] == out["function_arn"]
            assert target["RetryPolicy"]["MaximumRetryAttempts"] == 8
            dlqs.add(target["DeadLetterConfig"]["Arn"])
        assert len(dlqs) == 1
        policy = json.loads(lam.get_policy(FunctionName=out["function_name"])["Policy"])
        source_arns = sorted(
            s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in policy["Statement"]
        )
        assert source_arns == sorted(
            [out["rule_arns"]["enrolled"], out["rule_arns"]["announcement"]]
        )
        assert {s["Principal"]["Service"] for s in policy["Statement"]} == {"events.amazonaws.com"}
        # The notifier's own DLQ (modules/sqs-dlq): the function sends with its role, so the
        # queue policy only denies requests without TLS.
        dlq = boto("sqs").get_queue_attributes(
            QueueUrl=out["notifier_dlq_url"], AttributeNames=["Policy"]
        )["Attributes"]
        assert [s["Sid"] for s in json.loads(dlq["Policy"])["Statement"]] == [
            "DenyInsecureTransport"
        ]

        # Traffic the notifier rules do not match still reaches the other targets
        # (moto delivers within PutEvents: one receive reads the audit queue).
        response = events.put_events(
            Entries=[
                {
                    "Source": "api.assignment",
                    "DetailType": "student.submitAssignment",
                    "Detail": json.dumps({"studentId": "1", "fileUrl": "https://f.example/1"}),
                    "EventBusName": bus,
                }
            ]
        )
        assert response["FailedEntryCount"] == 0
        received = boto("sqs").receive_message(
            QueueUrl=out["audit_queue_url"], MaxNumberOfMessages=10
        )
        audit = [json.loads(m["Body"])["detail-type"] for m in received.get("Messages", [])]
        assert audit == ["student.submitAssignment"]

        assert_no_changes(ws.plan(APPLY_VARS))
