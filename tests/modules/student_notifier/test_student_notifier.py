"""modules/student-notifier, composed with event-bus and ses-email in its example: plan
inventory, least-privilege policy, apply on the emulator (function, idempotency table, rule
targets and Lambda permissions), idempotency, destroy, bad input.

Emulator limits (moto 5.2.5):
- moto cannot run Lambda code (no Docker), and PutEvents raises NotImplementedError for a
  rule that matches and has a Lambda target. The apply therefore checks the Lambda target
  wiring as stored (target, retry policy, DLQ, resource policy per rule) and puts only an
  event the notifier rules do not match, proving that a Lambda-target rule on the bus does
  not break delivery to the other targets (the audit queue). The email itself is covered by
  the in-process notifier unit tests (tests/unit/eventing).
- ses-email runs without its configuration set and with event_destination = "none" (see
  tests/modules/ses_email).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iackit.paths import REPO_ROOT
from iackit.tf import TerraformError
from tests.harness.assertions import assert_inventory, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/student-notifier/examples/notifications"
INPUTS = "tests/modules/student_notifier/inputs"
PACKAGE = str(REPO_ROOT / "build/lambda/notifier.zip")
FN = "module.notifier.module.function."


@pytest.fixture(scope="module", autouse=True)
def _queues_wait_in_parallel():
    """The provider waits ~30 s after creating and ~2 min after deleting each SQS queue
    (waiters tuned for real AWS); let every queue of the example wait at the same time
    instead of in batches of Terraform's default parallelism of 10."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TF_CLI_ARGS_apply", "-parallelism=50")
        patch.setenv("TF_CLI_ARGS_destroy", "-parallelism=50")
        yield


@pytest.fixture(scope="module")
def example(workspace):
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def inputs(workspace):
    return workspace(INPUTS)


@pytest.mark.plan
def test_plan_matches_inventory(example) -> None:
    assert_inventory(example.plan({"package_path": PACKAGE}), HERE / "inventory.yaml")


