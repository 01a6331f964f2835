"""modules/student-data on the emulator: what only apply knows, the deployed ingestion (a row,
a duplicate, a registration, an enrollment, an announcement), idempotency and destroy.
Configured values are data (tftest.yaml + inventories); bad inputs: modules/*/tests.
"""

from __future__ import annotations

from pathlib import Path

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
        # Known after apply: the stream and the queue URL.
        interactions = ddb.describe_table(TableName=f"{PREFIX}-Interactions")["Table"]
        assert outputs["tables"]["interactions"]["stream_arn"] == interactions["LatestStreamArn"]
        dlq_url = boto("sqs").get_queue_url(QueueName=outputs["ingestion_dlq_arn"].split(":")[-1])
        assert dlq_url["QueueUrl"] == outputs["ingestion_dlq_url"]

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
