"""modules/ranking-pipeline: the ten training step functions (least privilege each), the
Step Functions state machine, the Personalize role, the ranking SSM parameter, the nightly
EventBridge Scheduler schedule and the ranking.requestUpdate rule (retries + DLQs); apply on
the emulator, idempotency, destroy and bad input.

The state machine applies because the project's emulator (tools/iackit/emulator_server.py)
answers ValidateStateMachineDefinition and ListStateMachineVersions, which provider 6.34 calls
on every create and read and plain moto 5.2.5 does not implement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from iackit.emulator import ACCOUNT_ID, REGION
from iackit.paths import REPO_ROOT
from tests.harness.assertions import (
    assert_bucket_hardened,
    assert_inventory,
    assert_no_changes,
)
from tests.modules.student_data.helpers import BadInputBatches, Case

HERE = Path(__file__).parent
EXAMPLE = "modules/ranking-pipeline/examples/basic"
TEMPLATE = REPO_ROOT / "modules/ranking-pipeline/templates/state_machine.asl.json"
PREFIX = "rptest"
BASE_VARS = {
    "name_prefix": PREFIX,
    "training_package_path": str(REPO_ROOT / "build/lambda/training.zip"),
    "ingestion_package_path": str(REPO_ROOT / "build/lambda/ingestion.zip"),
}
M = "module.ranking_pipeline"
SFN = f"{M}.aws_sfn_state_machine.this"
STATE_MACHINE_ARN = f"arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:{PREFIX}-ranking-pipeline"
PERSONALIZE = f"arn:aws:personalize:{REGION}:{ACCOUNT_ID}"
BASE_NAME = f"{PREFIX}-student-ranking"
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
EXTERNAL_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/99999999-8888-7777-6666-555555555555"
REQUEST_UPDATE_PATTERN = {"source": ["api.ranking"], "detail-type": ["ranking.requestUpdate"]}


def _fn(step: str) -> str:
    return f'{M}.module.step["{step}"].aws_lambda_function.this'


def _policy(step: str) -> str:
    return f'{M}.module.step["{step}"].aws_iam_role_policy.function'


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _statements(policy_json: str | dict) -> dict[str, dict]:
    document = json.loads(policy_json) if isinstance(policy_json, str) else policy_json
    return {s.get("Sid", str(i)): s for i, s in enumerate(document["Statement"])}


def _actions(statements: dict[str, dict]) -> set[str]:
    return {a for s in statements.values() for a in _as_list(s["Action"])}


def _task_resources(definition: str) -> set[str]:
    states = json.loads(definition)["States"]
    return {s["Resource"] for s in states.values() if s["Type"] == "Task"}


@pytest.fixture(scope="module")
def ws(workspace):
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(ws):
    return ws.plan(BASE_VARS)


@pytest.fixture(scope="module")
def keyed_plan(ws):
    """With a given (string) key every step policy is known at plan time."""
    return ws.plan({**BASE_VARS, "platform_key_arn": EXTERNAL_KEY})


@pytest.fixture(scope="module")
def campaign_plan(ws):
    return ws.plan(
        {
            **BASE_VARS,
            "platform_key_arn": EXTERNAL_KEY,
            "deploy_mode": "campaign",
            "min_provisioned_tps": 2,
            "recipe": "aws-personalized-ranking-v2",
            "weekly_full_training_day": "SAT",
            "schedule_timezone": "UTC",
            "schedule_expression": "cron(30 3 ? * MON-FRI *)",
            "retry": {"maximum_retry_attempts": 5, "maximum_event_age_in_seconds": 600},
        }
    )


# ----------------------------------------------------------------------------- unit


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


# ----------------------------------------------------------------------------- plan


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_one_function_per_step_with_its_handler(plan, keyed_plan) -> None:
    functions = {
        a: v for a, v in plan.by_type("aws_lambda_function").items() if a.startswith(f"{M}.")
    }
    assert {v["function_name"]: v["handler"] for v in functions.values()} == {
        f"{PREFIX}-ranking-{step}": handler for step, handler in STEP_HANDLERS.items()
    }
    roles = {
        v["name"] for a, v in plan.by_type("aws_iam_role").items() if a.startswith(f"{M}.module")
    }
    assert roles == {f"{PREFIX}-ranking-{step}-lambda" for step in STEP_HANDLERS}
    # (with the example's key unknown at plan, environments are only known in keyed_plan)
    export_env = keyed_plan.values[_fn("export")]["environment"][0]["variables"]
    assert export_env["INTERACTIONS_TABLE_NAME"] == f"{PREFIX}-Interactions"
    assert export_env["STUDENTS_TABLE_NAME"] == f"{PREFIX}-Students"
    assert export_env["CLASS_ACTIVITY_TABLE_NAME"] == f"{PREFIX}-ClassActivity"
    assert export_env["DATA_BUCKET"] == f"{PREFIX}-ranking-data-{ACCOUNT_ID}-{REGION}"
    assert export_env["EXPORT_PREFIX"] == "personalize/export/"
    assert export_env["GLUE_CRAWLER_NAME"] == f"{PREFIX}-ranking-export"
    assert export_env["WATERMARK_PARAMETER_NAME"] == f"/{PREFIX}/ranking/watermark"
    assert export_env["RECIPE_ARN"] == "arn:aws:personalize:::recipe/aws-user-personalization-v2"
    assert export_env["DATA_KMS_KEY_ARN"] == EXTERNAL_KEY
    deploy_env = keyed_plan.values[_fn("deploy")]["environment"][0]["variables"]
    assert deploy_env["DEPLOY_MODE"] == "batch"
    assert deploy_env["PERSONALIZE_ROLE_ARN"] == (
        f"arn:aws:iam::{ACCOUNT_ID}:role/{PREFIX}-personalize-ranking"
    )
    publish_env = keyed_plan.values[_fn("publish")]["environment"][0]["variables"]
    assert publish_env["RANKING_PARAMETER_NAME"] == f"/{PREFIX}/ranking/current"
    assert publish_env["EVENT_BUS_NAME"] == f"{PREFIX}-student-event-bus"
    weekday = keyed_plan.values[_fn("create-solution-version")]["environment"][0]["variables"]
    assert weekday["FULL_TRAINING_WEEKDAY"] == "6"


@pytest.mark.plan
def test_schedule_targets_the_state_machine_nightly_in_local_time(plan, keyed_plan) -> None:
    schedule = plan.values[f"{M}.aws_scheduler_schedule.nightly"]
    assert schedule["schedule_expression"] == "cron(0 2 * * ? *)"
    assert schedule["schedule_expression_timezone"] == "Asia/Ho_Chi_Minh"
    assert schedule["flexible_time_window"] == [{"mode": "OFF", "maximum_window_in_minutes": None}]
    (target,) = schedule["target"]
    assert target["arn"] == STATE_MACHINE_ARN
    assert plan.values[SFN]["name"] == STATE_MACHINE_ARN.rsplit(":", 1)[-1]
    assert json.loads(target["input"]) == {"trigger": "nightly"}
    assert target["retry_policy"] == [
        {"maximum_retry_attempts": 3, "maximum_event_age_in_seconds": 3600}
    ]
    assert len(target["dead_letter_config"]) == 1
    scheduler_policy = _statements(
        keyed_plan.values[f"{M}.aws_iam_role_policy.scheduler"]["policy"]
    )
    assert scheduler_policy["StartPipeline"]["Action"] == "states:StartExecution"
    assert scheduler_policy["StartPipeline"]["Resource"] == STATE_MACHINE_ARN


@pytest.mark.plan
def test_request_update_rule_starts_the_state_machine(plan) -> None:
    rule = plan.values[f"{M}.aws_cloudwatch_event_rule.request_update"]
    assert json.loads(rule["event_pattern"]) == REQUEST_UPDATE_PATTERN
    target = plan.values[f"{M}.aws_cloudwatch_event_target.request_update"]
    assert target["arn"] == STATE_MACHINE_ARN
    assert target["retry_policy"] == [
        {"maximum_retry_attempts": 3, "maximum_event_age_in_seconds": 3600}
    ]
    assert len(target["dead_letter_config"]) == 1
    events_policy = _statements(plan.values[f"{M}.aws_iam_role_policy.events"]["policy"])
    assert events_policy == {
        "StartPipeline": {
            "Sid": "StartPipeline",
            "Effect": "Allow",
            "Action": "states:StartExecution",
            "Resource": STATE_MACHINE_ARN,
        }
    }


@pytest.mark.plan
def test_batch_mode_step_policies_are_least_privilege(keyed_plan) -> None:
    plan = keyed_plan
    deploy = _statements(plan.values[_policy("deploy")]["policy"])
    assert "personalize:CreateBatchInferenceJob" in _actions(deploy)
    assert not {"personalize:CreateCampaign", "personalize:UpdateCampaign"} & _actions(deploy)
    assert deploy["PassPersonalizeRole"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "personalize.amazonaws.com"}
    }
    status = _statements(plan.values[_policy("deploy-status")]["policy"])
    assert status["DescribeBatchJob"]["Resource"] == (
        f"{PERSONALIZE}:batch-inference-job/{PREFIX}-batch-*"
    )
    assert "DescribeCampaign" not in status
    datasets = _statements(plan.values[_policy("ensure-datasets")]["policy"])
    assert datasets["CreateDatasetGroup"]["Resource"] == f"{PERSONALIZE}:dataset-group/{BASE_NAME}"
    export = _statements(plan.values[_policy("export")]["policy"])
    assert set(_as_list(export["ScanTables"]["Resource"])) == {
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{PREFIX}-{name}"
        for name in ("Students", "Interactions", "ClassActivity")
    }
    bucket_arn = f"arn:aws:s3:::{PREFIX}-ranking-data-{ACCOUNT_ID}-{REGION}"
    assert set(_as_list(export["WriteExports"]["Resource"])) == {
        f"{bucket_arn}/personalize/export/*",
        f"{bucket_arn}/personalize/batch/input/*",
    }
    assert export["StartCrawler"]["Resource"] == (
        f"arn:aws:glue:{REGION}:{ACCOUNT_ID}:crawler/{PREFIX}-ranking-export"
    )
    assert export["UseDataKey"]["Resource"] == EXTERNAL_KEY
    # Only Personalize List* (no resource type) and X-Ray use "*"; actions are explicit.
    for step in set(STEP_HANDLERS) - {"publish"}:  # publish names the bus: checked after apply
        for sid, statement in _statements(plan.values[_policy(step)]["policy"]).items():
            actions = _as_list(statement["Action"])
            assert all("*" not in a for a in actions), (step, sid)
            if "*" in _as_list(statement["Resource"]):
                assert all(a.startswith(("personalize:List", "xray:")) for a in actions), (
                    step,
                    sid,
                )


@pytest.mark.plan
def test_campaign_variant_changes_permissions_schedule_and_settings(campaign_plan) -> None:
    deploy = _statements(campaign_plan.values[_policy("deploy")]["policy"])
    assert set(_as_list(deploy["ManageCampaign"]["Action"])) == {
        "personalize:DescribeCampaign",
        "personalize:CreateCampaign",
        "personalize:UpdateCampaign",
    }
    assert f"{PERSONALIZE}:campaign/{BASE_NAME}" in _as_list(deploy["ManageCampaign"]["Resource"])
    assert not any("Batch" in a for a in _actions(deploy))
    assert "PassPersonalizeRole" not in deploy
    status = _statements(campaign_plan.values[_policy("deploy-status")]["policy"])
    assert set(status) == {"WriteOwnLogs", "WriteTraces", "DecryptEnvironment", "DescribeCampaign"}
    env = campaign_plan.values[_fn("deploy")]["environment"][0]["variables"]
    assert env["DEPLOY_MODE"] == "campaign"
    assert env["MIN_PROVISIONED_TPS"] == "2"
    solution_env = campaign_plan.values[_fn("ensure-solution")]["environment"][0]["variables"]
    assert solution_env["RECIPE_ARN"] == "arn:aws:personalize:::recipe/aws-personalized-ranking-v2"
    weekday = campaign_plan.values[_fn("create-solution-version")]["environment"][0]["variables"]
    assert weekday["FULL_TRAINING_WEEKDAY"] == "5"
    schedule = campaign_plan.values[f"{M}.aws_scheduler_schedule.nightly"]
    assert schedule["schedule_expression"] == "cron(30 3 ? * MON-FRI *)"
    assert schedule["schedule_expression_timezone"] == "UTC"
    assert schedule["target"][0]["retry_policy"] == [
        {"maximum_retry_attempts": 5, "maximum_event_age_in_seconds": 600}
    ]


@pytest.mark.plan
def test_module_creates_its_own_key_when_none_is_given(ws) -> None:
    own_key_plan = ws.plan({**BASE_VARS, "pipeline_own_key": True})
    (key,) = [v for a, v in own_key_plan.by_type("aws_kms_key").items() if a.startswith(f"{M}.")]
    assert key["enable_key_rotation"] is True
    key_policy = _statements(key["policy"])
    assert key_policy["EventBridgeWritesRuleDlq"]["Principal"] == {
        "Service": "events.amazonaws.com"
    }
    assert set(
        key_policy["CloudWatchLogsEncryptPipelineLogs"]["Condition"]["ArnLike"][
            "kms:EncryptionContext:aws:logs:arn"
        ]
    ) == {
        f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/lambda/{PREFIX}-ranking-*",
        f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/vendedlogs/states/{PREFIX}-ranking-pipeline",
    }


# ----------------------------------------------------------------------------- apply


@pytest.mark.apply
def test_apply_creates_pipeline_triggers_then_converges_and_destroys(applied, boto) -> None:
    with applied(EXAMPLE, BASE_VARS) as (ws, outputs):
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
        sfn_policy = _statements(
            iam.get_role_policy(
                RoleName=f"{PREFIX}-ranking-pipeline-sfn",
                PolicyName=f"{PREFIX}-ranking-pipeline-least-privilege",
            )["PolicyDocument"]
        )
        invoke = sfn_policy["InvokeOwnSteps"]
        assert _as_list(invoke["Action"]) == ["lambda:InvokeFunction"]
        assert set(_as_list(invoke["Resource"])) == {
            arn for a in function_arns.values() for arn in (a, f"{a}:*")
        }
        lambda_actions = {a for a in _actions(sfn_policy) if a.startswith("lambda:")}
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
        for url in outputs["dlq_urls"].values():
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])[
                "Attributes"
            ]
            assert attributes["KmsMasterKeyId"].startswith(f"arn:aws:kms:{REGION}:")

        role_name = outputs["personalize_role_arn"].rsplit("/", 1)[-1]
        role = iam.get_role(RoleName=role_name)["Role"]
        trust = role["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        (assume,) = trust["Statement"]
        assert assume["Principal"] == {"Service": "personalize.amazonaws.com"}
        assert assume["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}
        personalize_policy = _statements(
            iam.get_role_policy(
                RoleName=role_name, PolicyName=f"{PREFIX}-personalize-ranking-least-privilege"
            )["PolicyDocument"]
        )
        bucket_arn = f"arn:aws:s3:::{outputs['data_bucket_name']}"
        assert set(_as_list(personalize_policy["ReadExportAndBatchInput"]["Resource"])) == {
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
            for sid, statement in _statements(document).items():
                actions = _as_list(statement["Action"])
                assert all("*" not in a for a in actions), (step, sid)
                if "*" in _as_list(statement["Resource"]):
                    assert all(a.startswith(("personalize:List", "xray:")) for a in actions), (
                        step,
                        sid,
                    )

        assert_bucket_hardened(boto("s3"), outputs["data_bucket_name"], outputs["data_kms_key_arn"])

        assert_no_changes(ws.plan(BASE_VARS))


# ----------------------------------------------------------------------------- bad input

BAD_INPUTS = BadInputBatches(
    [
        Case({"recipe": "aws-similar-items"}, "recipe must be aws-user-personalization-v2 or"),
        Case({"deploy_mode": "realtime"}, "deploy_mode must be campaign or batch"),
        Case({"schedule_timezone": "Hanoi"}, "schedule_timezone must be an IANA time zone name"),
        Case({"schedule_expression": "cron(0 2 * * ?)"}, "schedule_expression must be cron() with"),
        Case({"min_provisioned_tps": 0}, "min_provisioned_tps must be a whole number between 1"),
        Case({"weekly_full_training_day": "sunday"}, "weekly_full_training_day must be one of"),
        Case(
            {"retry": {"maximum_retry_attempts": 186}},
            "retry.maximum_retry_attempts must be a whole number between 0 and 185",
        ),
        Case({"name_prefix": "Prod_1"}, "name_prefix must be 2-16 characters"),
        Case({"training_package_path": "/tmp/training.tgz"}, "package_paths must contain a"),
        Case({"schedule_timezone": "Asia/Ho Chi Minh"}, "schedule_timezone must be an IANA time"),
        Case({"schedule_expression": "every day at 2"}, "schedule_expression must be cron() with"),
        Case({"min_provisioned_tps": 501}, "min_provisioned_tps must be a whole number between 1"),
        Case(
            {"retry": {"maximum_event_age_in_seconds": 30}},
            "retry.maximum_event_age_in_seconds must be a whole number between 60 and 86400",
        ),
        Case({"schedule_timezone": "UTC+7"}, "schedule_timezone must be an IANA time zone name"),
        Case({"schedule_expression": "rate(0 days)"}, "schedule_expression must be cron() with"),
        Case({"min_provisioned_tps": 1.5}, "min_provisioned_tps must be a whole number between"),
    ]
)


@pytest.mark.plan
@pytest.mark.parametrize("case", BAD_INPUTS.cases, ids=[c.id for c in BAD_INPUTS.cases])
def test_bad_input_fails_at_plan_with_clear_message(ws, case) -> None:
    assert case.message in BAD_INPUTS.error_for(case, ws.plan, BASE_VARS)
