"""The training state machine (modules/ranking-pipeline/templates/state_machine.asl.json).

Static: the rendered template is valid JSON, every state is reachable, every transition
target exists, every Task is one of the module's functions with Lambda retries and a Catch.

Dynamic: moto's Step Functions interpreter (``execute_state_machine``, always on in the
project's emulator) runs the definition; Lambda tasks go to moto's Docker-less
"simple" Lambda backend, which returns scripted payloads queued through
``/moto-api/static/lambda-simple/response`` (one per invocation, in order). So the
executions exercise the ASL wiring (paths, Choice rules, Wait loops, Fail causes), not the
handlers (those have their own tests).
"""

from __future__ import annotations

import io
import json
import re
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from iackit.paths import REPO_ROOT

pytestmark = pytest.mark.unit

TEMPLATE = REPO_ROOT / "modules" / "ranking-pipeline" / "templates" / "state_machine.asl.json"
FUNCTIONS = (
    "export",
    "ensure_datasets",
    "start_import",
    "import_status",
    "ensure_solution",
    "create_solution_version",
    "solution_version_status",
    "deploy",
    "deploy_status",
    "publish",
)
NUMBERS = (
    "execution_timeout_seconds",
    "resource_wait_seconds",
    "import_wait_seconds",
    "training_wait_seconds",
    "deploy_wait_seconds",
)
LAMBDA_RETRY_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}
ACCOUNT = "123456789012"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:test-ranking-{name.replace('_', '-')}"


def render(values: dict[str, Any], path: Path = TEMPLATE) -> str:
    """What Terraform's templatefile() does with this template: ``${name}`` -> value,
    ``$${`` -> ``${``; an undefined variable is an error."""
    text = path.read_text(encoding="utf-8")
    assert "%{" not in text, "template directives are not expected"
    missing = set(PLACEHOLDER.findall(text.replace("$${", ""))) - set(values)
    assert not missing, f"placeholders without a value: {missing}"

    def substitute(match: re.Match[str]) -> str:
        if match.group(0).startswith("$$"):
            return match.group(0)[1:]
        return str(values[match.group(1)])

    return re.sub(r"\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}", substitute, text)


def default_values(wait: int = 60) -> dict[str, Any]:
    values: dict[str, Any] = {f"{n}_function_arn": function_arn(n) for n in FUNCTIONS}
    values.update({n: wait for n in NUMBERS})
    values["execution_timeout_seconds"] = 82800
    return values


def definition(wait: int = 60) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render(default_values(wait)))
    return parsed


def transitions(state: dict[str, Any]) -> list[str]:
    targets = [state["Next"]] if "Next" in state else []
    targets += [c["Next"] for c in state.get("Choices", [])]
    targets += [state["Default"]] if "Default" in state else []
    targets += [c["Next"] for c in state.get("Catch", [])]
    return targets


# --- static ---------------------------------------------------------------------------------


def test_template_placeholders_are_exactly_the_documented_ones() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    found = set(PLACEHOLDER.findall(text.replace("$${", "")))
    assert found == {f"{n}_function_arn" for n in FUNCTIONS} | set(NUMBERS)
    # every "${" is a placeholder: no stray interpolation
    assert text.count("${") == len(PLACEHOLDER.findall(text))


def test_rendered_definition_is_valid_and_every_state_reachable() -> None:
    asl = definition()
    states = asl["States"]
    assert asl["StartAt"] == "Export"
    for name, state in states.items():
        for target in transitions(state):
            assert target in states, f"{name} -> {target}: no such state"
        if state["Type"] not in ("Choice", "Succeed", "Fail"):
            assert "Next" in state or state.get("End") is True, f"{name} has no Next/End"
    reachable: set[str] = set()
    todo = [asl["StartAt"]]
    while todo:
        name = todo.pop()
        if name not in reachable:
            reachable.add(name)
            todo.extend(transitions(states[name]))
    assert reachable == set(states), f"unreachable: {set(states) - reachable}"
    terminal = {n for n, s in states.items() if s["Type"] in ("Succeed", "Fail")}
    assert {"Published", "SkippedNotEnoughData"} <= terminal
    assert {states[n]["Type"] for n in terminal} == {"Succeed", "Fail"}


