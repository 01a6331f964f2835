"""training.cleanup: `terraform destroy` removes what the pipeline created in Personalize.

Against the emulated Personalize: everything of the prefix goes, in the order Personalize
requires, and nothing of another prefix. The timeout path uses a Stubber (a Personalize
that keeps answering ResourceInUseException), since the emulator deletes at once.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from iackit.lambda_events import LambdaContext
from tests.unit.ranking.conftest import offline_client
from training.cleanup import CleanupTimeoutError, cleanup, inventory, lambda_handler
from training.datasets import ensure_datasets

pytestmark = pytest.mark.unit

P = "arn:aws:personalize:us-east-1:123456789012"
BUCKET = "cleanup-test-data"


def settle(read: Any) -> dict[str, Any]:
    for _ in range(10):  # each read moves the emulated lifecycles on a step, without sleeping
        value: dict[str, Any] = read()
        if value.get("status") in ("ACTIVE", "CREATE FAILED"):
            return value
    raise AssertionError(f"not settled: {value}")


def pipeline_resources(personalize: Any, s3: Any, prefix: str) -> dict[str, Any]:
    """What a nightly run leaves: group, schemas, datasets, import, solution, version,
    campaign; plus a filter and an event tracker in the group."""
    datasets = settle(lambda: ensure_datasets(personalize, prefix))
    group = datasets["datasetGroupArn"]
    rows = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"] + [
        f"u{u},c{(u + k) % 9},{1_700_000_000 + k},enrolled" for u in range(30) for k in range(40)
    ]
    key = f"{prefix}/interactions.csv"
    s3.put_object(Bucket=BUCKET, Key=key, Body="\n".join(rows).encode())
    job = personalize.create_dataset_import_job(
        jobName=f"{prefix}-interactions-1",
        datasetArn=datasets["datasets"]["INTERACTIONS"],
        dataSource={"dataLocation": f"s3://{BUCKET}/{key}"},
        roleArn="arn:aws:iam::123456789012:role/personalize",
    )["datasetImportJobArn"]
    settle(
        lambda: personalize.describe_dataset_import_job(datasetImportJobArn=job)["datasetImportJob"]
    )
    solution = personalize.create_solution(
        name=f"{prefix}-student-ranking-user-personalization-v2",
        datasetGroupArn=group,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization-v2",
        performAutoTraining=False,
    )["solutionArn"]
    settle(lambda: personalize.describe_solution(solutionArn=solution)["solution"])
    version = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    settle(
        lambda: personalize.describe_solution_version(solutionVersionArn=version)["solutionVersion"]
    )
    campaign = personalize.create_campaign(
        name=f"{prefix}-student-ranking", solutionVersionArn=version, minProvisionedTPS=1
    )["campaignArn"]
    personalize.create_filter(
        name=f"{prefix}-quiz",
        datasetGroupArn=group,
        filterExpression='INCLUDE ItemID WHERE Items.SUBJECT IN ("math")',
    )
    personalize.create_event_tracker(name=f"{prefix}-tracker", datasetGroupArn=group)
    return {"group": group, "campaign": campaign}


@pytest.fixture
def prefix(aws: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NAME_PREFIX", "dev")
    return "dev"


def test_destroy_deletes_everything_of_the_prefix_and_nothing_else(prefix: str) -> None:
    personalize = boto3.client("personalize")
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    pipeline_resources(personalize, s3, "dev")
    other = pipeline_resources(personalize, s3, "prod")
    # 1+1+1+1+3+1+3, and the 3 item type filters of ensure_datasets
    assert len(inventory(personalize, "dev").arns()) == 14

    result = lambda_handler({"tf": {"action": "delete"}}, LambdaContext())

    assert result["action"] == "delete"
    assert len(result["deleted"]) == 14
    assert inventory(personalize, "dev").arns() == []
    assert [g["datasetGroupArn"] for g in personalize.list_dataset_groups()["datasetGroups"]] == [
        other["group"]
    ]
    assert [c["campaignArn"] for c in personalize.list_campaigns()["campaigns"]] == [
        other["campaign"]
    ]
    assert {s["name"] for s in personalize.list_schemas()["schemas"]} == {
        f"prod-student-ranking-{t}" for t in ("interactions", "users", "items")
    }


def test_create_and_update_delete_nothing(prefix: str) -> None:
    personalize = boto3.client("personalize")
    settle(lambda: ensure_datasets(personalize, "dev"))
    for action in ("create", "update"):
        assert lambda_handler({"tf": {"action": action}}, LambdaContext()) == {
            "action": action,
            "deleted": [],
        }
    assert len(inventory(personalize, "dev").arns()) == 10  # + the 3 item type filters


def test_what_is_still_in_use_when_time_runs_out_is_named() -> None:
    client = offline_client("personalize")
    group = {
        "name": "dev-student-ranking",
        "datasetGroupArn": f"{P}:dataset-group/dev-student-ranking",
    }
    solution = {
        "name": "dev-student-ranking-x",
        "solutionArn": f"{P}:solution/dev-student-ranking-x",
    }
    clock = iter([1.0])  # after the first round: too little time for another
    with Stubber(client) as stub:
        for listing in range(2):  # the inventory before and after the one round
            stub.add_response("list_dataset_groups", {"datasetGroups": [group]}, {})
            stub.add_response(
                "list_solutions",
                {"solutions": [solution]},
                {"datasetGroupArn": group["datasetGroupArn"]},
            )
            stub.add_response(
                "list_campaigns", {"campaigns": []}, {"solutionArn": solution["solutionArn"]}
            )
            for op, key in (
                ("list_event_trackers", "eventTrackers"),
                ("list_filters", "Filters"),
                ("list_datasets", "datasets"),
            ):
                stub.add_response(op, {key: []}, {"datasetGroupArn": group["datasetGroupArn"]})
            stub.add_response("list_campaigns", {"campaigns": []}, {})
            stub.add_response("list_schemas", {"schemas": []}, {})
            if listing == 0:
                stub.add_client_error("delete_solution", "ResourceInUseException", "in progress")
                stub.add_client_error(
                    "delete_dataset_group", "ResourceInUseException", "has solutions"
                )
        with pytest.raises(CleanupTimeoutError) as raised:
            cleanup(
                client,
                "dev",
                remaining_seconds=lambda: next(clock),
                poll_seconds=5,
                sleep=lambda _: None,
            )
    message = str(raised.value)
    assert solution["solutionArn"] in message
    assert group["datasetGroupArn"] in message
    assert "run the destroy again" in message
    assert json.dumps(message)  # the Lambda error message terraform shows
