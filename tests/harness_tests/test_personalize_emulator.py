"""Personalize on the emulator (`iackit.emulator.personalize`): contracts and flow.

Every client here is `checked_client`: each answer, success or error, is validated against
the botocore service model as it arrives. The model behind the runtime is popularity plus
co-occurrence: these tests assert its contract (shapes, order, filters, numResults,
determinism), not its quality.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from iackit.emulator import Emulator
from iackit.emulator.personalize.control import ACTIVE, FAILED, IN_PROGRESS, PENDING, Resource
from tests.harness_tests.service_model import (
    ContractError,
    check_answer,
    checked_client,
    output_problems,
)

pytestmark = pytest.mark.unit

BUCKET = "personalize-lake"
ROLE = "arn:aws:iam::123456789012:role/personalize"
P = "arn:aws:personalize:us-east-1:123456789012"
RECIPE = "arn:aws:personalize:::recipe/"
INTERACTIONS_SCHEMA = {
    "type": "record",
    "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
    ],
    "version": "1.0",
}
ITEMS_SCHEMA = {
    "type": "record",
    "name": "Items",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "ITEM_TYPE", "type": ["null", "string"], "categorical": True},
    ],
    "version": "1.0",
}


def wait_for(read: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``read()`` once its status is no longer pending: each read moves the emulated
    lifecycle on a step (CREATE PENDING, CREATE IN_PROGRESS, settled), so three suffice."""
    for _ in range(3):
        value = read()
        if "PENDING" not in value["status"] and "IN_PROGRESS" not in value["status"]:
            return value
    raise AssertionError(f"still {value['status']} after three reads")


def interactions_csv(users: int = 30, per_user: int = 40, items: int = 50) -> str:
    rows = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"]
    for u in range(users):
        for k in range(per_user):
            item = (u * 7 + k) % items
            event = "enrolled" if k % 4 == 0 else "submitAssignment"
            rows.append(f"user-{u:02d},item-{item:02d},{1_700_000_000 + u * 100 + k},{event}")
    return "\n".join(rows) + "\n"


def items_csv(items: int = 50) -> str:
    kinds = ("class", "material", "quiz")
    return "ITEM_ID,ITEM_TYPE\n" + "".join(f"item-{i:02d},{kinds[i % 3]}\n" for i in range(items))


class Group:
    """A dataset group with interactions and items datasets, data imported."""

    def __init__(self, aws: Emulator, name: str = "students") -> None:
        self.api = checked_client("personalize", aws.endpoint)
        self.runtime = checked_client("personalize-runtime", aws.endpoint)
        self.s3 = boto3.client("s3", endpoint_url=aws.endpoint, region_name="us-east-1")
        self.s3.create_bucket(Bucket=BUCKET)
        self.name = name
        self.arn = self.api.create_dataset_group(name=name)["datasetGroupArn"]
        wait_for(lambda: self.api.describe_dataset_group(datasetGroupArn=self.arn)["datasetGroup"])
        self.datasets: dict[str, str] = {}
        for kind, schema in (("Interactions", INTERACTIONS_SCHEMA), ("Items", ITEMS_SCHEMA)):
            schema_arn = self.api.create_schema(
                name=f"{name}-{kind.lower()}", schema=json.dumps(schema)
            )["schemaArn"]
            arn = self.api.create_dataset(
                name=f"{name}-{kind.lower()}",
                schemaArn=schema_arn,
                datasetGroupArn=self.arn,
                datasetType=kind,
            )["datasetArn"]
            wait_for(partial(self.described, "dataset", arn))
            self.datasets[kind] = arn

    def described(self, kind: str, arn: str) -> dict[str, Any]:
        """``describe_<kind>``'s resource, e.g. ``described("dataset", arn)``."""
        camel = "".join(part.title() for part in kind.split("_"))
        answer: dict[str, Any] = getattr(self.api, f"describe_{kind}")(
            **{f"{camel[0].lower()}{camel[1:]}Arn": arn}
        )
        return dict(answer[f"{camel[0].lower()}{camel[1:]}"])

    def import_csv(self, kind: str, body: str, job: str, mode: str = "FULL") -> dict[str, Any]:
        key = f"export/{job}/{kind.lower()}.csv"
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=body.encode())
        arn = self.api.create_dataset_import_job(
            jobName=job,
            datasetArn=self.datasets[kind],
            dataSource={"dataLocation": f"s3://{BUCKET}/{key}"},
            roleArn=ROLE,
            importMode=mode,
        )["datasetImportJobArn"]
        return wait_for(
            lambda: self.api.describe_dataset_import_job(datasetImportJobArn=arn)[
                "datasetImportJob"
            ]
        )

    def train(self, recipe: str, mode: str = "FULL", solution: str | None = None) -> str:
        if solution is None:
            solution = self.api.create_solution(
                name=f"{self.name}-{recipe}",
                datasetGroupArn=self.arn,
                recipeArn=RECIPE + recipe,
                performAutoTraining=False,
            )["solutionArn"]
            wait_for(lambda: self.api.describe_solution(solutionArn=solution)["solution"])
        version = self.api.create_solution_version(solutionArn=solution, trainingMode=mode)[
            "solutionVersionArn"
        ]
        wait_for(
            lambda: self.api.describe_solution_version(solutionVersionArn=version)[
                "solutionVersion"
            ]
        )
        return version

    def campaign(self, version: str, name: str = "ranking") -> str:
        arn = self.api.create_campaign(name=name, solutionVersionArn=version, minProvisionedTPS=1)[
            "campaignArn"
        ]
        wait_for(lambda: self.api.describe_campaign(campaignArn=arn)["campaign"])
        return arn


