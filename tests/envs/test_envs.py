"""envs/dev and envs/prod: the composition, its wiring, the per-environment differences, and
dev applied to the emulator with the `make up` scenario walked through it (the deployed
functions, run from their zips and the dependency layer, observed through their effects),
then a teacher announcement that must reach exactly the targets its rules name."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import boto3
import pytest

from iackit import cost, datagen, packaging
from iackit.emulator import fire_schedule, local_api_url
from iackit.mainjob import (
    EMULATOR_DEV_VARS,
    SCENARIO_EMAIL,
    EmulatorMailbox,
    emulator_env,
    personalize_left,
)
from iackit.paths import REPO_ROOT
from iackit.scenario import Deployment, Scenario
from iackit.signed_http import request
from iackit.tf import PlanResult
from tests.harness.assertions import assert_no_changes
from tests.harness.deployed import drain, emails_to, invocations, put_event, settled, wait_for
from tests.harness.plans import env_variants

# The module calls that deploy functions, each given the functions' layers: the dependency
# layer built by `make package`, on the emulator too (the AWS-managed Powertools alternative
# is planned, tests/envs/alternatives.yaml: moto rejects unknown layer ARNs).
LAYERED_MODULES = ["data", "notifier", "publisher_api", "ranking_pipeline", "ranking_api"]
BUILT_LAYER = REPO_ROOT / "build" / "lambda" / f"{packaging.LAYER_NAME}.zip"
MODULES = [
    "dependencies_layer",
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


# dev, prod and prod's alternatives (the managed Powertools layer, JWT on both APIs and
# operator roles on the closed bus) are planned once per run, inside the plan tier's batches
# (tests/harness/plans.py `env_variants`).
VARIANTS = env_variants()


@pytest.fixture
def plans(planned) -> dict[str, PlanResult]:
    return {env: planned(VARIANTS[env]) for env in ("dev", "prod")}


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


@pytest.mark.plan
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_module_is_composed(plans, env) -> None:
    # dev: the simulated site (its cloud side inside it); prod: the real site's link.
    expected = set(MODULES) | ({"onprem"} if env == "dev" else {"connectivity"})
    assert modules_in(plans[env]) == expected


# What each environment plans (the VPN path, wiring between modules, per-environment
# differences, the default AWS_IAM routes) is stated in tests/envs/<env>.yaml; these are
# the rules those inventories cannot state.
@pytest.mark.plan
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_what_the_inventories_cannot_say(plans, env) -> None:
    plan = plans[env]
    assert plan.raw["planned_values"]["outputs"]["onprem_vpn_tunnels"]["sensitive"] is True
    # The ranking function reads no table (the popularity object replaced the scan).
    assert "INTERACTIONS_TABLE_NAME" not in function_env(plan, "module.ranking_api.")
    if env == "dev":  # the customer gateway is the simulated site's address, known after apply
        gateway = "module.onprem[0].module.connectivity.aws_customer_gateway.this[0]"
        assert "ip_address" not in plan.values[gateway]


@pytest.mark.plan
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_readme_idle_cost_is_generated_from_the_plan(plans, env) -> None:
    """envs/README.md shows what `make cost ENV=<env> ARGS=--write-readme` prints for this
    very plan (the env's own tfvars): a change of resources or prices makes it stale."""
    readme = (REPO_ROOT / "envs" / "README.md").read_text()
    report = cost.price(plans[env].raw, env)
    assert cost.readme_block(report) in readme, f"stale: `make cost ENV={env} ARGS=--write-readme`"
    if env == "dev":
        assert report.total < 250, "dev with the lab must idle under $250/month"


def function_changes(plan: PlanResult) -> dict[str, dict[str, Any]]:
    return {
        rc["address"]: rc["change"]
        for rc in plan.resource_changes
        if rc["type"] == "aws_lambda_function" and rc["mode"] == "managed"
    }


@pytest.mark.plan
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_function_uses_the_built_dependency_layer(plans, env) -> None:
    plan = plans[env]
    layer = plan.values["module.dependencies_layer[0].aws_lambda_layer_version.this"]
    # Published from the zip `make package` built (the one tests/unit/packaging checks).
    digest = base64.b64encode(hashlib.sha256(BUILT_LAYER.read_bytes()).digest()).decode()
    assert layer["source_code_hash"] == digest
    # The layer version's ARN is only known once published (the apply test reads every
    # function's layers back), so: every module call that takes layers is given local.layers,
    # the only layers of every function come through those calls, and they are unknown at
    # plan, as the published version's ARN is (with the managed alternative they are known).
    calls = plan.raw["configuration"]["root_module"]["module_calls"]
    given = {
        name: expression.get("references", [])
        for name, call in calls.items()
        for key, expression in call.get("expressions", {}).items()
        if key.endswith("layers")
    }
    assert given == {name: ["local.layers"] for name in LAYERED_MODULES}
    functions = function_changes(plan)
    assert len(functions) >= 5
    for address, change in functions.items():
        assert address.split(".")[1].split("[")[0] in LAYERED_MODULES, address
        assert change["after_unknown"].get("layers") is True, address


@pytest.mark.plan
def test_api_auth_values_are_refused_by_the_rule_they_break(workspace) -> None:
    """Checked as plan checks variables first (a failing plan took 14 s: the whole
    environment is planned before errors are reported). One rule broken per value: OpenTofu
    reports only a variable's first failing rule."""
    prod = workspace("envs/prod", init=False)
    assert prod.refused_variables({"api_auth": {"type": "AWS_IAM"}}) == ""
    refused = prod.refused_variables({"api_auth": {"type": "JWT"}})
    text = " ".join(refused.split())
    assert "api_auth.type = JWT needs api_auth.jwt with issuer" in text, text
    text = " ".join(prod.refused_variables({"api_auth": {"type": "OIDC"}}).split())
    assert "api_auth.type must be AWS_IAM, JWT or NONE." in text, text
    jwt = {"issuer": "https://issuer.example", "audience": ["app"]}
    text = " ".join(prod.refused_variables({"api_auth": {"type": "AWS_IAM", "jwt": jwt}}).split())
    assert "api_auth.jwt is only used with api_auth.type = JWT" in text, text


@pytest.mark.apply
def test_dev_applies_runs_the_scenario_converges_and_destroys(applied, emulator, boto) -> None:
    with applied("envs/dev", EMULATOR_DEV_VARS) as (ws, outputs):
        assert outputs["event_bus_name"] == "dev-student-event-bus"
        assert set(outputs["function_names"]) == {"publisher", "notifier", "ingestion", "ranking"}
        # Every deployed function lists exactly the dependency layer version published here.
        client = boto("lambda")
        (layer_arn,) = outputs["lambda_layers"]
        assert ":layer:dev-python-deps:" in layer_arn
        deployed = [
            f for f in client.list_functions()["Functions"] if f["FunctionName"].startswith("dev-")
        ]
        assert len(deployed) >= 5
        for function in deployed:
            assert [layer["Arn"] for layer in function.get("Layers", [])] == [layer_arn]
        notifier = client.get_function_configuration(
            FunctionName=outputs["function_names"]["notifier"]
        )["Environment"]["Variables"]
        assert notifier["STUDENTS_TABLE_NAME"] == outputs["students_table_name"]
        assert notifier["SENDER_EMAIL"] == outputs["sender_email"]
        with emulator_env(emulator.endpoint):
            session = boto3.Session(region_name="us-east-1")
            session.client("ses").verify_email_identity(EmailAddress=outputs["sender_email"])
            deployment = Deployment.from_outputs(
                outputs, lambda url: local_api_url(emulator.endpoint, url)
            )
            mailbox = EmulatorMailbox(emulator.endpoint)
            scenario = Scenario(deployment, session, mailbox, SCENARIO_EMAIL)
            scenario.run()
            _assert_an_announcement_reaches_its_targets_only(boto, emulator, outputs)
            scenario.cleanup()
            _assert_the_nightly_schedule_trains_and_ranking_answers_from_it(
                boto, emulator, outputs, session
            )
        students = boto("dynamodb").scan(TableName=outputs["students_table_name"])["Items"]
        assert students == []
        assert_no_changes(ws.plan(EMULATOR_DEV_VARS))
    # What the pipeline created in Personalize went with the destroy.
    with emulator_env(emulator.endpoint):
        assert personalize_left(boto3.client("personalize", region_name="us-east-1")) == []


def _assert_the_nightly_schedule_trains_and_ranking_answers_from_it(
    boto, emulator, outputs, session
) -> None:
    """A synthetic school in the tables, the nightly schedule fired: one execution with the
    schedule's input runs the whole pipeline on the emulated Personalize (dev: batch mode),
    and the ranking API then answers from what it published, not the fallback."""
    school = datagen.generate()
    datagen.write(
        session,
        school,
        outputs["students_table_name"],
        outputs["interactions_table_name"],
        outputs["class_activity_table_name"],
    )
    sfn, machine = boto("stepfunctions"), outputs["ranking_state_machine_arn"]
    assert sfn.list_executions(stateMachineArn=machine)["executions"] == []
    schedule = outputs["ranking_schedule"]
    fired = fire_schedule(emulator.endpoint, schedule["name"], schedule["group"])
    (execution,) = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert execution["executionArn"] == fired["ExecutionArn"]

    def finished() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=fired["ExecutionArn"])
        return None if described["status"] == "RUNNING" else described

    described = wait_for(finished, timeout=300, what="the nightly execution")
    assert json.loads(described["input"]) == {"trigger": "nightly"}
    assert described["status"] == "SUCCEEDED", described
    history = sfn.get_execution_history(executionArn=fired["ExecutionArn"])["events"]
    states = [
        e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e
    ]
    assert states[-2:] == ["Publish", "Published"], states
    student = school.students[0].student_id
    ranking = local_api_url(emulator.endpoint, outputs["ranking_api_endpoint"])
    answer = request("GET", f"{ranking}/ranking/{student}", credentials=session.get_credentials())
    assert answer.status == 200, answer.body
    assert answer.json()["source"] == "batch", answer.json()
    # ?type=quiz: the quiz filter's own batch job, indexed by Publish (types never mix)
    quizzes = request(
        "GET", f"{ranking}/ranking/{student}?type=quiz", credentials=session.get_credentials()
    )
    assert quizzes.status == 200, quizzes.body
    assert (quizzes.json()["source"], quizzes.json()["type"]) == ("batch", "quiz"), quizzes.json()
    served = [i["itemId"] for i in quizzes.json()["items"]]
    assert served, quizzes.json()
    assert all("-Q" in item_id for item_id in served), served
    # The same run published each class's engagement ranking: one GetObject per request.
    classes = {c for s in school.students for c in s.class_ids}
    busiest = max(classes, key=lambda c: sum(c in s.class_ids for s in school.students))
    by_class = request(
        "GET", f"{ranking}/classes/{busiest}/ranking", credentials=session.get_credentials()
    )
    assert by_class.status == 200, by_class.body
    ranked = by_class.json()["students"]
    assert by_class.json()["source"] == "engagement"
    assert {s["studentId"] for s in ranked} == {
        s.student_id for s in school.students if busiest in s.class_ids
    }
    assert [s["rank"] for s in ranked] == list(range(1, len(ranked) + 1))
    assert [s["score"] for s in ranked] == sorted((s["score"] for s in ranked), reverse=True)
    datagen.remove(
        session,
        school,
        outputs["students_table_name"],
        outputs["interactions_table_name"],
        outputs["class_activity_table_name"],
    )


