"""modules/event-bus: plan inventory and attributes, the routing test on the emulator
(four event types put on the bus, asserted by what reaches the SQS targets), idempotency,
destroy, and bad input.

Emulator limits (moto 5.2.5), covered by plan assertions only:
- no EventBridge Schemas API: `aws_schemas_registry` / `aws_schemas_schema` are planned
  (content checked against the catalog below) but the apply test disables the registry;
- moto cannot invoke Lambda targets (PutEvents raises NotImplementedError for a matching
  rule with a Lambda target, which also stops delivery to later rules): the routing apply
  uses SQS targets only; Lambda targets and their permissions are asserted in the plan here
  and applied (permission + target, with non-matching traffic) in tests/modules/student_notifier.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from iackit.paths import REPO_ROOT
from iackit.tf import TerraformError
from tests.harness.assertions import assert_inventory, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/event-bus/examples/routing"
INPUTS = "tests/modules/event_bus/inputs"
CATALOG = REPO_ROOT / "lambda_src/student_platform/catalog"
FAKE_LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:plan-notifier"
FAKE_STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:plan-ranking"
M = "module.events."

# The four API event types, each with the first valid example of its catalog schema.
API_TYPES = (
    "student.enrolled",
    "student.submitAssignment",
    "teacher.sendAnnouncement",
    "ranking.requestUpdate",
)


def _catalog_example(detail_type: str) -> tuple[str, dict[str, Any]]:
    example = json.loads((CATALOG / f"{detail_type}.json").read_text())["examples"][0]
    return example["source"], example["detail"]


EVENTS = {t: _catalog_example(t) for t in API_TYPES}


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
def plan(example):
    return example.plan(
        {"notifier_function_arn": FAKE_LAMBDA, "ranking_state_machine_arn": FAKE_STATE_MACHINE}
    )


def _targets(plan) -> dict[str, dict[str, Any]]:
    prefix = M + 'aws_cloudwatch_event_target.this["'
    return {a[len(prefix) : -2]: v for a, v in plan.by_type("aws_cloudwatch_event_target").items()}


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_one_target_serving_two_rules_gives_two_targets_and_one_dlq(plan) -> None:
    targets = _targets(plan)
    activity = {k: v for k, v in targets.items() if k.startswith("activity/")}
    assert sorted(activity) == ["activity/enrolled", "activity/submit-assignment"]
    assert {v["rule"] for v in activity.values()} == {
        "example-enrolled",
        "example-submit-assignment",
    }
    assert {v["target_id"] for v in activity.values()} == {"activity"}
    dlqs = [a for a in plan.by_type("aws_sqs_queue") if a.startswith(M + "aws_sqs_queue.dlq[")]
    assert len(dlqs) == 9  # one per target, not per (target, rule)
    assert dlqs.count(M + 'aws_sqs_queue.dlq["activity"]') == 1
    # (target, rule) keys are unique and every target id is unique within its rule.
    per_rule: dict[str, list[str]] = {}
    for value in targets.values():
        per_rule.setdefault(value["rule"], []).append(value["target_id"])
    assert all(len(ids) == len(set(ids)) for ids in per_rule.values()), per_rule
    assert sorted(per_rule["example-enrolled"]) == ["activity", "enrolled", "notifier"]


@pytest.mark.plan
def test_every_target_has_retry_policy_and_dead_letter_queue(plan) -> None:
    targets = _targets(plan)
    assert len(targets) == 11
    for key, value in targets.items():
        assert len(value["retry_policy"]) == 1, key
        retry = value["retry_policy"][0]
        assert 60 <= retry["maximum_event_age_in_seconds"] <= 86400, key
        assert retry["maximum_retry_attempts"] >= 0, key
        assert len(value["dead_letter_config"]) == 1, key
    # Explicit retry settings win over the defaults (notifier: 2 h, 12 attempts).
    assert targets["notifier/announcement"]["retry_policy"][0] == {
        "maximum_event_age_in_seconds": 7200,
        "maximum_retry_attempts": 12,
    }


@pytest.mark.plan
def test_rule_names_carry_the_prefix_and_live_on_the_right_bus(plan) -> None:
    rules = plan.by_type("aws_cloudwatch_event_rule")
    assert len(rules) == 6
    for address, rule in rules.items():
        assert rule["name"].startswith("example-"), address
        expected_bus = "default" if "nightly-ranking" in address else "example-student-event-bus"
        assert rule["event_bus_name"] == expected_bus, address
        assert (rule.get("event_pattern") is None) != (rule.get("schedule_expression") is None)
    patterns = {
        a.split('"')[1]: json.loads(r["event_pattern"])
        for a, r in rules.items()
        if r.get("event_pattern")
    }
    assert patterns["announcement"] == {
        "source": ["api.teacher"],
        "detail-type": ["teacher.sendAnnouncement"],
    }


@pytest.mark.plan
def test_lambda_permissions_per_target_and_rule(plan) -> None:
    permissions = plan.by_type("aws_lambda_permission")
    assert sorted(permissions) == [
        M + 'aws_lambda_permission.this["notifier/announcement"]',
        M + 'aws_lambda_permission.this["notifier/enrolled"]',
    ]
    ids = [p["statement_id"] for p in permissions.values()]
    assert len(set(ids)) == 2
    for permission in permissions.values():
        assert permission["principal"] == "events.amazonaws.com"
        assert permission["function_name"] == FAKE_LAMBDA
    # source_arn is each rule's own ARN (unknown until apply, so read the configuration).
    source_refs = _config_refs(plan, "aws_lambda_permission", "source_arn")
    assert source_refs == ["aws_cloudwatch_event_rule.this", "each.value.rule_key", "each.value"]


def _config_refs(plan, resource_type: str, attribute: str) -> list[str]:
    module = plan.raw["configuration"]["root_module"]["module_calls"]["events"]["module"]
    for resource in module["resources"]:
        if resource["type"] == resource_type and resource["mode"] == "managed":
            return list(resource["expressions"][attribute]["references"])
    raise AssertionError(f"{resource_type} not in configuration")


@pytest.mark.plan
def test_targets_role_is_least_privilege(plan) -> None:
    policy = json.loads(plan.values[M + "aws_iam_role_policy.targets[0]"]["policy"])
    assert policy["Statement"] == [
        {
            "Sid": "StartTargetStateMachines",
            "Effect": "Allow",
            "Action": "states:StartExecution",
            "Resource": FAKE_STATE_MACHINE,
        }
    ]
    trust = json.loads(plan.values[M + "aws_iam_role.targets[0]"]["assume_role_policy"])
    statement = trust["Statement"][0]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    # Only the Step Functions target uses the role.
    targets = _targets(plan)
    with_role = sorted(k for k, v in targets.items() if v.get("role_arn") or _role_unknown(plan, k))
    assert with_role == ["ranking/ranking-request"]


def _role_unknown(plan, key: str) -> bool:
    for change in plan.resource_changes:
        if change["type"] == "aws_cloudwatch_event_target" and change["index"] == key:
            return bool(change["change"]["after_unknown"].get("role_arn"))
    return False


@pytest.mark.plan
def test_kms_key_policy_lets_eventbridge_use_the_key(plan) -> None:
    policy = json.loads(plan.values[M + "aws_kms_key.this[0]"]["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    events = by_sid["EventBridgeUsesKey"]
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    assert "kms:GenerateDataKey" in events["Action"]
    assert all("*" not in a for a in events["Action"])
    assert events["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    # The archive is encrypted with the same key (value unknown until the key exists).
    change = next(
        c
        for c in plan.resource_changes
        if c["address"] == M + "aws_cloudwatch_event_archive.this[0]"
    )
    assert change["change"]["after_unknown"].get("kms_key_identifier") is True


@pytest.mark.plan
def test_schemas_are_the_catalog_converted_to_draft4(plan) -> None:
    schemas = plan.by_type("aws_schemas_schema")
    catalog = {p.stem: json.loads(p.read_text()) for p in CATALOG.glob("*.json")}
    assert len(schemas) == len(catalog) == 5
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


@pytest.mark.plan
def test_without_cmk_queues_use_sqs_managed_encryption(example) -> None:
    plan = example.plan({"create_kms_key": False, "nightly_ranking_enabled": False})
    assert not plan.by_type("aws_kms_key")
    assert M + "aws_sqs_queue.bus_dlq[0]" not in plan.values
    dlqs = {a: v for a, v in plan.by_type("aws_sqs_queue").items() if ".dlq[" in a}
    assert len(dlqs) == 6
    for address, queue in dlqs.items():
        assert queue["sqs_managed_sse_enabled"] is True, address
        assert queue.get("kms_master_key_id") is None, address
    bus = plan.values[M + "aws_cloudwatch_event_bus.this"]
    assert bus.get("kms_key_identifier") is None
    assert bus["dead_letter_config"] == []
    assert len(plan.by_type("aws_cloudwatch_event_rule")) == 5
    assert not plan.by_type("aws_lambda_permission")
    assert not plan.by_type("aws_iam_role")


# --- apply: routing on the emulator ------------------------------------------------------------


def _drain(sqs, url: str) -> list[dict[str, Any]]:
    """Every message of a queue (moto delivers synchronously within PutEvents)."""
    bodies: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
            "Messages", []
        )
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _policy(sqs, url: str) -> dict[str, Any]:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return json.loads(attributes["Policy"])


APPLY_VARS = {
    "name_prefix": "routing",
    # moto has no Schemas API (see the module docstring).
    "schema_registry_enabled": False,
}


@pytest.mark.apply
def test_routing_on_the_emulator(applied, boto) -> None:
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
        enrolled_targets = events.list_targets_by_rule(
            Rule="routing-enrolled", EventBusName=bus_name
        )["Targets"]
        assert sorted(t["Id"] for t in enrolled_targets) == ["activity", "enrolled"]
        by_id = {t["Id"]: t for t in enrolled_targets}
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
        assert sorted(out["dlq_arns"]) == sorted(
            [
                "enrolled",
                "submit-assignment",
                "announcement",
                "ranking-request",
                "audit",
                "activity",
                "nightly",
            ]
        )

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
        # Target queue policy (manage_sqs_target_policy) scoped to the audit rule.
        audit_policy = _policy(sqs, out["queue_urls"]["audit"])["Statement"][0]
        assert (
            audit_policy["Condition"]["ArnEquals"]["aws:SourceArn"]
            == out["rule_arns"]["all-events"]
        )

        # Routing: put each of the four event types, read what arrived where.
        for detail_type, (source, detail) in EVENTS.items():
            response = events.put_events(
                Entries=[
                    {
                        "Source": source,
                        "DetailType": detail_type,
                        "Detail": json.dumps(detail),
                        "EventBusName": bus_name,
                    }
                ]
            )
            assert response["FailedEntryCount"] == 0, response
        # An event no rule matches (and a known type from the wrong source).
        events.put_events(
            Entries=[
                {
                    "Source": "web.other",
                    "DetailType": "student.enrolled",
                    "Detail": json.dumps({"studentId": "9", "classId": "Z"}),
                    "EventBusName": bus_name,
                },
            ]
        )

        received = {
            key: sorted(body["detail-type"] for body in _drain(sqs, url))
            for key, url in out["queue_urls"].items()
        }
        assert received == {
            "enrolled": ["student.enrolled"],
            "submit-assignment": ["student.submitAssignment"],
            "announcement": ["teacher.sendAnnouncement"],
            "ranking-request": ["ranking.requestUpdate"],
            "audit": sorted(EVENTS),
            "activity": ["student.enrolled", "student.submitAssignment"],
            "nightly": [],
        }
        # Nothing failed: the dead-letter queues are empty.
        assert all(not _drain(sqs, url) for url in out["dlq_urls"].values())

        assert_no_changes(ws.plan(APPLY_VARS))


# --- bad input ----------------------------------------------------------------------------------

PATTERN = json.dumps({"source": ["api.student"]})
QUEUE = "arn:aws:sqs:us-east-1:123456789012:inputs-q"

BAD_INPUTS = [
    (
        {"rules": {"r": {"description": "neither"}}},
        "Each rule needs exactly one of event_pattern or schedule_expression",
    ),
    (
        {
            "rules": {
                "r": {
                    "description": "both",
                    "event_pattern": PATTERN,
                    "schedule_expression": "rate(1 hour)",
                }
            }
        },
        "Each rule needs exactly one of event_pattern or schedule_expression",
    ),
    (
        {
            "rules": {"r": {"description": "ok", "event_pattern": PATTERN}},
            "targets": {"q": {"rule_keys": ["r", "nope"], "arn": QUEUE, "type": "sqs"}},
        },
        "targets reference rules that do not exist (target -> rule): q -> nope.",
    ),
    (
        {"rules": {"nightly": {"description": "s", "schedule_expression": "rate(1 day)"}}},
        "Rules nightly have a schedule_expression, but scheduled rules run only on the default "
        "event bus: set on_default_bus = true",
    ),
    ({"name_prefix": "Bad_Prefix"}, "name_prefix must be 2-16 characters"),
    ({"name_prefix": "dev-"}, "name_prefix must be 2-16 characters"),
    (
        {"rules": {"r": {"description": "x", "event_pattern": "not json"}}},
        "event_pattern must be a JSON object string",
    ),
    (
        {
            "rules": {"r": {"description": "ok", "event_pattern": PATTERN}},
            "targets": {"q": {"rule_keys": ["r"], "arn": QUEUE, "type": "lambda"}},
        },
        "target arn must match its type",
    ),
    (
        {
            "rules": {"r": {"description": "ok", "event_pattern": PATTERN}},
            "targets": {
                "q": {
                    "rule_keys": ["r"],
                    "arn": QUEUE,
                    "type": "sqs",
                    "retry": {"maximum_retry_attempts": 500},
                }
            },
        },
        "retry.maximum_event_age_in_seconds must be 60-86400",
    ),
    ({"rules": {"Bad Key": {"description": "x", "event_pattern": PATTERN}}}, "rules keys must be"),
    (
        {"schemas": {"x": json.dumps({"properties": {"a": {"const": {"k": 1}}}})}},
        'use "const" with an object or array value',
    ),
]


@pytest.fixture(scope="module")
def inputs(workspace):
    return workspace(INPUTS)


@pytest.mark.plan
@pytest.mark.parametrize(("variables", "message"), BAD_INPUTS, ids=[m[:40] for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(inputs, variables, message) -> None:
    with pytest.raises(TerraformError) as error:
        inputs.plan(variables)
    assert message in " ".join(str(error.value).split())
