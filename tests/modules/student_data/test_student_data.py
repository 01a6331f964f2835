"""modules/student-data: tables (keys, billing, PITR, SSE-KMS, deletion protection, stream),
the ingestion function's least privilege, apply on the emulator, idempotency, destroy and
bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit.emulator import ACCOUNT_ID, REGION
from iackit.paths import REPO_ROOT
from tests.harness.assertions import assert_inventory, assert_no_changes
from tests.modules.student_data.helpers import BadInputBatches, Case

HERE = Path(__file__).parent
EXAMPLE = "modules/student-data/examples/basic"
PREFIX = "sdtest"
INGESTION_ZIP = str(REPO_ROOT / "build/lambda/ingestion.zip")
BASE_VARS = {"name_prefix": PREFIX, "ingestion_package_path": INGESTION_ZIP}
EXTERNAL_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555"
RULE_ARN = f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{PREFIX}-bus/{PREFIX}-student-enrolled"
TABLE = 'module.student_data.aws_dynamodb_table.this["{}"]'


@pytest.fixture(scope="module")
def ws(workspace):
    """One initialised copy of the example, planned with several variable sets."""
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(ws):
    return ws.plan(BASE_VARS)


def _attributes(values: dict) -> dict[str, str]:
    return {a["name"]: a["type"] for a in values["attribute"]}


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_table_keys_are_declared_as_strings(plan) -> None:
    assert _attributes(plan.values[TABLE.format("students")]) == {"studentId": "S", "classId": "S"}
    assert _attributes(plan.values[TABLE.format("interactions")]) == {
        "studentId": "S",
        "eventId": "S",
    }
    assert _attributes(plan.values[TABLE.format("class_activity")]) == {
        "classId": "S",
        "activityId": "S",
    }
    # Every table is on-demand: no provisioned capacity anywhere.
    for address, table in plan.by_type("aws_dynamodb_table").items():
        assert table["billing_mode"] == "PAY_PER_REQUEST", address
        assert not table.get("read_capacity"), address
        assert not table.get("write_capacity"), address


@pytest.mark.plan
def test_prod_variant_protects_tables_and_uses_given_key(ws) -> None:
    variant = ws.plan(
        {
            **BASE_VARS,
            "deletion_protection_enabled": True,
            "point_in_time_recovery_enabled": False,
            "kms_key_arn": EXTERNAL_KEY,
            "event_rule_arns": {"enrolled": RULE_ARN},
        }
    )
    tables = variant.by_type("aws_dynamodb_table")
    assert len(tables) == 3
    for address, table in tables.items():
        assert table["deletion_protection_enabled"] is True, address
        assert table["point_in_time_recovery"][0]["enabled"] is False, address
        assert table["server_side_encryption"] == [{"enabled": True, "kms_key_arn": EXTERNAL_KEY}]
    # A given key replaces the module's own key.
    assert not variant.by_type("aws_kms_key")
    assert not variant.by_type("aws_kms_alias")
    dlq = variant.values["module.student_data.aws_sqs_queue.ingestion_dlq[0]"]
    assert dlq["kms_master_key_id"] == EXTERNAL_KEY
    assert dlq["name"] == f"{PREFIX}-ingestion-dlq"
    fn = variant.values["module.student_data.module.ingestion.aws_lambda_function.this"]
    assert fn["kms_key_arn"] == EXTERNAL_KEY
    permissions = variant.by_type("aws_lambda_permission")
    assert len(permissions) == 1
    (permission,) = permissions.values()
    assert permission["principal"] == "events.amazonaws.com"
    assert permission["source_arn"] == RULE_ARN
    assert permission["action"] == "lambda:InvokeFunction"


@pytest.mark.apply
def test_apply_creates_tables_and_ingestion_then_converges_and_destroys(applied, boto) -> None:
    variables = {**BASE_VARS, "event_rule_arns": {"enrolled": RULE_ARN}}
    with applied(EXAMPLE, variables) as (ws, outputs):
        ddb = boto("dynamodb")
        key_arn = outputs["kms_key_arn"]
        expected_keys = {
            "students": [("studentId", "HASH")],
            "interactions": [("studentId", "HASH"), ("eventId", "RANGE")],
            "class_activity": [("classId", "HASH"), ("activityId", "RANGE")],
        }
        for key, table_out in outputs["tables"].items():
            table = ddb.describe_table(TableName=table_out["name"])["Table"]
            assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == (
                expected_keys[key]
            )
            assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
            assert table["SSEDescription"]["SSEType"] == "KMS"
            assert table["SSEDescription"]["KMSMasterKeyArn"] == key_arn
            assert table["DeletionProtectionEnabled"] is False
            backups = ddb.describe_continuous_backups(TableName=table_out["name"])
            pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
            assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
        assert set(outputs["tables"]) == set(expected_keys)

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

        fn = boto("lambda").get_function(FunctionName=outputs["ingestion_function_name"])
        config = fn["Configuration"]
        assert config["Handler"] == "ingestion.app.lambda_handler"
        assert config["Environment"]["Variables"]["INTERACTIONS_TABLE_NAME"] == (
            f"{PREFIX}-Interactions"
        )
        assert config["KMSKeyArn"] == key_arn
        assert config["TracingConfig"] == {"Mode": "Active"}
        assert config["DeadLetterConfig"] == {"TargetArn": outputs["ingestion_dlq_arn"]}
        dlq_url = boto("sqs").get_queue_url(QueueName=outputs["ingestion_dlq_arn"].split(":")[-1])
        dlq = boto("sqs").get_queue_attributes(
            QueueUrl=dlq_url["QueueUrl"], AttributeNames=["KmsMasterKeyId"]
        )["Attributes"]
        assert dlq["KmsMasterKeyId"] == key_arn

        # Least privilege: the only DynamoDB action is PutItem on Interactions.
        role_name = outputs["ingestion_role_arn"].rsplit("/", 1)[-1]
        document = boto("iam").get_role_policy(
            RoleName=role_name, PolicyName=f"{PREFIX}-ingestion-least-privilege"
        )["PolicyDocument"]
        document = json.loads(document) if isinstance(document, str) else document
        dynamodb_statements = [
            s
            for s in document["Statement"]
            if any(a.startswith("dynamodb:") for a in _as_list(s["Action"]))
        ]
        assert len(dynamodb_statements) == 1
        assert _as_list(dynamodb_statements[0]["Action"]) == ["dynamodb:PutItem"]
        assert _as_list(dynamodb_statements[0]["Resource"]) == [
            outputs["tables"]["interactions"]["arn"]
        ]
        for statement in document["Statement"]:
            assert all("*" not in a for a in _as_list(statement["Action"])), statement

        policy = json.loads(
            boto("lambda").get_policy(FunctionName=outputs["ingestion_function_name"])["Policy"]
        )
        (grant,) = policy["Statement"]
        assert grant["Principal"] == {"Service": "events.amazonaws.com"}
        assert grant["Condition"]["ArnLike"]["AWS:SourceArn"] == RULE_ARN

        assert_no_changes(ws.plan(variables))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


BAD_INPUTS = BadInputBatches(
    [
        Case({"name_prefix": "Dev"}, "name_prefix must be 2-16 characters"),
        Case({"kms_key_arn": "alias/my-key"}, "kms_key_arn must be null (module creates a key)"),
        Case({"ingestion_package_path": "/tmp/ingestion.tar"}, "ingestion_package_path must"),
        Case(
            {"event_rule_arns": {"enrolled": "arn:aws:sqs:us-east-1:123456789012:q"}},
            "event_rule_arns values must be EventBridge rule ARNs",
        ),
        Case({"name_prefix": "a-very-long-prefix-x"}, "name_prefix must be 2-16 characters"),
        Case({"name_prefix": "dev-"}, "name_prefix must be 2-16 characters"),
    ]
)


@pytest.mark.plan
@pytest.mark.parametrize("case", BAD_INPUTS.cases, ids=[c.id for c in BAD_INPUTS.cases])
def test_bad_input_fails_at_plan_with_clear_message(ws, case) -> None:
    assert case.message in BAD_INPUTS.error_for(case, ws.plan, BASE_VARS)
