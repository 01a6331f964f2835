"""modules/event-bus: what the inventories (tftest.yaml) cannot state (the bus policy evaluated,
the schemas against the catalog), and routing on the emulator: four event types put on the
bus, asserted by what reaches the SQS targets; idempotency and destroy. The apply has no
schema registry and no Lambda target (docs/emulator.md, "What the emulator cannot run";
Lambda targets are applied in tests/modules/student_notifier).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from iackit.paths import REPO_ROOT
from iackit.tf import PlanResult
from tests.harness.assertions import as_list, assert_no_changes
from tests.harness.deployed import drain, put_event

HERE = Path(__file__).parent
EXAMPLE = "modules/event-bus/examples/routing"
CATALOG = REPO_ROOT / "lambda_src/student_platform/catalog"
M = "module.events."
Planned = Callable[[Path, str], PlanResult]
Boto = Callable[[str], Any]


def _condition_holds(operator: str, key: str, expected: Any, request: dict[str, str]) -> bool:
    """IAM condition operators the bus policy uses, for one single-valued request key."""
    actual = request.get(key)
    values = as_list(expected)
    if operator == "Null":
        return (actual is None) == (values == ["true"])
    if actual is None:
        return operator in ("StringNotEquals", "ArnNotEquals")  # absent key: not equal
    equal = actual in values
    return {"StringEquals": equal, "ArnEquals": equal}.get(operator, not equal)


def _applies(statement: dict[str, Any], request: dict[str, str]) -> bool:
    return all(
        _condition_holds(operator, key, expected, request)
        for operator, block in statement.get("Condition", {}).items()
        for key, expected in block.items()
    )


def _denied(policy: dict[str, Any], request: dict[str, str]) -> bool:
    """An explicit Deny of the bus policy matches this PutEvents entry."""
    return any(
        s["Effect"] == "Deny"
        and "events:PutEvents" in as_list(s["Action"])
        and _applies(s, request)
        for s in policy["Statement"]
    )


ACCOUNT = "arn:aws:iam::123456789012"
PUBLISHER_ROLE = f"{ACCOUNT}:role/plan-event-publisher-lambda"
PIPELINE_ROLE = f"{ACCOUNT}:role/plan-ranking-publish-lambda"
# (principal ARN or None for an AWS service, detail-type, source) -> denied by the bus policy
BUS_POLICY_MATRIX = [
    (PUBLISHER_ROLE, "student.enrolled", "api.student", False),
    (PUBLISHER_ROLE, "teacher.sendAnnouncement", "api.teacher", False),
    (PUBLISHER_ROLE, "student.registered", "api.student", False),
    (PUBLISHER_ROLE, "student.submitAssignment", "api.assignment", False),
    (PUBLISHER_ROLE, "student.enrolled", "api.ranking", True),  # a source not its own
    # Types are paired with their sources: each of its sources carries its own types only.
    (PUBLISHER_ROLE, "teacher.sendAnnouncement", "api.student", True),
    (PUBLISHER_ROLE, "student.enrolled", "api.teacher", True),
    (PUBLISHER_ROLE, "student.registered", "api.assignment", True),
    (PUBLISHER_ROLE, "student.submitAssignment", "api.student", True),
    (PIPELINE_ROLE, "ranking.updated", "api.student", True),
    (PUBLISHER_ROLE, "ranking.requestUpdate", "api.ranking", True),  # retraining
    (PUBLISHER_ROLE, "ranking.updated", "api.ranking", True),
    (PIPELINE_ROLE, "ranking.updated", "api.ranking", False),
    (PIPELINE_ROLE, "teacher.sendAnnouncement", "api.teacher", True),
    (f"{ACCOUNT}:role/any-other-role", "teacher.sendAnnouncement", "api.teacher", True),
    (f"{ACCOUNT}:user/admin", "student.enrolled", "api.student", True),
    (f"{ACCOUNT}:root", "student.enrolled", "api.student", True),
    ("arn:aws:iam::210987654321:role/plan-event-publisher-lambda", "student.enrolled", "x", True),
    (None, "student.enrolled", "api.student", False),  # AWS services (archive replays)
]  # fmt: skip


@pytest.mark.plan
def test_the_bus_policy_closes_the_bus(planned: Planned) -> None:
    """Evaluated as IAM would for a caller whose identity policy allows events:PutEvents: only
    the listed roles, each with its own detail-types and sources, are not explicitly denied."""
    policy = json.loads(
        planned(HERE, "routing").values[M + "aws_cloudwatch_event_bus_policy.this[0]"]["policy"]
    )
    for principal, detail_type, source, denied in BUS_POLICY_MATRIX:
        request = {"events:detail-type": detail_type, "events:source": source}
        if principal is not None:
            request["aws:PrincipalArn"] = principal
        assert _denied(policy, request) is denied, (principal, detail_type, source)


@pytest.mark.plan
def test_schemas_are_the_catalog_converted_to_draft4(planned: Planned) -> None:
    schemas = planned(HERE, "routing").by_type("aws_schemas_schema")
    catalog = {p.stem: json.loads(p.read_text()) for p in CATALOG.glob("*.json")}
    assert len(schemas) == len(catalog) == 6
    for address, schema in schemas.items():
        name = schema["name"]
        assert address == M + f'aws_schemas_schema.this["{name}"]'
        document = json.loads(schema["content"])
        assert document["$schema"] == "http://json-schema.org/draft-04/schema#"
        assert '"const"' not in schema["content"]
        assert '"$id"' not in schema["content"]
        jsonschema.Draft4Validator.check_schema(document)
        validator = jsonschema.Draft4Validator(document)
        # Same meaning as the draft-07 original: its examples pass, a wrong source fails.
        for example in catalog[name]["examples"]:
            validator.validate(example)
        wrong = {**catalog[name]["examples"][0], "source": "api.somewhere-else"}
        assert not validator.is_valid(wrong), name
        assert schema["description"] == catalog[name]["description"][:256]


# --- apply: routing on the emulator ------------------------------------------------------------

# The four API event types, each with the first valid example of its catalog schema.
API_TYPES = (
    "student.enrolled",
    "student.submitAssignment",
    "teacher.sendAnnouncement",
    "ranking.requestUpdate",
)
APPLY_VARS = {
    "name_prefix": "routing",
    # moto has no Schemas API (see the module docstring).
    "schema_registry": {"enabled": False},
}


def _policy(sqs: Any, url: str) -> dict[str, Any]:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return dict(json.loads(attributes["Policy"]))


@pytest.mark.apply
def test_routing_on_the_emulator(applied: Callable[..., Any], boto: Boto) -> None:
    with applied(EXAMPLE, APPLY_VARS) as (ws, out):
        events, sqs = boto("events"), boto("sqs")
        bus_name = out["bus_name"]
        assert bus_name == "routing-student-event-bus"

        bus = events.describe_event_bus(Name=bus_name)
        assert bus["KmsKeyIdentifier"] == out["kms_key_arn"]
        assert bus["DeadLetterConfig"]["Arn"].endswith(":routing-student-events-bus-dlq")
        archive = events.describe_archive(ArchiveName=out["archive_name"])
        assert archive["EventSourceArn"] == out["bus_arn"]
        assert archive["RetentionDays"] == 7
        assert archive["KmsKeyIdentifier"] == out["kms_key_arn"]

        # Rules carry the prefix; the schedule rule sits on the default bus.
        names = {r["Name"] for r in events.list_rules(EventBusName=bus_name)["Rules"]}
        assert {f"routing-{k}" for k in out["rule_names"] if k != "nightly-ranking"} <= names
        nightly = events.describe_rule(Name="routing-nightly-ranking", EventBusName="default")
        assert nightly["ScheduleExpression"] == "cron(0 19 * * ? *)"

        # Targets in the emulator: retry policy + the target's own DLQ; one DLQ per target.
        enrolled = events.list_targets_by_rule(Rule="routing-enrolled", EventBusName=bus_name)
        by_id = {t["Id"]: t for t in enrolled["Targets"]}
        assert sorted(by_id) == ["activity", "enrolled"]
        assert by_id["activity"]["RetryPolicy"] == {
            "MaximumEventAgeInSeconds": 3600,
            "MaximumRetryAttempts": 8,
        }
        assert by_id["activity"]["DeadLetterConfig"]["Arn"] == out["dlq_arns"]["activity"]
        submit = events.list_targets_by_rule(
            Rule="routing-submit-assignment", EventBusName=bus_name
        )["Targets"]
        activity = next(t for t in submit if t["Id"] == "activity")
        assert activity["DeadLetterConfig"]["Arn"] == out["dlq_arns"]["activity"]
        assert sorted(out["dlq_arns"]) == sorted(out["queue_urls"])  # the 7 targets, below

        # DLQs: KMS-encrypted, EventBridge may send only from the target's own rules.
        dlq = out["dlq_urls"]["activity"]
        attributes = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        assert attributes["KmsMasterKeyId"] == out["kms_key_arn"]
        statement = _policy(sqs, dlq)["Statement"][0]
        assert statement["Principal"] == {"Service": "events.amazonaws.com"}
        source_arns = statement["Condition"]["ArnEquals"]["aws:SourceArn"]
        assert sorted(source_arns) == sorted(
            [out["rule_arns"]["enrolled"], out["rule_arns"]["submit-assignment"]]
        )
        # Target queue policy (sqs_target_policy) scoped to the audit rule.
        audit_policy = _policy(sqs, out["queue_urls"]["audit"])["Statement"][0]
        audit_source = audit_policy["Condition"]["ArnEquals"]["aws:SourceArn"]
        assert audit_source == out["rule_arns"]["all-events"]

        # Routing: put each of the four event types, read what arrived where.
        for detail_type in API_TYPES:
            example = json.loads((CATALOG / f"{detail_type}.json").read_text())["examples"][0]
            put_event(boto, bus_name, example["source"], detail_type, example["detail"])
        # An event no rule matches (a known type from the wrong source).
        stray = {"studentId": "9", "classId": "Z"}
        put_event(boto, bus_name, "web.other", "student.enrolled", stray)

        received = {
            key: sorted(body["detail-type"] for body in drain(sqs, url))
            for key, url in out["queue_urls"].items()
        }
        assert received == {
            "enrolled": ["student.enrolled"],
            "submit-assignment": ["student.submitAssignment"],
            "announcement": ["teacher.sendAnnouncement"],
            "ranking-request": ["ranking.requestUpdate"],
            "audit": sorted(API_TYPES),
            "activity": ["student.enrolled", "student.submitAssignment"],
            "nightly": [],
        }
        # Nothing failed: the dead-letter queues are empty.
        assert all(not drain(sqs, url) for url in out["dlq_urls"].values())

        assert_no_changes(ws.plan(APPLY_VARS))
