"""modules/ranking-pipeline: the template's contract with lambda_src/training, a rule over
every step policy, and the example applied on the emulator in campaign mode: what only apply
knows, the deployed export step, the nightly run (trains, deploys the campaign, the ranking
API answers from it), idempotency, destroy (which empties Personalize). envs/dev proves batch
mode. Configured values are data (tftest.yaml + inventories); bad inputs: modules/*/tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest

from iackit import datagen
from iackit.deployed import wait_for
from iackit.emulator import ACCOUNT_ID, REGION, fire_schedule, local_api_url
from iackit.mainjob import emulator_env
from iackit.paths import REPO_ROOT
from tests.harness.assertions import (
    as_list,
    assert_bucket_hardened,
    assert_no_changes,
    policy_actions,
    policy_statements,
)
from tests.harness.deployed import inline_policy, invoke, signed_get

HERE = Path(__file__).parent
EXAMPLE = "modules/ranking-pipeline/examples/basic"
TEMPLATE = REPO_ROOT / "modules/ranking-pipeline/templates/state_machine.asl.json"
PREFIX = "rptest"
VARIABLES = {
    "name_prefix": PREFIX,
    "training_package_path": str(REPO_ROOT / "build/lambda/training.zip"),
    "ingestion_package_path": str(REPO_ROOT / "build/lambda/ingestion.zip"),
    "ranking_package_path": str(REPO_ROOT / "build/lambda/ranking.zip"),
    # campaign mode here (envs/dev runs batch mode end to end)
    "deploy_mode": "campaign",
}
# The steps of lambda_src/training; each runs training.app.<step with "_">_handler.
STEPS = [
    "export",
    "ensure-datasets",
    "start-import",
    "import-status",
    "ensure-solution",
    "create-solution-version",
    "solution-version-status",
    "deploy",
    "deploy-status",
    "publish",
]


def _task_resources(definition: str) -> set[str]:
    states = json.loads(definition)["States"]
    return {s["Resource"] for s in states.values() if s["Type"] == "Task"}


def _assert_explicit_actions(step: str, policy: str | dict[str, Any]) -> None:
    """Explicit actions only; a "*" resource only for Personalize List* and X-Ray."""
    for sid, statement in policy_statements(policy).items():
        actions = as_list(statement["Action"])
        assert all("*" not in a for a in actions), (step, sid)
        if "*" in as_list(statement["Resource"]):
            assert all(a.startswith(("personalize:List", "xray:")) for a in actions), (step, sid)


@pytest.mark.unit
def test_module_fills_every_template_placeholder_and_handlers_exist() -> None:
    import training.app

    placeholders = set(re.findall(r"\$\{([a-z_]+)\}", TEMPLATE.read_text()))
    function_placeholders = {f"{step.replace('-', '_')}_function_arn" for step in STEPS}
    waits = ["execution_timeout", "resource_wait", "import_wait", "training_wait", "deploy_wait"]
    assert placeholders == function_placeholders | {f"{w}_seconds" for w in waits}
    for step in STEPS:
        assert callable(getattr(training.app, f"{step.replace('-', '_')}_handler")), step


@pytest.mark.plan
def test_every_step_policy_is_explicit(planned) -> None:
    """A rule over every statement of every step and the cleanup (the given_key variant's
    policies are known at plan; publish names the example's bus, known after apply: checked
    there)."""
    values = planned(HERE, "given_key").values
    pipeline = "module.ranking_pipeline.module"
    for step in set(STEPS) - {"publish"}:
        policy = values[f'{pipeline}.step["{step}"].aws_iam_role_policy.function']["policy"]
        _assert_explicit_actions(step, policy)
    cleanup = values[f"{pipeline}.cleanup[0].aws_iam_role_policy.function"]["policy"]
    _assert_explicit_actions("cleanup", cleanup)


@pytest.mark.apply
def test_apply_creates_pipeline_triggers_then_converges_and_destroys(
    applied, boto, emulator
) -> None:
    with applied(EXAMPLE, VARIABLES) as (ws, outputs):
        # ARNs known after apply: every Task of the definition is exactly one step function,
        # which the state machine's role may invoke (and no other Lambda action).
        function_arns = outputs["function_arns"]
        assert _task_resources(outputs["state_machine_definition"]) == set(function_arns.values())
        sfn_policy = policy_statements(
            inline_policy(
                boto, f"{PREFIX}-ranking-pipeline-sfn", f"{PREFIX}-ranking-pipeline-least-privilege"
            )
        )
        invoke_steps = sfn_policy["InvokeOwnSteps"]
        assert as_list(invoke_steps["Action"]) == ["lambda:InvokeFunction"]
        assert set(as_list(invoke_steps["Resource"])) == {
            arn for a in function_arns.values() for arn in (a, f"{a}:*")
        }
        lambda_actions = {a for a in policy_actions(sfn_policy) if a.startswith("lambda:")}
        assert lambda_actions == {"lambda:InvokeFunction"}

        # The rule's target sends with its own role; its DLQ admits EventBridge from this rule
        # only (modules/sqs-dlq) and refuses requests without TLS.
        events, rule_name = boto("events"), f"{PREFIX}-ranking-request-update"
        rule = events.describe_rule(Name=rule_name, EventBusName=outputs["event_bus_name"])
        (rule_target,) = events.list_targets_by_rule(
            Rule=rule_name, EventBusName=outputs["event_bus_name"]
        )["Targets"]
        assert rule_target["RoleArn"].endswith(f":role/{rule_name}-events")
        queue_policy = boto("sqs").get_queue_attributes(
            QueueUrl=outputs["dlq_urls"]["request-update"], AttributeNames=["Policy"]
        )["Attributes"]["Policy"]
        dlq_policy = policy_statements(queue_policy)
        sender = dlq_policy["EventBridgeRuleDeadLetters"]
        assert sender["Principal"] == {"Service": "events.amazonaws.com"}
        assert sender["Condition"] == {"ArnEquals": {"aws:SourceArn": rule["Arn"]}}
        assert "DenyInsecureTransport" in dlq_policy
        # The rule matches exactly ranking.requestUpdate from api.ranking (moto's
        # TestEventPattern is a stub: its own event matcher, the one PutEvents uses, decides).
        from moto.events.models import EventPattern

        pattern = EventPattern.load(rule["EventPattern"])
        matching = {"source": "api.ranking", "detail-type": "ranking.requestUpdate"}
        for event, expected in [
            (matching, True),
            ({**matching, "detail-type": "ranking.updated"}, False),
            ({**matching, "source": "api.student"}, False),
        ]:
            full: dict[str, Any] = {**event, "detail": {"trigger": "manual"}}
            assert pattern.matches_event(full) is expected  # type: ignore[arg-type]

        # publish names the example's bus (known after apply): explicit actions only.
        name = f"{PREFIX}-ranking-publish"
        document = inline_policy(boto, f"{name}-lambda", f"{name}-least-privilege")
        _assert_explicit_actions("publish", document)
        assert_bucket_hardened(boto("s3"), outputs["data_bucket_name"], outputs["data_kms_key_arn"])

        _assert_the_deployed_export_step_writes(boto, outputs)
        _assert_the_nightly_run_deploys_the_campaign_the_api_answers_from(boto, emulator, outputs)
        created = sum(len(names) for names in _personalize_inventory(boto("personalize")).values())

        assert_no_changes(ws.plan(VARIABLES))

    # terraform destroy ran the cleanup function (aws_lambda_invocation, lifecycle CRUD)
    assert created >= 12
    assert _personalize_inventory(boto("personalize")) == {}


def _s3_uris(value: Any) -> list[str]:
    if isinstance(value, dict | list):
        items = value.values() if isinstance(value, dict) else value
        return [uri for v in items for uri in _s3_uris(v)]
    return [value] if isinstance(value, str) and value.startswith("s3://") else []


def _assert_the_deployed_export_step_writes(boto, outputs: dict[str, Any]) -> None:
    """The deployed export step (training zip + dependency layer), invoked with the input
    the state machine gives its first Task: it exports the tables to the data lake (S3
    objects under the export prefix, encrypted with the lake's key), publishes the class's
    engagement ranking where the `engagement` output says and, with one interaction,
    reports NOT_ENOUGH_DATA (the data guard)."""
    boto("dynamodb").put_item(
        TableName=f"{PREFIX}-Interactions",
        Item={
            "studentId": {"S": "S1"},
            "eventId": {"S": "e1"},
            "itemId": {"S": "A1"},
            "eventType": {"S": "enrolled"},
            "timestamp": {"N": "1767225600"},
            "source": {"S": "api.student"},
        },
    )
    event = {"executionStartTime": "2026-01-01T02:00:00Z", "input": {"trigger": "manual"}}
    result = invoke(boto, outputs["function_names"]["export"], event)
    assert result["status"] == "NOT_ENOUGH_DATA", result
    assert result["run"]["trigger"] == "manual"
    uris = _s3_uris(result["files"])
    assert uris, result["files"]
    s3, bucket = boto("s3"), outputs["data_bucket_name"]
    exported = ""
    for uri in uris:
        assert uri.startswith(f"s3://{bucket}/personalize/"), uri
        key = uri.removeprefix(f"s3://{bucket}/")
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ServerSideEncryption"] == "aws:kms", key
        exported += s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    assert "S1" in exported
    assert "A1" in exported
    place = outputs["engagement"]
    assert place["bucket"] == bucket
    assert result["engagement"]["uri"] == f"s3://{bucket}/{place['key_prefix']}"
    key = f"{place['key_prefix']}A1.json"
    assert s3.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "aws:kms"
    ranking = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert [(e["studentId"], e["rank"]) for e in ranking["students"]] == [("S1", 1)]
    # ... and the items' popularity, the ranking API's fallback, where `popularity` says
    popularity = outputs["popularity"]
    assert result["popularity"]["uri"] == f"s3://{bucket}/{popularity['key']}"
    head = s3.head_object(Bucket=bucket, Key=popularity["key"])
    assert head["ServerSideEncryption"] == "aws:kms"
    published = json.loads(s3.get_object(Bucket=bucket, Key=popularity["key"])["Body"].read())
    assert published["rankings"]["all"]["items"] == [{"itemId": "A1", "count": 1}]


def _personalize_inventory(personalize: Any) -> dict[str, list[str]]:
    """Every Personalize resource of the emulated account, by kind (empty kinds left out)."""
    found = {
        "datasetGroups": personalize.list_dataset_groups()["datasetGroups"],
        "schemas": personalize.list_schemas()["schemas"],
        "datasets": personalize.list_datasets()["datasets"],
        "solutions": personalize.list_solutions()["solutions"],
        "campaigns": personalize.list_campaigns()["campaigns"],
        "filters": personalize.list_filters()["Filters"],
        "eventTrackers": personalize.list_event_trackers()["eventTrackers"],
    }
    return {kind: [r.get("name", "") for r in rows] for kind, rows in found.items() if rows}


def _assert_the_nightly_run_deploys_the_campaign_the_api_answers_from(
    boto, emulator, outputs: dict[str, Any]
) -> None:
    """A synthetic school in the tables, the nightly schedule fired: the execution exports,
    imports, trains, creates the campaign and publishes it (campaign mode) with the item type
    filters; the example's ranking API then answers from Personalize through its route, of
    every type and of one type (its filter: only that type's items), and refuses an unknown
    type with a 400."""
    school = datagen.generate()
    with emulator_env(emulator.endpoint):
        datagen.write(
            boto3.Session(region_name=REGION),
            school,
            f"{PREFIX}-Students",
            f"{PREFIX}-Interactions",
            f"{PREFIX}-ClassActivity",
        )
    sfn = boto("stepfunctions")
    schedule = (outputs["schedule_name"], outputs["schedule_group_name"])
    fired = fire_schedule(emulator.endpoint, *schedule)

    def finished() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=fired["ExecutionArn"])
        return None if described["status"] == "RUNNING" else described

    described = wait_for(finished, timeout=300, what="the nightly execution")
    assert described["status"] == "SUCCEEDED", described
    history = sfn.get_execution_history(executionArn=fired["ExecutionArn"])["events"]
    states = [
        e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e
    ]
    assert states[-2:] == ["Publish", "Published"], states
    value = json.loads(
        boto("ssm").get_parameter(Name=outputs["parameter_name"])["Parameter"]["Value"]
    )
    campaign_arn = f"arn:aws:personalize:{REGION}:{ACCOUNT_ID}:campaign/{PREFIX}-student-ranking"
    assert (value["mode"], value["campaignArn"]) == ("campaign", campaign_arn), value
    assert set(value["typeFilters"]) == {"class", "material", "quiz"}
    campaign = boto("personalize").describe_campaign(campaignArn=campaign_arn)["campaign"]
    assert campaign["status"] == "ACTIVE"
    assert campaign["solutionVersionArn"] == value["solutionVersionArn"]

    url = local_api_url(emulator.endpoint, outputs["ranking_api_endpoint"])
    student = school.students[0].student_id
    catalog = {c.item_id: c for c in school.catalog}

    def rank(query: str = "") -> tuple[int, Any]:
        return signed_get(f"{url}/ranking/{student}{query}")

    status, body = rank("?numResults=20")
    assert status == 200, body
    assert (body["source"], body["type"]) == ("personalize", None), body
    assert body["items"]
    assert body["recommendations"] == body["items"]
    for item_type, marker in (("quiz", "-Q"), ("material", "-M")):
        status, body = rank(f"?type={item_type}&numResults=20")
        assert status == 200, body
        assert (body["source"], body["type"]) == ("personalize", item_type), body
        served = [i["itemId"] for i in body["items"]]
        assert served, body
        assert all(marker in item_id for item_id in served), served
        assert {catalog[i].item_type for i in served} == {item_type}
    status, body = rank("?type=quizzes")
    assert (status, body["field"]) == (400, "type"), body