def _assert_an_announcement_reaches_its_targets_only(boto, emulator, outputs) -> None:
    """After the scenario: teacher.sendAnnouncement reaches exactly what its rules name in
    dev (the notifier, ingestion, which records it in ClassActivity, and the audit queue),
    each once. The notifier emails the class (the scenario's student is in A1)."""
    names, logs = outputs["function_names"], boto("logs")
    # The scenario's delivery to ingestion (student.enrolled) has finished.
    ingestion_runs = settled(boto, names["ingestion"], at_least=1)
    notifier_runs = invocations(logs, names["notifier"])[0]
    emails = len(emails_to(emulator, SCENARIO_EMAIL))
    event_id = put_event(
        boto,
        outputs["event_bus_name"],
        "api.teacher",
        "teacher.sendAnnouncement",
        {"teacherId": "T1", "classId": "A1", "content": "Thứ Bảy lớp A1 học bù."},
    )
    wait_for(
        lambda: len(emails_to(emulator, SCENARIO_EMAIL)) > emails, what="the announcement email"
    )
    assert settled(boto, names["notifier"], at_least=notifier_runs + 1) == notifier_runs + 1
    assert len(emails_to(emulator, SCENARIO_EMAIL)) == emails + 1
    audited = [body["id"] for body in drain(boto("sqs"), outputs["audit_queue_url"])]
    assert audited.count(event_id) == 1, f"{event_id} reached the audit queue {audited}"
    assert settled(boto, names["ingestion"], at_least=ingestion_runs + 1) == ingestion_runs + 1