@pytest.fixture
def group(aws: Emulator) -> Group:
    g = Group(aws)
    assert g.import_csv("Interactions", interactions_csv(), "interactions-1")["status"] == "ACTIVE"
    assert g.import_csv("Items", items_csv(), "items-1")["status"] == "ACTIVE"
    return g


def error(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_the_output_check_rejects_what_the_model_does_not_allow() -> None:
    """The helper every test relies on can fail: unknown member, wrong type, missing one."""
    operation = boto3.client("personalize", region_name="us-east-1").meta.service_model
    describe = operation.operation_model("DescribeCampaign")
    good = {"campaign": {"campaignArn": f"{P}:campaign/c", "minProvisionedTPS": 1}}
    assert output_problems(describe, good) == []
    assert output_problems(describe, {"campaign": {"campaignArn": "x", "tps": 1}})
    assert output_problems(describe, {"campaign": {"minProvisionedTPS": "1"}})
    # the hook itself, on an answer with an extra member and on an undocumented error code
    extra = SimpleNamespace(status_code=200, headers={}, content=b'{"campaign": {}, "x": 1}')
    with pytest.raises(ContractError, match="Unknown parameter"):
        check_answer(http_response=extra, model=describe)
    undocumented = SimpleNamespace(
        status_code=400, headers={}, content=b'{"__type": "ThrottlingException", "message": ""}'
    )
    with pytest.raises(ContractError, match="ThrottlingException"):
        check_answer(http_response=undocumented, model=describe)


def test_statuses_move_from_pending_to_active(aws: Emulator) -> None:
    api = checked_client("personalize", aws.endpoint)
    arn = api.create_dataset_group(name="lifecycle")["datasetGroupArn"]
    assert arn == f"{P}:dataset-group/lifecycle"
    seen = [api.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"]]
    while seen[-1] != "ACTIVE" and len(seen) < 4:
        seen.append(api.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"])
    # A step per read or per IACKIT_PERSONALIZE_DELAY of wall time: a loaded machine may
    # miss the first status, never reorder them (pinned below, without a clock).
    lifecycle = [PENDING, IN_PROGRESS, ACTIVE]
    assert seen == lifecycle[lifecycle.index(seen[0]) :], seen


def test_a_resource_steps_through_its_statuses_per_delay_or_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IACKIT_PERSONALIZE_DELAY", "10")
    resource = Resource(arn=f"{P}:dataset-group/steps", fields={}, created=1000.0)
    assert [resource.status(now=1000.0 + t) for t in (0.5, 9.9, 10.0, 19.9, 20.0, 99.0)] == [
        PENDING,
        PENDING,
        IN_PROGRESS,
        IN_PROGRESS,
        ACTIVE,
        ACTIVE,
    ]
    failing = Resource(arn=f"{P}:dataset-group/f", fields={}, created=0.0, failure="bad CSV")
    assert failing.status(now=25.0) == FAILED
    # Within one delay: internal checks (status) leave it; a request that showed a status
    # moves it a step when it ends (the handler advances the state's clock), once however
    # many statuses it showed; a resource created a tick earlier is a step ahead.
    older = Resource(arn=f"{P}:dataset-group/older", fields={})
    older.describe()
    older.clock.advance()
    read = Resource(arn=f"{P}:dataset-group/read", fields={}, clock=older.clock)
    assert [read.status(), read.status()] == [PENDING, PENDING]

    def request() -> tuple[str, str]:
        shown = [read.describe()["status"], read.describe()["status"]]
        read.clock.advance()
        return shown[0], shown[1]

    assert [(older.status(), *request()) for _ in range(3)] == [
        (IN_PROGRESS, PENDING, PENDING),
        (ACTIVE, IN_PROGRESS, IN_PROGRESS),
        (ACTIVE, ACTIVE, ACTIVE),
    ]


def test_campaign_recommends_from_the_imported_interactions(group: Group) -> None:
    version = group.train("aws-user-personalization-v2")
    described = group.api.describe_solution_version(solutionVersionArn=version)["solutionVersion"]
    assert described["status"] == "ACTIVE"
    assert described["trainingMode"] == "FULL"
    assert version.startswith(f"{P}:solution/students-aws-user-personalization-v2/")
    campaign = group.campaign(version)
    assert campaign == f"{P}:campaign/ranking"

    answer = group.runtime.get_recommendations(campaignArn=campaign, userId="user-01", numResults=7)
    items = [i["itemId"] for i in answer["itemList"]]
    assert len(items) == 7
    assert len(set(items)) == 7
    scores = [i["score"] for i in answer["itemList"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    again = group.runtime.get_recommendations(campaignArn=campaign, userId="user-01", numResults=7)
    assert again["itemList"] == answer["itemList"]  # deterministic
    assert answer["recommendationId"] != again["recommendationId"]
    default = group.runtime.get_recommendations(campaignArn=campaign, userId="user-01")
    assert len(default["itemList"]) == 25


def test_filters_select_item_types_and_exclude_interacted_items(group: Group) -> None:
    campaign = group.campaign(group.train("aws-user-personalization-v2"))
    by_type = group.api.create_filter(
        name="by-type",
        datasetGroupArn=group.arn,
        filterExpression="INCLUDE ItemID WHERE Items.ITEM_TYPE IN ($TYPE)",
    )["filterArn"]
    enrolled = group.api.create_filter(
        name="not-enrolled",
        datasetGroupArn=group.arn,
        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("enrolled")',
    )["filterArn"]
    for arn in (by_type, enrolled):
        assert wait_for(partial(group.described, "filter", arn))["status"] == "ACTIVE"
    quizzes = group.runtime.get_recommendations(
        campaignArn=campaign,
        userId="user-01",
        numResults=100,
        filterArn=by_type,
        filterValues={"TYPE": '"quiz"'},
    )["itemList"]
    assert quizzes
    assert all(int(i["itemId"][-2:]) % 3 == 2 for i in quizzes)
    assert len(quizzes) == len([i for i in range(50) if i % 3 == 2])
    # user-01 enrolled in items (7 + k) % 50 for k = 0, 4, 8, ... 36
    enrolled_items = {f"item-{(7 + k) % 50:02d}" for k in range(0, 40, 4)}
    rest = group.runtime.get_recommendations(
        campaignArn=campaign, userId="user-01", numResults=100, filterArn=enrolled
    )["itemList"]
    assert {i["itemId"] for i in rest} == {f"item-{i:02d}" for i in range(50)} - enrolled_items
    code, _ = error(
        lambda: group.api.create_filter(
            name="bad", datasetGroupArn=group.arn, filterExpression="ItemID = 3"
        )
    )
    assert code == "InvalidInputException"


def test_personalized_ranking_ranks_the_given_items(group: Group) -> None:
    campaign = group.campaign(group.train("aws-personalized-ranking-v2"))
    candidates = ["item-40", "item-08", "unknown-item", "item-09"]
    ranked = group.runtime.get_personalized_ranking(
        campaignArn=campaign, userId="user-01", inputList=candidates
    )["personalizedRanking"]
    assert sorted(i["itemId"] for i in ranked) == sorted(candidates)
    assert ranked[-1]["itemId"] == "unknown-item"  # no interactions: lowest score
    code, message = error(
        lambda: group.runtime.get_recommendations(campaignArn=campaign, userId="user-01")
    )
    assert code == "InvalidInputException"
    assert "GetPersonalizedRanking" in message


def test_update_training_only_where_personalize_allows_it(group: Group) -> None:
    v2 = group.api.create_solution(
        name="v2", datasetGroupArn=group.arn, recipeArn=RECIPE + "aws-user-personalization-v2"
    )["solutionArn"]
    wait_for(lambda: group.api.describe_solution(solutionArn=v2)["solution"])
    code, message = error(
        lambda: group.api.create_solution_version(solutionArn=v2, trainingMode="UPDATE")
    )
    assert code == "InvalidInputException"
    assert "aws-user-personalization-v2" in message

    legacy = group.api.create_solution(
        name="legacy", datasetGroupArn=group.arn, recipeArn=RECIPE + "aws-user-personalization"
    )["solutionArn"]
    wait_for(lambda: group.api.describe_solution(solutionArn=legacy)["solution"])
    code, message = error(  # UPDATE needs an ACTIVE FULL version first
        lambda: group.api.create_solution_version(solutionArn=legacy, trainingMode="UPDATE")
    )
    assert code == "InvalidInputException"
    assert "FULL" in message
    full = group.train("aws-user-personalization", solution=legacy)
    update = group.train("aws-user-personalization", "UPDATE", solution=legacy)
    versions = group.api.list_solution_versions(solutionArn=legacy)["solutionVersions"]
    assert {(v["solutionVersionArn"], v["trainingMode"]) for v in versions} == {
        (full, "FULL"),
        (update, "UPDATE"),
    }


def test_campaign_update_moves_to_the_new_version(group: Group) -> None:
    first = group.train("aws-user-personalization-v2")
    campaign = group.campaign(first)
    solution = first.rsplit("/", 1)[0]
    second = group.train("aws-user-personalization-v2", solution=solution)
    group.api.update_campaign(campaignArn=campaign, solutionVersionArn=second, minProvisionedTPS=2)
    code, _ = error(lambda: group.api.update_campaign(campaignArn=campaign))
    assert code == "ResourceInUseException"  # an update is in progress
    update = wait_for(
        lambda: group.api.describe_campaign(campaignArn=campaign)["campaign"][
            "latestCampaignUpdate"
        ]
    )
    assert update["status"] == "ACTIVE"
    assert update["solutionVersionArn"] == second
    described = group.api.describe_campaign(campaignArn=campaign)["campaign"]
    assert (described["solutionVersionArn"], described["minProvisionedTPS"]) == (second, 2)


def test_batch_inference_writes_json_lines_to_s3(group: Group) -> None:
    version = group.train("aws-user-personalization-v2")
    users = "".join(json.dumps({"userId": f"user-{u:02d}"}) + "\n" for u in range(3))
    group.s3.put_object(Bucket=BUCKET, Key="batch/input/users.jsonl", Body=users.encode())
    arn = group.api.create_batch_inference_job(
        jobName="nightly-batch",
        solutionVersionArn=version,
        numResults=5,
        jobInput={"s3DataSource": {"path": f"s3://{BUCKET}/batch/input/users.jsonl"}},
        jobOutput={"s3DataDestination": {"path": f"s3://{BUCKET}/batch/output/"}},
        roleArn=ROLE,
    )["batchInferenceJobArn"]
    job = wait_for(
        lambda: group.api.describe_batch_inference_job(batchInferenceJobArn=arn)[
            "batchInferenceJob"
        ]
    )
    assert job["status"] == "ACTIVE", job
    body = group.s3.get_object(Bucket=BUCKET, Key="batch/output/users.jsonl.out")["Body"].read()
    lines = [json.loads(line) for line in body.decode().splitlines()]
    assert [line["input"]["userId"] for line in lines] == ["user-00", "user-01", "user-02"]
    assert all(len(line["output"]["recommendedItems"]) == 5 for line in lines)
    assert all(line["error"] is None for line in lines)
    listed = group.api.list_batch_inference_jobs(solutionVersionArn=version)["batchInferenceJobs"]
    assert [j["jobName"] for j in listed] == ["nightly-batch"]


def test_import_jobs_fail_with_personalize_messages(aws: Emulator) -> None:
    g = Group(aws, "bad-data")
    missing = g.import_csv("Interactions", "USER_ID,ITEM_ID\nu1,i1\n", "missing-columns")
    assert missing["status"] == "CREATE FAILED"
    assert missing["failureReason"] == (
        "Failed to create a data import job for interactions dataset. "
        "Input CSV is missing the following columns: [TIMESTAMP, EVENT_TYPE]."
    )
    bad = g.import_csv(
        "Interactions",
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,yesterday,enrolled\n",
        "bad-timestamp",
    )
    assert bad["status"] == "CREATE FAILED"
    assert "TIMESTAMP has value 'yesterday', which is not a long" in bad["failureReason"]
    arn = g.api.create_dataset_import_job(
        jobName="nowhere",
        datasetArn=g.datasets["Interactions"],
        dataSource={"dataLocation": f"s3://{BUCKET}/absent/file.csv"},
        roleArn=ROLE,
    )["datasetImportJobArn"]
    job = wait_for(
        lambda: g.api.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]
    )
    assert job["failureReason"].endswith("Invalid Data location.")


def test_training_below_the_documented_minimums_fails(aws: Emulator) -> None:
    g = Group(aws, "small")
    # 1200 interactions but only 20 users: below 25 users with at least 2 interactions
    assert (
        g.import_csv("Interactions", interactions_csv(users=20, per_user=60), "i")["status"]
        == "ACTIVE"
    )
    version = g.train("aws-user-personalization-v2")
    described = g.api.describe_solution_version(solutionVersionArn=version)["solutionVersion"]
    assert described["status"] == "CREATE FAILED"
    assert (
        "at least 25 unique user IDs with at least 2 interactions each; found 20"
        in (described["failureReason"])
    )
    g.import_csv("Interactions", interactions_csv(users=30, per_user=10), "few")
    version = g.train("aws-user-personalization-v2", solution=version.rsplit("/", 1)[0])
    described = g.api.describe_solution_version(solutionVersionArn=version)["solutionVersion"]
    assert "at least 1000 interaction records" in described["failureReason"]


def test_errors_are_the_codes_aws_answers(group: Group) -> None:
    api = group.api
    assert error(lambda: api.describe_campaign(campaignArn=f"{P}:campaign/absent"))[0] == (
        "ResourceNotFoundException"
    )
    assert error(lambda: api.create_dataset_group(name="students"))[0] == (
        "ResourceAlreadyExistsException"
    )
    assert error(lambda: api.create_dataset_group(name="-bad name"))[0] == "InvalidInputException"
    pending = api.create_dataset_group(name="pending")["datasetGroupArn"]
    schema = api.list_schemas()["schemas"][0]["schemaArn"]
    assert (
        error(
            lambda: api.create_dataset(
                name="early", schemaArn=schema, datasetGroupArn=pending, datasetType="Interactions"
            )
        )[0]
        == "ResourceInUseException"
    )
    assert error(lambda: api.delete_dataset_group(datasetGroupArn=group.arn))[0] == (
        "ResourceInUseException"
    )
    assert error(lambda: api.delete_schema(schemaArn=schema))[0] == "ResourceInUseException"
    code, _ = error(
        lambda: api.create_solution(
            name="nope", datasetGroupArn=group.arn, recipeArn=RECIPE + "aws-unknown"
        )
    )
    assert code == "ResourceNotFoundException"


def test_everything_lists_and_deletes_in_dependency_order(group: Group) -> None:
    version = group.train("aws-user-personalization-v2")
    campaign = group.campaign(version)
    tracker = group.api.create_event_tracker(name="clicks", datasetGroupArn=group.arn)
    assert tracker["trackingId"]
    event_tracker = wait_for(
        lambda: group.api.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])[
            "eventTracker"
        ]
    )
    assert event_tracker["accountId"] == "123456789012"
    filter_arn = group.api.create_filter(
        name="f",
        datasetGroupArn=group.arn,
        filterExpression='EXCLUDE ItemID WHERE Items.ITEM_TYPE IN ("quiz")',
    )["filterArn"]
    solution = version.rsplit("/", 1)[0]
    assert group.api.list_dataset_groups(maxResults=1)["datasetGroups"][0]["datasetGroupArn"] == (
        group.arn
    )
    assert len(group.api.list_datasets(datasetGroupArn=group.arn)["datasets"]) == 2
    assert len(group.api.list_dataset_import_jobs()["datasetImportJobs"]) == 2
    assert len(group.api.list_recipes()["recipes"]) >= 4
    assert (
        group.api.describe_recipe(recipeArn=RECIPE + "aws-user-personalization")["recipe"][
            "recipeType"
        ]
        == "USER_PERSONALIZATION"
    )

    assert error(lambda: group.api.delete_solution(solutionArn=solution))[0] == (
        "ResourceInUseException"
    )
    group.api.delete_campaign(campaignArn=campaign)
    group.api.delete_solution(solutionArn=solution)
    group.api.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    group.api.delete_filter(filterArn=filter_arn)
    for arn in group.datasets.values():
        group.api.delete_dataset(datasetArn=arn)
    group.api.delete_dataset_group(datasetGroupArn=group.arn)
    for schema in group.api.list_schemas()["schemas"]:
        group.api.delete_schema(schemaArn=schema["schemaArn"])
    assert group.api.list_campaigns()["campaigns"] == []
    assert group.api.list_solutions()["solutions"] == []
    assert group.api.list_dataset_groups()["datasetGroups"] == []
    assert group.api.list_schemas()["schemas"] == []
    assert group.api.list_filters()["Filters"] == []
    assert group.api.list_event_trackers()["eventTrackers"] == []