def test_every_task_is_a_module_function_with_retries_and_catch() -> None:
    allowed = {function_arn(n) for n in FUNCTIONS}
    tasks = {n: s for n, s in definition()["States"].items() if s["Type"] == "Task"}
    assert {s["Resource"] for s in tasks.values()} == allowed  # each function used
    for name, task in tasks.items():
        assert task["Resource"] in allowed or task["Resource"].startswith("arn:aws:states:::")
        retried = {e for r in task["Retry"] for e in r["ErrorEquals"]}
        assert retried >= LAMBDA_RETRY_ERRORS, name
        assert task["Catch"] == [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "StepFailed"}
        ], name
        assert task["ResultPath"].startswith("$."), f"{name} must keep the state input"


def test_status_loops_wait_check_and_fail_with_the_failure_reason() -> None:
    states = definition()["States"]
    loops = {  # choice: (check task, result path, wait state, fail state)
        "DatasetsReady": ("EnsureDatasets", "$.datasets", "WaitForDatasets", "DatasetsFailed"),
        "ImportDone": ("CheckImport", "$.importStatus", "WaitForImport", "ImportFailed"),
        "SolutionReady": ("EnsureSolution", "$.solution", "WaitForSolution", "SolutionFailed"),
        "TrainingDone": ("CheckTraining", "$.trainingStatus", "WaitForTraining", "TrainingFailed"),
        "DeployDone": ("CheckDeploy", "$.deployStatus", "WaitForDeploy", "DeployFailed"),
    }
    for choice, (check, result, wait, fail) in loops.items():
        assert states[check]["Next"] == choice
        assert states[check]["ResultPath"] == result
        rules = {r["StringEquals"]: r["Next"] for r in states[choice]["Choices"]}
        assert all(r["Variable"] == f"{result}.status" for r in states[choice]["Choices"])
        assert rules["FAILED"] == fail
        assert states[choice]["Default"] == wait  # PENDING (anything else) waits
        assert states[wait]["Type"] == "Wait"
        assert states[wait]["Next"] == check
        assert states[fail] == {
            **states[fail],
            "Type": "Fail",
            "CausePath": f"{result}.failureReason",
        }
    guard = states["DataGuard"]["Choices"]
    assert guard == [
        {
            "Variable": "$.export.status",
            "StringEquals": "NOT_ENOUGH_DATA",
            "Next": "SkippedNotEnoughData",
        }
    ]


# --- moto's interpreter ---------------------------------------------------------------------