def _statements(plan) -> dict[str, dict[str, Any]]:
    policy = json.loads(plan.values[FN + "aws_iam_role_policy.function"]["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.plan
def test_policy_is_least_privilege(inputs) -> None:
    statements = _statements(inputs.plan({"package_path": PACKAGE}))
    assert set(statements) == {
        "WriteOwnLogs",
        "SendToDeadLetterTarget",
        "WriteTraces",
        "SendEmail",
        "IdempotencyRecords",
        "ReadStudents",
    }
    send = statements["SendEmail"]
    assert send["Action"] == "ses:SendEmail"
    assert sorted(_list(send["Resource"])) == [
        "arn:aws:ses:us-east-1:123456789012:configuration-set/inputs-student-email",
        "arn:aws:ses:us-east-1:123456789012:identity/mail.inputs.example",
        "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.inputs.example",
    ]
    assert send["Condition"] == {
        "StringEquals": {"ses:FromAddress": "no-reply@mail.inputs.example"}
    }
    read = statements["ReadStudents"]
    assert sorted(_list(read["Action"])) == ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
    assert sorted(_list(read["Resource"])) == [
        "arn:aws:dynamodb:us-east-1:123456789012:table/inputs-students",
        "arn:aws:dynamodb:us-east-1:123456789012:table/inputs-students/index/classId-index",
    ]
    records = statements["IdempotencyRecords"]
    assert sorted(_list(records["Action"])) == [
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ]
    for statement in statements.values():
        assert all("*" not in action for action in _list(statement["Action"])), statement
        # No write on the Students table, ever.
        if statement["Sid"] != "IdempotencyRecords":
            assert not any(
                a.startswith("dynamodb:")
                and a != "dynamodb:GetItem"
                and a not in {"dynamodb:Query", "dynamodb:Scan"}
                for a in _list(statement["Action"])
            )


@pytest.mark.plan
def test_without_students_table_the_notifier_uses_detail_email(inputs) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    plan = inputs.plan(
        {
            "package_path": PACKAGE,
            "students_table_name": None,
            "students_table_arn": None,
            "configuration_set_name": None,
            "kms_key_arn": key,
        }
    )
    statements = _statements(plan)
    assert "ReadStudents" not in statements
    assert sorted(_list(statements["SendEmail"]["Resource"])) == [
        "arn:aws:ses:us-east-1:123456789012:identity/mail.inputs.example",
        "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.inputs.example",
    ]
    assert sorted(statements["EncryptDeadLetters"]["Action"]) == [
        "kms:Decrypt",
        "kms:GenerateDataKey",
    ]
    variables = plan.values[FN + "aws_lambda_function.this"]["environment"][0]["variables"]
    assert "STUDENTS_TABLE_NAME" not in variables
    assert "SES_CONFIGURATION_SET" not in variables
    table = plan.values["module.notifier.aws_dynamodb_table.idempotency"]
    assert table["server_side_encryption"][0]["kms_key_arn"].endswith(
        ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    dlq = plan.values["module.notifier.aws_sqs_queue.dlq[0]"]
    assert dlq["kms_master_key_id"].endswith(":key/1234abcd-12ab-34cd-56ef-1234567890ab")


APPLY_VARS = {
    "package_path": PACKAGE,
    "name_prefix": "notify",
    "domain": "mail.notify.example",
    "sender_email": "no-reply@mail.notify.example",
    "ses_event_destination": "none",
    "ses_create_configuration_set": False,
    "ses_dkim_signing_key_length": None,
}


def _drain(sqs, url: str) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


@pytest.mark.apply
def test_apply_wires_the_notifier_to_the_bus(applied, boto) -> None:
    with applied(EXAMPLE, APPLY_VARS) as (ws, out):
        lam, events, ddb = boto("lambda"), boto("events"), boto("dynamodb")

        fn = lam.get_function(FunctionName=out["function_name"])["Configuration"]
        assert fn["Handler"] == "notifier.app.lambda_handler"
        env = fn["Environment"]["Variables"]
        assert env["SENDER_EMAIL"] == "no-reply@mail.notify.example"
        # moto cannot read a configuration set back: the apply runs without one.
        assert "SES_CONFIGURATION_SET" not in env
        assert env["IDEMPOTENCY_TABLE_NAME"] == out["idempotency_table_name"]
        assert env["STUDENTS_TABLE_NAME"] == out["students_table_name"]

        inline = boto("iam").get_role_policy(
            RoleName=out["role_name"], PolicyName="notify-student-notifier-least-privilege"
        )["PolicyDocument"]
        inline = json.loads(inline) if isinstance(inline, str) else inline
        by_sid = {s["Sid"]: s for s in inline["Statement"]}
        assert by_sid["SendEmail"]["Condition"] == {
            "StringEquals": {"ses:FromAddress": "no-reply@mail.notify.example"}
        }
        assert sorted(_list(by_sid["SendEmail"]["Resource"])) == [
            "arn:aws:ses:us-east-1:123456789012:identity/mail.notify.example",
            "arn:aws:ses:us-east-1:123456789012:identity/no-reply@mail.notify.example",
        ]
        assert any(
            r.endswith(":table/notify-students/index/classId-index")
            for r in _list(by_sid["ReadStudents"]["Resource"])
        )

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

        # Traffic the notifier rules do not match still reaches the other targets.
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
        audit = _drain(boto("sqs"), out["audit_queue_url"])
        assert [b["detail-type"] for b in audit] == ["student.submitAssignment"]

        assert_no_changes(ws.plan(APPLY_VARS))


BAD_INPUTS = [
    ({"sender_email": "no-reply@"}, "sender_email must be a valid email address"),
    ({"students_table_arn": None}, "students_table_name and students_table_arn go together"),
    ({"ses_identity_arns": ["mail.example.com"]}, "ses_identity_arns must be a non-empty list"),
    ({"ses_identity_arns": []}, "ses_identity_arns must be a non-empty list"),
    ({"name_prefix": "-dev"}, "name_prefix must be 2-16 characters"),
    ({"kms_key_arn": "alias/mine"}, "kms_key_arn must be a KMS key ARN"),
]


@pytest.mark.plan
@pytest.mark.parametrize(("variables", "message"), BAD_INPUTS, ids=[m[:40] for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(inputs, variables, message) -> None:
    with pytest.raises(TerraformError) as error:
        inputs.plan({"package_path": PACKAGE, **variables})
    assert message in " ".join(str(error.value).split())
