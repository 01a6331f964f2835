"""envs/dev and envs/prod: the composition, its wiring, the per-environment differences, and
dev applied to the emulator with the `make up` scenario walked through it."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from iackit.mainjob import EMULATOR_DEV_VARS, Scenario, emulator_env
from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes

# The emulator has no AWS-managed Lambda layers (moto rejects unknown layer ARNs).
EMULATOR_VARS: dict[str, Any] = {"powertools_layer_version": None}
MODULES = [
    "network",
    "s3_access",
    "data",
    "lake",
    "email",
    "notifier",
    "events",
    "publisher_api",
    "ranking_pipeline",
    "ranking_api",
]


@pytest.fixture(scope="module")
def plans(workspace) -> dict[str, PlanResult]:
    return {env: workspace(f"envs/{env}").plan(EMULATOR_VARS) for env in ("dev", "prod")}


def modules_in(plan: PlanResult) -> set[str]:
    return {
        address.split(".")[1].split("[")[0]
        for address in plan.values
        if address.startswith("module.")
    }


def function_env(plan: PlanResult, module_prefix: str) -> dict[str, str]:
    """Environment variables of the one Lambda function under `module_prefix`."""
    found = [
        values
        for address, values in plan.by_type("aws_lambda_function").items()
        if address.startswith(module_prefix)
    ]
    assert len(found) == 1, f"expected one function under {module_prefix}, found {len(found)}"
    return dict(found[0]["environment"][0]["variables"])


def values_of(
    plan: PlanResult, resource_type: str, module_prefix: str = ""
) -> list[dict[str, Any]]:
    return [v for a, v in plan.by_type(resource_type).items() if a.startswith(module_prefix)]


@pytest.mark.plan
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_module_is_composed(plans, env) -> None:
    expected = set(MODULES) | ({"onprem"} if env == "dev" else set())
    assert modules_in(plans[env]) == expected


@pytest.mark.plan
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_wiring_between_modules(plans, env) -> None:
    plan = plans[env]
    # (The notifier's environment is only known after apply: checked in the apply test.)
    publisher = function_env(plan, "module.publisher_api.")
    assert publisher["EVENT_BUS_NAME"] == f"{env}-student-event-bus"
    ranking = function_env(plan, "module.ranking_api.")
    assert (
        ranking["RANKING_PARAMETER_NAME"]
        == plan.values['module.ranking_pipeline.aws_ssm_parameter.this["ranking"]']["name"]
    )
    assert ranking["INTERACTIONS_TABLE_NAME"] == f"{env}-Interactions"
    # The on-demand retraining rule listens on the platform bus.
    rule = plan.values["module.ranking_pipeline.aws_cloudwatch_event_rule.request_update"]
    assert rule["event_bus_name"] == f"{env}-student-event-bus"
    assert json.loads(rule["event_pattern"])["detail-type"] == ["ranking.requestUpdate"]
    # Rules fan out to the notifier and the ingestion function.
    targets = plan.by_type("aws_cloudwatch_event_target")
    keys = {address.split('"')[1] for address in targets if address.startswith("module.events.")}
    assert {
        "notifier/enrolled",
        "notifier/announcement",
        "ingestion/enrolled",
        "ingestion/submitted",
    } <= keys


@pytest.mark.plan
@pytest.mark.parametrize(
    ("env", "onprem_cidr"), [("dev", "172.16.0.0/16"), ("prod", "192.168.0.0/20")]
)
def test_endpoint_security_group_admits_onprem(plans, env, onprem_cidr) -> None:
    rules = values_of(plans[env], "aws_vpc_security_group_ingress_rule", "module.s3_access.")
    https = {r["cidr_ipv4"] for r in rules if r["from_port"] == 443 and r["to_port"] == 443}
    assert onprem_cidr in https
    assert "0.0.0.0/0" not in https


@pytest.mark.plan
def test_per_environment_differences(plans) -> None:
    dev, prod = plans["dev"], plans["prod"]
    assert len(values_of(dev, "aws_subnet", "module.network.")) == 2
    assert len(values_of(prod, "aws_subnet", "module.network.")) == 3

    for plan, retention in ((dev, 7), (prod, 365)):
        groups = values_of(plan, "aws_cloudwatch_log_group", "module.notifier.")
        assert groups
        assert {g["retention_in_days"] for g in groups} == {retention}

    for plan, protected in ((dev, False), (prod, True)):
        tables = values_of(plan, "aws_dynamodb_table", "module.data.")
        assert {t["deletion_protection_enabled"] for t in tables} == {protected}
        assert {t["point_in_time_recovery"][0]["enabled"] for t in tables} == {protected}

    for plan, mode in ((dev, "batch"), (prod, "campaign")):
        deploy_status = 'module.ranking_pipeline.module.step["deploy-status"].'
        assert function_env(plan, deploy_status)["DEPLOY_MODE"] == mode

    assert not dev.by_type("aws_cloudwatch_metric_alarm")
    alarms = prod.by_type("aws_cloudwatch_metric_alarm")
    assert any("lambda_errors" in a for a in alarms)
    assert any("dead_letters" in a for a in alarms)
    assert prod.by_type("aws_sns_topic_subscription")

    assert "aws_sqs_queue.audit[0]" in dev.values
    assert "aws_sqs_queue.audit[0]" not in prod.values


def boto_env(emulator, function_name: str) -> dict[str, str]:
    client = boto3.client(
        "lambda",
        endpoint_url=emulator.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    config = client.get_function_configuration(FunctionName=function_name)
    return dict(config["Environment"]["Variables"])


@pytest.mark.apply
def test_dev_applies_runs_the_scenario_converges_and_destroys(applied, emulator) -> None:
    with applied("envs/dev", EMULATOR_DEV_VARS) as (ws, outputs):
        assert outputs["event_bus_name"] == "dev-student-event-bus"
        assert set(outputs["function_names"]) == {"publisher", "notifier", "ingestion", "ranking"}
        notifier = boto_env(emulator, outputs["function_names"]["notifier"])
        assert notifier["STUDENTS_TABLE_NAME"] == outputs["students_table_name"]
        assert notifier["SENDER_EMAIL"] == outputs["sender_email"]
        with emulator_env(emulator.endpoint):
            Scenario(emulator.endpoint, outputs).run()
        assert_no_changes(ws.plan(EMULATOR_DEV_VARS))
