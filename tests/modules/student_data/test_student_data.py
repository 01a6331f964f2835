"""modules/student-data on the emulator: tables, key, ingestion function, its DLQ and least
privilege read back with boto3, the deployed ingestion invoked (one row, then a duplicate),
then idempotency and destroy.

Plan variants are data (tftest.yaml, *.tfvars, *.yaml); bad inputs are run blocks of
modules/student-data/tests/*.tftest.hcl.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iackit.emulator import ACCOUNT_ID, REGION
from iackit.lambda_events import eventbridge_event
from iackit.paths import REPO_ROOT
from tests.harness.assertions import assert_no_changes
from tests.harness.deployed import invoke

HERE = Path(__file__).parent
EXAMPLE = "modules/student-data/examples/basic"
PREFIX = "sdtest"
RULE_ARN = f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{PREFIX}-bus/{PREFIX}-student-enrolled"
VARIABLES = {
    "name_prefix": PREFIX,
    "ingestion_package_path": str(REPO_ROOT / "build/lambda/ingestion.zip"),
    "event_rule_arns": {"enrolled": RULE_ARN},
}
KEY_SCHEMAS = {
    "students": [("studentId", "HASH")],
    "interactions": [("studentId", "HASH"), ("eventId", "RANGE")],
    "class_activity": [("classId", "HASH"), ("activityId", "RANGE")],
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.plan
def test_no_table_sets_provisioned_capacity(planned) -> None:
    """On-demand tables (billing_mode is in basic.yaml) leave capacity unset: an inventory
    cannot state that an attribute is absent from the plan."""
    for address, table in planned(HERE, "basic").by_type("aws_dynamodb_table").items():
        assert not table.get("read_capacity"), address
        assert not table.get("write_capacity"), address


@pytest.mark.apply
def test_apply_creates_tables_and_ingestion_then_converges_and_destroys(applied, boto) -> None:
    with applied(EXAMPLE, VARIABLES) as (ws, outputs):
        ddb = boto("dynamodb")
        key_arn = outputs["kms_key_arn"]
        assert set(outputs["tables"]) == set(KEY_SCHEMAS)
        for key, table_out in outputs["tables"].items():
            table = ddb.describe_table(TableName=table_out["name"])["Table"]
            key_schema = [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]]
            assert key_schema == KEY_SCHEMAS[key]
            assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
            assert table["SSEDescription"]["SSEType"] == "KMS"
            assert table["SSEDescription"]["KMSMasterKeyArn"] == key_arn
            assert table["DeletionProtectionEnabled"] is False
            backups = ddb.describe_continuous_backups(TableName=table_out["name"])
            pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
            assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"

        interactions = ddb.describe_table(TableName=f"{PREFIX}-Interactions")["Table"]
        assert interactions["StreamSpecification"] == {
            "StreamEnabled": True,
            "StreamViewType": "NEW_IMAGE",
        }
        assert outputs["tables"]["interactions"]["stream_arn"] == interactions["LatestStreamArn"]
        students = ddb.describe_table(TableName=f"{PREFIX}-Students")["Table"]
        (gsi,) = students["GlobalSecondaryIndexes"]
        assert gsi["IndexName"] == "classId-index"
        assert gsi["KeySchema"] == [{"AttributeName": "classId", "KeyType": "HASH"}]

        assert boto("kms").get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True

        lam = boto("lambda")
        config = lam.get_function(FunctionName=outputs["ingestion_function_name"])["Configuration"]
        assert config["Handler"] == "ingestion.app.lambda_handler"
        assert config["Environment"]["Variables"]["INTERACTIONS_TABLE_NAME"] == (
            f"{PREFIX}-Interactions"
        )
        assert config["KMSKeyArn"] == key_arn
        assert config["TracingConfig"] == {"Mode": "Active"}
        assert config["DeadLetterConfig"] == {"TargetArn": outputs["ingestion_dlq_arn"]}
        sqs = boto("sqs")
        dlq_url = sqs.get_queue_url(QueueName=outputs["ingestion_dlq_arn"].split(":")[-1])
        dlq = sqs.get_queue_attributes(
            QueueUrl=dlq_url["QueueUrl"], AttributeNames=["KmsMasterKeyId", "Policy"]
        )["Attributes"]
        assert dlq["KmsMasterKeyId"] == key_arn
        assert dlq_url["QueueUrl"] == outputs["ingestion_dlq_url"]
        # modules/sqs-dlq: the function sends with its role; the policy only requires TLS.
        assert [s["Sid"] for s in json.loads(dlq["Policy"])["Statement"]] == [
            "DenyInsecureTransport"
        ]

        # Least privilege: PutItem on Interactions and ClassActivity; on Students only an
        # UpdateItem limited to the key, the classes and the profile (the only writer).
        role_name = outputs["ingestion_role_arn"].rsplit("/", 1)[-1]
        document = boto("iam").get_role_policy(
            RoleName=role_name, PolicyName=f"{PREFIX}-ingestion-least-privilege"
        )["PolicyDocument"]
        statements = (json.loads(document) if isinstance(document, str) else document)["Statement"]
        dynamodb = {
            a: s for s in statements for a in _as_list(s["Action"]) if a.startswith("dynamodb:")
        }
        assert set(dynamodb) == {"dynamodb:PutItem", "dynamodb:UpdateItem"}
        assert sorted(_as_list(dynamodb["dynamodb:PutItem"]["Resource"])) == sorted(
            [outputs["tables"]["interactions"]["arn"], outputs["tables"]["class_activity"]["arn"]]
        )
        update = dynamodb["dynamodb:UpdateItem"]
        assert _as_list(update["Resource"]) == [outputs["tables"]["students"]["arn"]]
        assert sorted(
            _as_list(update["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"])
        ) == ["classId", "classIds", "email", "language", "name", "studentId", "updatedAt"]
        for statement in statements:
            assert all("*" not in a for a in _as_list(statement["Action"])), statement

        (grant,) = json.loads(
            lam.get_policy(FunctionName=outputs["ingestion_function_name"])["Policy"]
        )["Statement"]
        assert grant["Principal"] == {"Service": "events.amazonaws.com"}
        assert grant["Condition"]["ArnLike"]["AWS:SourceArn"] == RULE_ARN

        # The deployed ingestion (zip + dependency layer) given the event its rule delivers
        # (the example has no bus): one interaction row, then the same event is a duplicate.
        event = eventbridge_event(
            "student.enrolled", {"studentId": "S1", "classId": "A1"}, source="api.student"
        )
        answer = invoke(boto, outputs["ingestion_function_name"], event)
        assert answer["duplicate"] is False, answer
        (row,) = ddb.scan(TableName=f"{PREFIX}-Interactions")["Items"]
        assert {k: row[k] for k in ("studentId", "eventId", "itemId", "eventType")} == {
            "studentId": {"S": "S1"},
            "eventId": {"S": event["id"]},
            "itemId": {"S": "A1"},
            "eventType": {"S": "enrolled"},
        }
        assert invoke(boto, outputs["ingestion_function_name"], event)["duplicate"] is True
        assert ddb.scan(TableName=f"{PREFIX}-Interactions")["Count"] == 1
        # S1 is not in Students: recorded, not retried, Students untouched.
        assert answer["student"] == "unknown", answer
        assert ddb.scan(TableName=f"{PREFIX}-Students")["Count"] == 0
        # A registration creates the student's row (the deployed writer, UpdateItem only) ...
        registered = eventbridge_event(
            "student.registered",
            {"studentId": "S2", "name": "Trần Thị Bình", "email": "binh@example.com"},
            source="api.student",
        )
        answer = invoke(boto, outputs["ingestion_function_name"], registered)
        assert answer["student"] == "registered", answer
        student = ddb.get_item(TableName=f"{PREFIX}-Students", Key={"studentId": {"S": "S2"}})
        assert {k: student["Item"][k] for k in ("name", "email", "language")} == {
            "name": {"S": "Trần Thị Bình"},
            "email": {"S": "binh@example.com"},
            "language": {"S": "vi"},
        }
        # ... a known student gets the class in classIds; an announcement lands in ClassActivity.
        enrolled = eventbridge_event(
            "student.enrolled", {"studentId": "S2", "classId": "A1"}, source="api.student"
        )
        assert invoke(boto, outputs["ingestion_function_name"], enrolled)["student"] == "updated"
        student = ddb.get_item(TableName=f"{PREFIX}-Students", Key={"studentId": {"S": "S2"}})
        assert student["Item"]["classIds"] == {"SS": ["A1"]}
        announcement = eventbridge_event(
            "teacher.sendAnnouncement",
            {"teacherId": "T1", "classId": "A1", "content": "Quiz Friday"},
            source="api.teacher",
        )
        answer = invoke(boto, outputs["ingestion_function_name"], announcement)
        assert answer["classActivity"] == "written", answer
        (activity,) = ddb.scan(TableName=f"{PREFIX}-ClassActivity")["Items"]
        assert activity["activityId"] == {"S": f"announcement#{announcement['id']}"}

        assert_no_changes(ws.plan(VARIABLES))
