"""modules/student-notifier, composed with event-bus and ses-email in its example: what the
plan inventories (tftest.yaml) cannot state, and the apply on the emulator (function,
idempotency table, least-privilege policy read back, rule targets and Lambda permissions),
idempotency and destroy. Bad input is in modules/student-notifier/tests/*.tftest.hcl.

What it sends is what is deployed: the example publishes the dependency layer `make
package` builds and the emulator's Lambda runtime runs the notifier's zip with it. Events
put on the bus with boto3 (as any client would) reach the notifier through its rules: one
student.enrolled sends exactly one email, a class's teacher.sendAnnouncement emails exactly
that class, and traffic no notifier rule matches invokes nothing but still reaches the
audit queue. ses-email runs without its configuration set and with event_destination =
"none" (see tests/modules/ses_email).

The ReadStudents statement names the example's Students table, whose ARN is unknown until
apply (so is the whole role policy of that plan): it is checked on the policy read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iackit.emulator import Emulator
from iackit.paths import REPO_ROOT
from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes
from tests.harness.deployed import emails_to, invocations, put_event, settled, wait_for

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
    applied: Callable[..., Any], boto: Callable[[str], Any], emulator: Emulator
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

        _assert_the_deployed_notifier_sends(boto, emulator, out)

        assert_no_changes(ws.plan(APPLY_VARS))


STUDENTS_SEEDED = {
    # studentId: (classId, email)
    "S1": ("A1", "an@student.example.com"),
    "S2": ("A1", "binh@student.example.com"),
    "S3": ("B2", "chi@student.example.com"),
}


def _assert_the_deployed_notifier_sends(
    boto: Callable[[str], Any], emulator: Emulator, out: dict[str, Any]
) -> None:
    """Events put on the bus reach the deployed notifier through its rules, and only them."""
    bus, function = out["bus_name"], out["function_name"]
    # Verified out of band in a real account (AWS's link, or DKIM records).
    boto("ses").verify_email_identity(EmailAddress="no-reply@mail.notify.example")
    for student_id, (class_id, email) in STUDENTS_SEEDED.items():
        boto("dynamodb").put_item(
            TableName=out["students_table_name"],
            Item={
                "studentId": {"S": student_id},
                "classId": {"S": class_id},
                "email": {"S": email},
                "name": {"S": f"Student {student_id}"},
                "language": {"S": "en"},
            },
        )
    an, binh, chi = (email for _, email in STUDENTS_SEEDED.values())

    # Nothing the notifier rules match: no invocation, the audit queue still gets it.
    put_event(
        boto,
        bus,
        "api.assignment",
        "student.submitAssignment",
        {"studentId": "S1", "fileUrl": "https://f.example/1"},
    )
    # student.enrolled: exactly one email, to the enrolled student, from one invocation.
    put_event(boto, bus, "api.student", "student.enrolled", {"studentId": "S1", "classId": "A1"})
    (email,) = wait_for(lambda: emails_to(emulator, an), what="the enrollment email")
    assert email["source"] == "no-reply@mail.notify.example"
    assert settled(boto, function, at_least=1) == 1
    assert emails_to(emulator, an) == [email]

    # teacher.sendAnnouncement to class A1: its two students, not the other class.
    put_event(
        boto,
        bus,
        "api.teacher",
        "teacher.sendAnnouncement",
        {"teacherId": "T1", "classId": "A1", "content": "Lớp A1 học bù thứ Bảy."},
    )
    wait_for(lambda: emails_to(emulator, binh), what="the announcement email")
    assert settled(boto, function, at_least=2) == 2
    assert len(emails_to(emulator, an)) == 2
    assert len(emails_to(emulator, binh)) == 1
    assert emails_to(emulator, chi) == []
    assert invocations(boto("logs"), function) == (2, 2)

    # The audit rule's queue saw all three events, each once.
    sqs, seen = boto("sqs"), []
    while len(seen) < 3:
        messages = sqs.receive_message(
            QueueUrl=out["audit_queue_url"], MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", [])
        if not messages:
            break
        seen += [json.loads(m["Body"])["detail-type"] for m in messages]
    assert sorted(seen) == [
        "student.enrolled",
        "student.submitAssignment",
        "teacher.sendAnnouncement",
    ]