def _moto_api(endpoint: str, path: str, body: dict[str, Any]) -> bytes:
    request = urllib.request.Request(
        f"{endpoint}{path}", method="POST", data=json.dumps(body).encode()
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return bytes(response.read())


@pytest.fixture
def sfn_interpreter(aws: Any) -> Iterator[Any]:
    """moto server with Docker-less Lambda, restored after. The project's emulator runs
    moto's ASL interpreter always (`iackit.emulator.server`); the switch is not touched here
    (moto's config API does not report it, and a worker's later tests need it on)."""
    previous = json.loads(_moto_api(aws.endpoint, "/moto-api/config", {}))
    _moto_api(aws.endpoint, "/moto-api/config", {"lambda": {"use_docker": False}})
    try:
        yield aws
    finally:
        _moto_api(aws.endpoint, "/moto-api/config", {"lambda": previous["lambda"]})


def deploy_state_machine(emulator: Any) -> str:
    iam, lam, sfn = boto3.client("iam"), boto3.client("lambda"), boto3.client("stepfunctions")
    role = iam.create_role(RoleName="test-sfn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("training/app.py", "def handler(event, context):\n    return event\n")
    values = default_values(wait=1)
    values["execution_timeout_seconds"] = 300
    for name in FUNCTIONS:
        values[f"{name}_function_arn"] = lam.create_function(
            FunctionName=f"test-ranking-{name.replace('_', '-')}",
            Runtime="python3.12",
            Role=role,
            Handler=f"training.app.{name}_handler",
            Code={"ZipFile": package.getvalue()},
        )["FunctionArn"]
    return str(
        sfn.create_state_machine(
            name="test-ranking-training", definition=render(values), roleArn=role
        )["stateMachineArn"]
    )


def run_scripted(emulator: Any, machine: str, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """Queue one Lambda result per invocation, run the machine, return its history."""
    _moto_api(
        emulator.endpoint,
        "/moto-api/static/lambda-simple/response",
        {"results": [json.dumps(o) for o in outputs], "region": "us-east-1"},
    )
    sfn = boto3.client("stepfunctions")
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"trigger": "nightly"})
    )["executionArn"]
    deadline = time.monotonic() + 90
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution did not finish"
        time.sleep(0.2)
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e
    ]
    inputs = [
        json.loads(e["lambdaFunctionScheduledEventDetails"]["input"])
        for e in events
        if "lambdaFunctionScheduledEventDetails" in e
    ]
    return {"execution": described, "entered": entered, "lambda_inputs": inputs}


RUN: dict[str, Any] = {
    "runId": "20250107T020000Z",
    "runDate": "2025-01-07",
    "forceFull": False,
    "trigger": "nightly",
    "recipeArn": None,
}
EXPORT_READY: dict[str, Any] = {
    "status": "READY",
    "run": RUN,
    "counts": {"interactions": 1200},
    "files": {"batchInput": "s3://b/personalize/batch/input/20250107T020000Z/users.jsonl"},
}
DATASETS: dict[str, Any] = {
    "status": "ACTIVE",
    "datasetGroupArn": "arn:dsg",
    "datasets": {"INTERACTIONS": "arn:i"},
    "filters": {"quiz": "arn:f-quiz"},
}
IMPORT: dict[str, Any] = {
    "jobs": [{"datasetType": "INTERACTIONS", "jobName": "j", "jobArn": "arn:j"}],
    "runId": "r",
}
SOLUTION: dict[str, Any] = {
    "status": "ACTIVE",
    "solutionArn": "arn:s",
    "recipeArn": "arn:r",
    "created": False,
}
VERSION: dict[str, Any] = {"solutionVersionArn": "arn:sv", "trainingMode": "FULL", "created": True}
DEPLOYED: dict[str, Any] = {
    "mode": "campaign",
    "campaignArn": "arn:c",
    "solutionVersionArn": "arn:sv",
    "action": "UPDATED",
}


