"""modules/ranking-pipeline: the state machine template's contract with lambda_src/training,
a least-privilege rule over every step policy, and the example applied on the emulator in
campaign mode (step functions, state machine, schedule, rule, parameter, DLQs and the
Personalize role read back with boto3; the nightly schedule fired: the execution trains and
deploys the campaign, and the example's ranking API answers from it, of every item type and of
one), then idempotency and destroy (which removes what the run created in Personalize).
envs/dev proves batch mode the same way (tests/envs).

Plan variants are data (tftest.yaml, *.tfvars, *.yaml); bad inputs are run blocks of
modules/ranking-pipeline/tests/*.tftest.hcl.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.credentials import Credentials

from iackit import datagen
from iackit.deployed import wait_for
from iackit.emulator import ACCOUNT_ID, REGION, fire_schedule, local_api_url
from iackit.mainjob import emulator_env
from iackit.paths import REPO_ROOT
from iackit.signed_http import request
from tests.harness.assertions import (
    as_list,
    assert_bucket_hardened,
    assert_no_changes,
    policy_actions,
    policy_statements,
)
from tests.harness.deployed import invoke

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
STATE_MACHINE_ARN = f"arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:{PREFIX}-ranking-pipeline"
STEP_HANDLERS = {
    "export": "training.app.export_handler",
    "ensure-datasets": "training.app.ensure_datasets_handler",
    "start-import": "training.app.start_import_handler",
    "import-status": "training.app.import_status_handler",
    "ensure-solution": "training.app.ensure_solution_handler",
    "create-solution-version": "training.app.create_solution_version_handler",
    "solution-version-status": "training.app.solution_version_status_handler",
    "deploy": "training.app.deploy_handler",
    "deploy-status": "training.app.deploy_status_handler",
    "publish": "training.app.publish_handler",
}
REQUEST_UPDATE_PATTERN = {"source": ["api.ranking"], "detail-type": ["ranking.requestUpdate"]}


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
    function_placeholders = {f"{k.replace('-', '_')}_function_arn" for k in STEP_HANDLERS}
    waits = {
        "execution_timeout_seconds",
        "resource_wait_seconds",
        "import_wait_seconds",
        "training_wait_seconds",
        "deploy_wait_seconds",
    }
    assert placeholders == function_placeholders | waits
    for handler in STEP_HANDLERS.values():
        assert callable(getattr(training.app, handler.rsplit(".", 1)[-1])), handler


@pytest.mark.plan
def test_every_step_policy_is_explicit(planned) -> None:
    """A rule over every statement of every step (the given_key variant's policies are known
    at plan; publish names the example's bus, known after apply: checked there)."""
    values = planned(HERE, "given_key").values
    for step in set(STEP_HANDLERS) - {"publish"}:
        policy = values[
            f'module.ranking_pipeline.module.step["{step}"].aws_iam_role_policy.function'
        ]
        _assert_explicit_actions(step, policy["policy"])


@pytest.mark.apply
def test_apply_creates_pipeline_triggers_then_converges_and_destroys(
    applied, boto, emulator
) -> None:
    with applied(EXAMPLE, VARIABLES) as (ws, outputs):
        function_arns = outputs["function_arns"]
        assert set(function_arns) == set(STEP_HANDLERS)
        lam = boto("lambda")
        for step, handler in STEP_HANDLERS.items():
            config = lam.get_function(FunctionName=outputs["function_names"][step])["Configuration"]
            assert config["Handler"] == handler
            assert config["FunctionArn"] == function_arns[step]

        # The definition the state machine gets: every Task is exactly one step function.
        assert _task_resources(outputs["state_machine_definition"]) == set(function_arns.values())
        machine = boto("stepfunctions").describe_state_machine(stateMachineArn=STATE_MACHINE_ARN)
        assert machine["type"] == "STANDARD"
        assert _task_resources(machine["definition"]) == set(function_arns.values())
        assert machine["loggingConfiguration"]["level"] == "ERROR"
        assert machine["loggingConfiguration"].get("includeExecutionData", False) is False
        assert machine["tracingConfiguration"] == {"enabled": True}

        iam = boto("iam")
        sfn_policy = policy_statements(
            iam.get_role_policy(
                RoleName=f"{PREFIX}-ranking-pipeline-sfn",
                PolicyName=f"{PREFIX}-ranking-pipeline-least-privilege",
            )["PolicyDocument"]
        )
        invoke = sfn_policy["InvokeOwnSteps"]
        assert as_list(invoke["Action"]) == ["lambda:InvokeFunction"]
        assert set(as_list(invoke["Resource"])) == {
            arn for a in function_arns.values() for arn in (a, f"{a}:*")
        }
        lambda_actions = {a for a in policy_actions(sfn_policy) if a.startswith("lambda:")}
        assert lambda_actions == {"lambda:InvokeFunction"}

        scheduler = boto("scheduler")
        schedule = scheduler.get_schedule(
            Name=outputs["schedule_name"], GroupName=outputs["schedule_group_name"]
        )
        assert schedule["ScheduleExpression"] == "cron(0 2 * * ? *)"
        assert schedule["ScheduleExpressionTimezone"] == "Asia/Ho_Chi_Minh"
        assert schedule["FlexibleTimeWindow"]["Mode"] == "OFF"
        assert schedule["State"] == "ENABLED"
        target = schedule["Target"]
        assert target["Arn"] == STATE_MACHINE_ARN
        assert json.loads(target["Input"]) == {"trigger": "nightly"}
        assert target["RetryPolicy"] == {
            "MaximumEventAgeInSeconds": 3600,
            "MaximumRetryAttempts": 3,
        }
        assert target["DeadLetterConfig"]["Arn"] == outputs["dlq_arns"]["schedule"]

        events = boto("events")
        bus = outputs["event_bus_name"]
        rule = events.describe_rule(Name=f"{PREFIX}-ranking-request-update", EventBusName=bus)
        assert json.loads(rule["EventPattern"]) == REQUEST_UPDATE_PATTERN
        (rule_target,) = events.list_targets_by_rule(
            Rule=f"{PREFIX}-ranking-request-update", EventBusName=bus
        )["Targets"]
        assert rule_target["Arn"] == STATE_MACHINE_ARN
        assert rule_target["RetryPolicy"] == {
            "MaximumRetryAttempts": 3,
            "MaximumEventAgeInSeconds": 3600,
        }
        assert rule_target["DeadLetterConfig"]["Arn"] == outputs["dlq_arns"]["request-update"]
        assert rule_target["RoleArn"].endswith(f":role/{PREFIX}-ranking-request-update-events")
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

        ssm = boto("ssm").get_parameter(Name=outputs["parameter_name"])["Parameter"]
        assert ssm["Type"] == "String"
        assert json.loads(ssm["Value"]) == {"mode": "none"}

        sqs = boto("sqs")
        dlq_policies = {}
        for key, url in outputs["dlq_urls"].items():
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])[
                "Attributes"
            ]
            assert attributes["KmsMasterKeyId"].startswith(f"arn:aws:kms:{REGION}:")
            assert attributes["QueueArn"] == outputs["dlq_arns"][key]
            dlq_policies[key] = policy_statements(attributes["Policy"])
        # Scheduler sends with the schedule's role; EventBridge sends as the service, from the
        # rule only (modules/sqs-dlq). Both queues refuse requests without TLS.
        assert set(dlq_policies["schedule"]) == {"DenyInsecureTransport"}
        sender = dlq_policies["request-update"]["EventBridgeRuleDeadLetters"]
        assert sender["Principal"] == {"Service": "events.amazonaws.com"}
        assert sender["Condition"] == {"ArnEquals": {"aws:SourceArn": rule["Arn"]}}
        assert "DenyInsecureTransport" in dlq_policies["request-update"]

        role_name = outputs["personalize_role_arn"].rsplit("/", 1)[-1]
        role = iam.get_role(RoleName=role_name)["Role"]
        trust = role["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        (assume,) = trust["Statement"]
        assert assume["Principal"] == {"Service": "personalize.amazonaws.com"}
        assert assume["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}
        personalize_policy = policy_statements(
            iam.get_role_policy(
                RoleName=role_name, PolicyName=f"{PREFIX}-personalize-ranking-least-privilege"
            )["PolicyDocument"]
        )
        bucket_arn = f"arn:aws:s3:::{outputs['data_bucket_name']}"
        assert set(as_list(personalize_policy["ReadExportAndBatchInput"]["Resource"])) == {
            f"{bucket_arn}/personalize/export/*",
            f"{bucket_arn}/personalize/batch/input/*",
        }
        assert personalize_policy["WriteBatchOutput"]["Resource"] == (
            f"{bucket_arn}/personalize/batch/output/*"
        )

        # Every step role: explicit actions only; "*" resources only for List*/X-Ray.
        for step in STEP_HANDLERS:
            name = f"{PREFIX}-ranking-{step}"
            document = iam.get_role_policy(
                RoleName=f"{name}-lambda", PolicyName=f"{name}-least-privilege"
            )["PolicyDocument"]
            _assert_explicit_actions(step, document)

        assert_bucket_hardened(boto("s3"), outputs["data_bucket_name"], outputs["data_kms_key_arn"])

        _assert_the_deployed_export_step_writes(boto, outputs)

        cleanup_role = f"{PREFIX}-ranking-cleanup-lambda"
        _assert_explicit_actions(
            "cleanup",
            iam.get_role_policy(
                RoleName=cleanup_role, PolicyName=f"{PREFIX}-ranking-cleanup-least-privilege"
            )["PolicyDocument"],
        )
        _assert_the_nightly_run_deploys_the_campaign_the_api_answers_from(boto, emulator, outputs)
        created = sum(len(names) for names in _personalize_inventory(boto("personalize")).values())

        assert_no_changes(ws.plan(VARIABLES))

    # terraform destroy ran the cleanup function (aws_lambda_invocation, lifecycle CRUD)
    assert created >= 12
    assert _personalize_inventory(boto("personalize")) == {}


def _s3_uris(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith("s3://") else []
    if isinstance(value, dict):
        return [uri for v in value.values() for uri in _s3_uris(v)]
    if isinstance(value, list):
        return [uri for v in value for uri in _s3_uris(v)]
    return []


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
        answer = request(
            "GET",
            f"{url}/ranking/{student}{query}",
            credentials=Credentials("testing", "testing"),
        )
        return answer.status, answer.json()

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
