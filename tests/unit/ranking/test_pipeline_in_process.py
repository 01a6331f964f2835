"""The real handlers driven through the real ASL, in process.

A minimal interpreter of the subset of ASL the template uses (Task with Parameters and
ResultPath, Choice/StringEquals, Wait, Succeed, Fail/CausePath) feeds each handler exactly the
input its Task's ``Parameters`` build, stores its JSON round-tripped output at ``ResultPath``
and follows the Choices. DynamoDB, S3, SSM, Glue and EventBridge are the emulator; Personalize
is a Stubber that verifies every request of two consecutive nightly runs.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

import training.app as training_app
from iackit.lambda_events import LambdaContext
from tests.unit.ranking import factories as f
from tests.unit.ranking.conftest import offline_client
from tests.unit.ranking.test_state_machine import FUNCTIONS, definition, function_arn
from training.datasets import load_schema

pytestmark = pytest.mark.unit

PREFIX = "dev"
P = "arn:aws:personalize:us-east-1:123456789012"
DSG = f"{P}:dataset-group/dev-student-ranking"
DS = {t: f"{P}:dataset/dev-student-ranking/{t}" for t in ("INTERACTIONS", "USERS", "ITEMS")}
SOLUTION = f"{P}:solution/dev-student-ranking-user-personalization-v2"
CAMPAIGN = f"{P}:campaign/dev-student-ranking"
ROLE = "arn:aws:iam::123456789012:role/dev-personalize"
TYPES = {"INTERACTIONS": "Interactions", "USERS": "Users", "ITEMS": "Items"}


def get_path(data: Any, path: str) -> Any:
    node = data
    for key in path.removeprefix("$").strip(".").split("."):
        if key:
            node = node[key]
    return node


def resolve(params: dict[str, Any], data: Any, context: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key.endswith(".$"):
            source = context if value.startswith("$$") else data
            out[key[:-2]] = copy.deepcopy(get_path(source, value.removeprefix("$")))
        elif isinstance(value, dict):
            out[key] = resolve(value, data, context)
        else:
            out[key] = value
    return out


def run_asl(
    handlers: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]],
    execution_input: dict[str, Any],
    start_time: str,
    on_wait: Callable[[], None] | None = None,
) -> tuple[str, list[str], dict[str, Any]]:
    """Run the ASL; a Wait state calls ``on_wait`` (nothing: Stubbers answer at once)."""
    asl = definition()
    context = {"Execution": {"StartTime": start_time, "Name": "nightly"}}
    data: dict[str, Any] = copy.deepcopy(execution_input)
    name, visited = asl["StartAt"], []
    for _ in range(200):
        state = asl["States"][name]
        visited.append(name)
        kind = state["Type"]
        if kind == "Task":
            result = handlers[state["Resource"]](
                resolve(state["Parameters"], data, context), LambdaContext()
            )
            # what Step Functions stores: JSON (a datetime in a result would fail here)
            data[state["ResultPath"].removeprefix("$.")] = json.loads(json.dumps(result))
            name = state["Next"]
        elif kind == "Choice":
            name = next(
                (
                    r["Next"]
                    for r in state["Choices"]
                    if get_path(data, r["Variable"]) == r["StringEquals"]
                ),
                state["Default"],
            )
        elif kind == "Wait":
            if on_wait is not None:
                on_wait()
            name = state["Next"]
        elif kind == "Succeed":
            return "SUCCEEDED", visited, data
        else:
            return (
                "FAILED",
                visited,
                {"Error": state["Error"], "Cause": get_path(data, state["CausePath"])},
            )
    raise AssertionError(f"no terminal state after 200 transitions: {visited[-10:]}")


@pytest.fixture
def env(aws: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return pipeline_env(monkeypatch, offline_client("personalize"))


def pipeline_env(monkeypatch: pytest.MonkeyPatch, personalize: Any) -> dict[str, Any]:
    """Tables, bucket, crawler, bus, the step environment; Personalize is ``personalize``."""
    clients = {n: boto3.client(n) for n in ("dynamodb", "s3", "ssm", "glue", "events", "sqs")}
    f.create_tables(clients["dynamodb"])
    f.create_bucket(clients["s3"])
    f.create_crawler(clients["glue"])
    clients["events"].create_event_bus(Name=f.BUS)
    queue = clients["sqs"].create_queue(QueueName="ranking-updated")["QueueUrl"]
    queue_arn = clients["sqs"].get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    clients["events"].put_rule(
        Name="updated", EventBusName=f.BUS, EventPattern=json.dumps({"source": ["api.ranking"]})
    )
    clients["events"].put_targets(
        Rule="updated",
        EventBusName=f.BUS,
        Targets=[{"Id": "q", "Arn": queue_arn["Attributes"]["QueueArn"]}],
    )
    clients["queue"] = queue
    for key, value in {
        "NAME_PREFIX": PREFIX,
        "INTERACTIONS_TABLE_NAME": f.INTERACTIONS,
        "STUDENTS_TABLE_NAME": f.STUDENTS,
        "CLASS_ACTIVITY_TABLE_NAME": f.CLASS_ACTIVITY,
        "DATA_BUCKET": f.BUCKET,
        "GLUE_CRAWLER_NAME": f.CRAWLER,
        "WATERMARK_PARAMETER_NAME": f.WATERMARK_PARAM,
        "PERSONALIZE_ROLE_ARN": ROLE,
        "DEPLOY_MODE": "campaign",
        "MIN_PROVISIONED_TPS": "1",
        "RANKING_PARAMETER_NAME": f.RANKING_PARAM,
        "EVENT_BUS_NAME": f.BUS,
    }.items():
        monkeypatch.setenv(key, value)

    clients["personalize"] = personalize

    def factory(service: str) -> Any:
        return personalize if service == "personalize" else boto3.client(service)

    for module in ("export", "datasets", "imports", "solution", "deploy", "publish"):
        monkeypatch.setattr(f"training.{module}.cached_client", factory)
    return clients


def handlers() -> dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]]:
    return {function_arn(n): getattr(training_app, f"{n}_handler") for n in FUNCTIONS}


def import_job(t: str, run_id: str) -> str:
    return f"{P}:dataset-import-job/dev-{t.lower()}-{run_id}"


FILTERS = {t: f"{P}:filter/dev-student-ranking-type-{t}" for t in ("class", "material", "quiz")}


def stub_filters(stub: Stubber, status: str | None) -> None:
    found = [
        {"name": a.rsplit("/", 1)[1], "filterArn": a, "status": status} for a in FILTERS.values()
    ]
    stub.add_response(
        "list_filters", {"Filters": found if status else []}, {"datasetGroupArn": DSG}
    )


def stub_first_run(stub: Stubber, run_id: str, date: str) -> None:
    export = f"s3://{f.BUCKET}/personalize/export"
    # EnsureDatasets x4 (group pending, datasets pending, filters pending, all active)
    stub.add_response("list_dataset_groups", {"datasetGroups": []}, {})
    stub.add_response(
        "create_dataset_group", {"datasetGroupArn": DSG}, {"name": "dev-student-ranking"}
    )
    group = {"name": "dev-student-ranking", "datasetGroupArn": DSG, "status": "ACTIVE"}
    stub.add_response("list_dataset_groups", {"datasetGroups": [group]}, {})
    stub.add_response("list_datasets", {"datasets": []}, {"datasetGroupArn": DSG})
    for t, kind in TYPES.items():
        name = f"dev-student-ranking-{t.lower()}"
        schema = f"{P}:schema/{name}"
        stub.add_response("list_schemas", {"schemas": []}, {})
        stub.add_response(
            "create_schema", {"schemaArn": schema}, {"name": name, "schema": load_schema(t)}
        )
        stub.add_response(
            "create_dataset",
            {"datasetArn": DS[t]},
            {"name": name, "schemaArn": schema, "datasetGroupArn": DSG, "datasetType": kind},
        )
    stub.add_response("list_dataset_groups", {"datasetGroups": [group]}, {})
    active = [{"datasetArn": DS[t], "datasetType": k, "status": "ACTIVE"} for t, k in TYPES.items()]
    stub.add_response("list_datasets", {"datasets": active}, {"datasetGroupArn": DSG})
    stub_filters(stub, None)
    for item_type, arn in FILTERS.items():
        stub.add_response(
            "create_filter",
            {"filterArn": arn},
            {
                "name": f"dev-student-ranking-type-{item_type}",
                "datasetGroupArn": DSG,
                "filterExpression": f'INCLUDE ItemID WHERE Items.ITEM_TYPE IN ("{item_type}")',
            },
        )
    stub.add_response("list_dataset_groups", {"datasetGroups": [group]}, {})
    stub.add_response("list_datasets", {"datasets": active}, {"datasetGroupArn": DSG})
    stub_filters(stub, "ACTIVE")
    # StartImport: FULL from the snapshots
    for t, folder in (("INTERACTIONS", "interactions"), ("USERS", "users"), ("ITEMS", "items")):
        stub.add_response(
            "list_dataset_import_jobs", {"datasetImportJobs": []}, {"datasetArn": DS[t]}
        )
        stub.add_response(
            "create_dataset_import_job",
            {"datasetImportJobArn": import_job(t, run_id)},
            {
                "jobName": f"dev-{t.lower()}-{run_id}",
                "datasetArn": DS[t],
                "dataSource": {"dataLocation": f"{export}/{folder}/run_date={date}/{folder}.csv"},
                "roleArn": ROLE,
                "importMode": "FULL",
            },
        )
    # CheckImport: all ACTIVE at the first check
    for t in TYPES:
        stub.add_response(
            "describe_dataset_import_job",
            {
                "datasetImportJob": {
                    "datasetImportJobArn": import_job(t, run_id),
                    "status": "ACTIVE",
                }
            },
            {"datasetImportJobArn": import_job(t, run_id)},
        )
    # EnsureSolution: created, then ACTIVE
    stub.add_response("list_solutions", {"solutions": []}, {"datasetGroupArn": DSG})
    stub.add_response(
        "create_solution",
        {"solutionArn": SOLUTION},
        {
            "name": "dev-student-ranking-user-personalization-v2",
            "datasetGroupArn": DSG,
            "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization-v2",
            "performAutoTraining": False,
        },
    )
    solution = {
        "name": "dev-student-ranking-user-personalization-v2",
        "solutionArn": SOLUTION,
        "status": "ACTIVE",
    }
    stub.add_response("list_solutions", {"solutions": [solution]}, {"datasetGroupArn": DSG})
    # CreateSolutionVersion FULL, CheckTraining pending then ACTIVE
    version = f"{SOLUTION}/{run_id.lower()}"
    stub.add_response("list_solution_versions", {"solutionVersions": []}, {"solutionArn": SOLUTION})
    stub.add_response(
        "create_solution_version",
        {"solutionVersionArn": version},
        {"name": f"dev-sv-{run_id}", "solutionArn": SOLUTION, "trainingMode": "FULL"},
    )
    for status in ("CREATE IN_PROGRESS", "ACTIVE"):
        stub.add_response(
            "describe_solution_version",
            {"solutionVersion": {"solutionVersionArn": version, "status": status}},
            {"solutionVersionArn": version},
        )
    # Deploy: CreateCampaign (first time), CheckDeploy ACTIVE
    stub.add_response("list_campaigns", {"campaigns": []}, {})
    stub.add_response(
        "create_campaign",
        {"campaignArn": CAMPAIGN},
        {"name": "dev-student-ranking", "solutionVersionArn": version, "minProvisionedTPS": 1},
    )
    stub.add_response(
        "describe_campaign",
        {"campaign": {"campaignArn": CAMPAIGN, "solutionVersionArn": version, "status": "ACTIVE"}},
        {"campaignArn": CAMPAIGN},
    )


def stub_second_run(stub: Stubber, run_id: str, date: str, previous: str) -> None:
    export = f"s3://{f.BUCKET}/personalize/export"
    group = {"name": "dev-student-ranking", "datasetGroupArn": DSG, "status": "ACTIVE"}
    stub.add_response("list_dataset_groups", {"datasetGroups": [group]}, {})
    active = [{"datasetArn": DS[t], "datasetType": k, "status": "ACTIVE"} for t, k in TYPES.items()]
    stub.add_response("list_datasets", {"datasets": active}, {"datasetGroupArn": DSG})
    stub_filters(stub, "ACTIVE")
    files = {
        "INTERACTIONS": f"{export}/interactions-delta/run_date={date}/interactions-delta.csv",
        "USERS": f"{export}/users/run_date={date}/users.csv",
        "ITEMS": f"{export}/items/run_date={date}/items.csv",
    }
    for t in TYPES:
        done = {"jobName": "x", "datasetImportJobArn": import_job(t, "first"), "status": "ACTIVE"}
        stub.add_response(
            "list_dataset_import_jobs", {"datasetImportJobs": [done]}, {"datasetArn": DS[t]}
        )
        stub.add_response(
            "create_dataset_import_job",
            {"datasetImportJobArn": import_job(t, run_id)},
            {
                "jobName": f"dev-{t.lower()}-{run_id}",
                "datasetArn": DS[t],
                "dataSource": {"dataLocation": files[t]},
                "roleArn": ROLE,
                "importMode": "INCREMENTAL",
            },
        )
    for t in TYPES:
        stub.add_response(
            "describe_dataset_import_job",
            {
                "datasetImportJob": {
                    "datasetImportJobArn": import_job(t, run_id),
                    "status": "ACTIVE",
                }
            },
            {"datasetImportJobArn": import_job(t, run_id)},
        )
    solution = {
        "name": "dev-student-ranking-user-personalization-v2",
        "solutionArn": SOLUTION,
        "status": "ACTIVE",
    }
    stub.add_response("list_solutions", {"solutions": [solution]}, {"datasetGroupArn": DSG})
    version = f"{SOLUTION}/{run_id.lower()}"
    old = {"solutionVersionArn": previous, "status": "ACTIVE", "trainingMode": "FULL"}
    stub.add_response(
        "list_solution_versions", {"solutionVersions": [old]}, {"solutionArn": SOLUTION}
    )
    stub.add_response(
        "create_solution_version",
        {"solutionVersionArn": version},
        {"name": f"dev-sv-{run_id}", "solutionArn": SOLUTION, "trainingMode": "FULL"},
    )
    stub.add_response(
        "describe_solution_version",
        {"solutionVersion": {"solutionVersionArn": version, "status": "ACTIVE"}},
        {"solutionVersionArn": version},
    )
    summary = {"name": "dev-student-ranking", "campaignArn": CAMPAIGN, "status": "ACTIVE"}
    stub.add_response("list_campaigns", {"campaigns": [summary]}, {})
    stub.add_response(
        "describe_campaign",
        {"campaign": {"campaignArn": CAMPAIGN, "solutionVersionArn": previous, "status": "ACTIVE"}},
        {"campaignArn": CAMPAIGN},
    )
    stub.add_response(
        "update_campaign",
        {"campaignArn": CAMPAIGN},
        {"campaignArn": CAMPAIGN, "solutionVersionArn": version, "minProvisionedTPS": 1},
    )
    stub.add_response(
        "describe_campaign",
        {
            "campaign": {
                "campaignArn": CAMPAIGN,
                "solutionVersionArn": previous,
                "status": "ACTIVE",
                "latestCampaignUpdate": {"solutionVersionArn": version, "status": "ACTIVE"},
            }
        },
        {"campaignArn": CAMPAIGN},
    )


def ranking_value(ssm: Any) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(
        ssm.get_parameter(Name=f.RANKING_PARAM)["Parameter"]["Value"]
    )
    return value


def test_two_nightly_runs_through_the_asl_with_the_real_handlers(env: dict[str, Any]) -> None:
    f.put_items(f.INTERACTIONS, f.dense_interactions(users=30, per_user=40))  # 1200
    f.put_items(f.STUDENTS, [{"studentId": f"stu-{u:03d}", "language": "vi"} for u in range(30)])
    f.put_items(f.CLASS_ACTIVITY, [{"classId": f"class-{c}", "activityId": "a1"} for c in range(7)])
    max_ts = f.BASE_TS + 29 * 1000 + 39

    with Stubber(env["personalize"]) as stub:
        stub_first_run(stub, "20250106T020000Z", "2025-01-06")
        status, visited, first = run_asl(handlers(), {"trigger": "nightly"}, "2025-01-06T02:00:00Z")
        stub.assert_no_pending_responses()
    assert status == "SUCCEEDED", first
    assert visited.count("EnsureDatasets") == 4
    assert visited.count("EnsureSolution") == 2
    assert visited.count("CheckTraining") == 2
    assert visited[-1] == "Published"
    assert first["importStatus"]["watermarkCommitted"] == max_ts
    watermark = json.loads(env["ssm"].get_parameter(Name=f.WATERMARK_PARAM)["Parameter"]["Value"])
    assert watermark == {"maxTimestamp": max_ts, "runId": "20250106T020000Z"}
    first_version = f"{SOLUTION}/20250106t020000z"
    assert ranking_value(env["ssm"])["campaignArn"] == CAMPAIGN
    assert ranking_value(env["ssm"])["solutionVersionArn"] == first_version
    assert ranking_value(env["ssm"])["typeFilters"] == FILTERS

    # a day later: 3 new interactions; everything exists; INCREMENTAL import of the delta
    f.put_items(
        f.INTERACTIONS,
        [f.interaction("stu-001", 900 + i, "class-3", max_ts + 1 + i) for i in range(3)],
    )
    with Stubber(env["personalize"]) as stub:
        stub_second_run(stub, "20250107T020000Z", "2025-01-07", first_version)
        status, visited, second = run_asl(handlers(), {}, "2025-01-07T02:00:00Z")
        stub.assert_no_pending_responses()
    assert status == "SUCCEEDED", second
    assert second["export"]["counts"]["deltaInteractions"] == 3
    delta = f.read_csv(env["s3"], second["export"]["files"]["interactionsDelta"])
    assert sorted(int(row[2]) for row in delta[1:]) == [max_ts + 1, max_ts + 2, max_ts + 3]
    assert second["deploy"]["action"] == "UPDATED"
    assert ranking_value(env["ssm"])["solutionVersionArn"] == f"{SOLUTION}/20250107t020000z"
    messages = env["sqs"].receive_message(
        QueueUrl=env["queue"], MaxNumberOfMessages=10, WaitTimeSeconds=1
    )["Messages"]
    details = [json.loads(m["Body"])["detail"] for m in messages]
    assert details == [{"mode": "campaign", "location": CAMPAIGN}] * 2


def test_small_data_set_ends_skipped_without_personalize_calls(env: dict[str, Any]) -> None:
    f.put_items(f.INTERACTIONS, f.dense_interactions(users=3, per_user=5))
    with Stubber(env["personalize"]) as stub:  # any Personalize call fails the test
        status, visited, data = run_asl(handlers(), {}, "2025-01-06T02:00:00Z")
        stub.assert_no_pending_responses()
    assert status == "SUCCEEDED"
    assert visited == ["Export", "DataGuard", "SkippedNotEnoughData"]
    assert data["export"]["status"] == "NOT_ENOUGH_DATA"
    assert data["export"]["counts"]["interactions"] == 15
