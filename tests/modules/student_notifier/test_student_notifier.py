"""modules/student-notifier, composed with event-bus and ses-email in its example, on the
emulator: function, idempotency table, least-privilege policy, rule targets and Lambda
permissions read back; events put on the bus reach the deployed notifier (zip + layer) through
its rules only (one email per enrollment, an announcement to its class only); idempotency and
destroy. ses-email runs without configuration set (see tests/modules/ses_email). The
ReadStudents statement names the example's Students table, unknown until apply (so is that
plan's whole role policy): it is checked on the policy read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from iackit.emulator import Emulator
from iackit.paths import REPO_ROOT
from tests.harness.assertions import as_list, assert_no_changes, policy_statements
from tests.harness.deployed import (
    drain,
    emails_to,
    inline_policy,
    invocations,
    put_event,
    settled,
    wait_for,
)

EXAMPLE = "modules/student-notifier/examples/notifications"
PACKAGE = str(REPO_ROOT / "build/lambda/notifier.zip")
Boto = Callable[[str], Any]
APPLY_VARS = {
    "package_path": PACKAGE,
    "name_prefix": "notify",
    "domain": "mail.notify.example",
    "sender_email": "no-reply@mail.notify.example",
    "ses_configuration_set": {"enabled": False, "event_destination": "none"},
    "ses_dkim_signing_key_length": None,
}
STUDENTS = "arn:aws:dynamodb:us-east-1:123456789012:table/notify-students"
READ_ONLY = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]


def _assert_least_privilege(policy: str | dict[str, Any]) -> None:
    """The role's policy: exactly these statements, SendEmail only as the sender, read-only
    on the Students table and its class index, no wildcard action, no other table write."""
    by_sid = policy_statements(policy)
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
    assert sorted(as_list(by_sid["SendEmail"]["Resource"])) == [
        "arn:aws:ses:us-east-1:123456789012:identity/mail.notify.example",
        "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.notify.example",
    ]
    read = by_sid["ReadStudents"]
    assert sorted(as_list(read["Action"])) == READ_ONLY
    assert sorted(as_list(read["Resource"])) == [STUDENTS, f"{STUDENTS}/index/classId-index"]
    for sid, statement in by_sid.items():
        actions = as_list(statement["Action"])
        assert all("*" not in action for action in actions), statement
        if sid != "IdempotencyRecords":  # no write on the Students table, ever
            assert not [a for a in actions if a.startswith("dynamodb:") and a not in READ_ONLY]


@pytest.mark.apply
def test_apply_wires_the_notifier_to_the_bus(
    applied: Callable[..., Any], boto: Boto, emulator: Emulator
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

        policy_name = "notify-student-notifier-least-privilege"
        _assert_least_privilege(inline_policy(boto, out["role_name"], policy_name))

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
        sources = [s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in policy["Statement"]]
        assert sorted(sources) == sorted(out["rule_arns"][k] for k in ("enrolled", "announcement"))
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
    boto: Boto, emulator: Emulator, out: dict[str, Any]
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
    submitted = {"studentId": "S1", "fileUrl": "https://f.example/1"}
    put_event(boto, bus, "api.assignment", "student.submitAssignment", submitted)
    # student.enrolled: exactly one email, to the enrolled student, from one invocation.
    put_event(boto, bus, "api.student", "student.enrolled", {"studentId": "S1", "classId": "A1"})
    (email,) = wait_for(lambda: emails_to(emulator, an), what="the enrollment email")
    assert email["source"] == "no-reply@mail.notify.example"
    assert settled(boto, function, at_least=1) == 1
    assert emails_to(emulator, an) == [email]

    # teacher.sendAnnouncement to class A1: its two students, not the other class.
    announced = {"teacherId": "T1", "classId": "A1", "content": "Lớp A1 học bù thứ Bảy."}
    put_event(boto, bus, "api.teacher", "teacher.sendAnnouncement", announced)
    wait_for(lambda: emails_to(emulator, binh), what="the announcement email")
    assert settled(boto, function, at_least=2) == 2
    assert len(emails_to(emulator, an)) == 2
    assert len(emails_to(emulator, binh)) == 1
    assert emails_to(emulator, chi) == []
    assert invocations(boto("logs"), function) == (2, 2)

    # The audit rule's queue saw all three events, each once.
    seen = [body["detail-type"] for body in drain(boto("sqs"), out["audit_queue_url"])]
    assert sorted(seen) == [
        "student.enrolled",
        "student.submitAssignment",
        "teacher.sendAnnouncement",
    ]