def test_moto_runs_the_whole_pipeline_with_wait_loops(sfn_interpreter: Any) -> None:
    machine = deploy_state_machine(sfn_interpreter)
    outputs: list[dict[str, Any]] = [
        EXPORT_READY,
        {"status": "PENDING", "datasetGroupArn": "arn:dsg", "datasets": {}},
        DATASETS,
        IMPORT,
        {"status": "PENDING", "jobs": []},
        {"status": "ACTIVE", "jobs": []},
        SOLUTION,
        VERSION,
        {"status": "ACTIVE", "solutionVersionArn": "arn:sv"},
        DEPLOYED,
        {"status": "ACTIVE"},
        {"parameterName": "/p", "eventId": "e-1"},
    ]

    result = run_scripted(sfn_interpreter, machine, outputs)

    assert result["execution"]["status"] == "SUCCEEDED", result["execution"]
    assert result["entered"] == [
        "Export",
        "DataGuard",
        "EnsureDatasets",
        "DatasetsReady",
        "WaitForDatasets",
        "EnsureDatasets",
        "DatasetsReady",
        "StartImport",
        "WaitForImport",
        "CheckImport",
        "ImportDone",
        "WaitForImport",
        "CheckImport",
        "ImportDone",
        "EnsureSolution",
        "SolutionReady",
        "CreateSolutionVersion",
        "WaitForTraining",
        "CheckTraining",
        "TrainingDone",
        "Deploy",
        "WaitForDeploy",
        "CheckDeploy",
        "DeployDone",
        "Publish",
        "Published",
    ]
    inputs = result["lambda_inputs"]
    assert inputs[0]["input"] == {"trigger": "nightly"}
    assert set(inputs[0]) == {"executionStartTime", "executionName", "input"}
    assert inputs[1] == {"run": RUN}  # EnsureDatasets
    assert inputs[3] == {"run": RUN, "datasets": DATASETS, "export": EXPORT_READY}  # StartImport
    assert inputs[4] == {"import": IMPORT}  # CheckImport
    assert inputs[6] == {"run": RUN, "datasets": DATASETS}  # EnsureSolution
    assert inputs[7] == {"run": RUN, "solution": SOLUTION}  # CreateSolutionVersion
    assert inputs[8] == {"solutionVersion": VERSION}  # CheckTraining
    # Deploy: the type filters too (batch mode runs one filtered job per item type)
    assert inputs[9] == {
        "run": RUN,
        "solutionVersion": VERSION,
        "export": EXPORT_READY,
        "filters": {"quiz": "arn:f-quiz"},
    }
    assert inputs[10] == {"deploy": DEPLOYED}  # CheckDeploy
    # Publish: the item type filters of EnsureDatasets go into the ranking parameter
    assert inputs[11] == {"run": RUN, "deploy": DEPLOYED, "filters": {"quiz": "arn:f-quiz"}}
    output = json.loads(result["execution"]["output"])
    assert output["publish"] == {"parameterName": "/p", "eventId": "e-1"}


def test_moto_skips_when_not_enough_data(sfn_interpreter: Any) -> None:
    machine = deploy_state_machine(sfn_interpreter)
    skipped = {**EXPORT_READY, "status": "NOT_ENOUGH_DATA", "reason": "5 interactions < 1000"}

    result = run_scripted(sfn_interpreter, machine, [skipped])

    assert result["execution"]["status"] == "SUCCEEDED"
    assert result["entered"] == ["Export", "DataGuard", "SkippedNotEnoughData"]
    assert len(result["lambda_inputs"]) == 1


def test_moto_fails_with_the_training_failure_reason(sfn_interpreter: Any) -> None:
    machine = deploy_state_machine(sfn_interpreter)
    reason = "Insufficient data: at least 1000 interactions from 25 users are required."
    outputs: list[dict[str, Any]] = [
        EXPORT_READY,
        DATASETS,
        IMPORT,
        {"status": "ACTIVE", "jobs": []},
        SOLUTION,
        VERSION,
        {"status": "FAILED", "solutionVersionArn": "arn:sv", "failureReason": reason},
    ]

    result = run_scripted(sfn_interpreter, machine, outputs)

    assert result["execution"]["status"] == "FAILED"
    assert result["execution"]["error"] == "TrainingFailed"
    assert result["execution"]["cause"] == reason
    assert result["entered"][-2:] == ["TrainingDone", "TrainingFailed"]


def test_moto_parser_rejects_an_unrendered_template(sfn_interpreter: Any) -> None:
    """moto's ASL parser does validate (syntax, types) in interpreter mode: the raw template
    (numeric placeholders) is rejected while the rendered one is accepted above."""
    sfn = boto3.client("stepfunctions")
    with pytest.raises(sfn.exceptions.ClientError, match="ASLParserException"):
        sfn.create_state_machine(
            name="test-raw-template",
            definition=TEMPLATE.read_text(encoding="utf-8"),
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/test-sfn",
        )
