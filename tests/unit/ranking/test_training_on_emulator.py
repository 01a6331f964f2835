"""The real training steps against the emulated Personalize (`iackit.emulator.personalize`).

Where the Stubber tests (test_personalize_steps, test_pipeline_in_process) prove which
requests each step sends, these prove that Personalize accepts them and that the steps read
its answers right: two nightly runs through the real ASL end on a campaign that answers
GetRecommendations, UPDATE training is chosen exactly for the recipe Personalize allows it
for, and an import job Personalize fails surfaces with Personalize's message.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.unit.ranking import factories as f
from tests.unit.ranking.test_pipeline_in_process import handlers, pipeline_env, run_asl
from training.common import RunContext
from training.datasets import ensure_datasets
from training.imports import import_status, start_imports

pytestmark = pytest.mark.unit

RECIPE = "arn:aws:personalize:::recipe/"


@pytest.fixture
def env(aws: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    clients = pipeline_env(monkeypatch, boto3.client("personalize"))
    clients["runtime"] = boto3.client("personalize-runtime")
    return clients


def seed(users: int = 30, per_user: int = 40) -> int:
    """Interactions, students and classes above Personalize's minimums; the max timestamp."""
    f.put_items(f.INTERACTIONS, f.dense_interactions(users=users, per_user=per_user))
    f.put_items(f.STUDENTS, [{"studentId": f"stu-{u:03d}", "language": "vi"} for u in range(30)])
    f.put_items(
        f.CLASS_ACTIVITY,
        [{"classId": f"class-{c}", "activityId": "a1", "subject": "math"} for c in range(7)],
    )
    return f.BASE_TS + (users - 1) * 1000 + per_user - 1


@pytest.mark.parametrize(
    ("recipe", "second_mode"),
    [
        ("aws-user-personalization", "UPDATE"),
        ("aws-user-personalization-v2", "FULL"),
    ],
)
def test_two_nights_train_full_then_the_mode_the_recipe_allows(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch, recipe: str, second_mode: str
) -> None:
    monkeypatch.setenv("RECIPE_ARN", RECIPE + recipe)
    max_ts = seed()
    status, _, first = run_asl(handlers(), {}, "2025-01-06T02:00:00Z")  # a Monday
    assert status == "SUCCEEDED", first
    assert first["solutionVersion"]["trainingMode"] == "FULL"
    assert {j["importMode"] for j in first["import"]["jobs"]} == {"FULL"}

    f.put_items(
        f.INTERACTIONS,
        [f.interaction("stu-001", 900 + i, "class-3", max_ts + 1 + i) for i in range(3)],
    )
    status, _, second = run_asl(handlers(), {}, "2025-01-07T02:00:00Z")
    assert status == "SUCCEEDED", second
    assert {j["importMode"] for j in second["import"]["jobs"]} == {"INCREMENTAL"}
    assert second["solutionVersion"]["trainingMode"] == second_mode
    assert second["deploy"]["action"] == "UPDATED"

    personalize = env["personalize"]
    version = second["solutionVersion"]["solutionVersionArn"]
    described = personalize.describe_solution_version(solutionVersionArn=version)
    assert described["solutionVersion"]["trainingMode"] == second_mode
    campaign = personalize.describe_campaign(campaignArn=second["deploy"]["campaignArn"])
    assert campaign["campaign"]["solutionVersionArn"] == version
    items = env["runtime"].get_recommendations(
        campaignArn=second["deploy"]["campaignArn"], userId="stu-001", numResults=3
    )["itemList"]
    assert len(items) == 3
    assert {i["itemId"] for i in items} <= {f"class-{c}" for c in range(7)}


def test_an_import_personalize_fails_surfaces_its_message(env: dict[str, Any]) -> None:
    personalize = env["personalize"]
    datasets = ensure_datasets(personalize, "dev")
    for _ in range(10):  # each read moves the emulated lifecycles on a step
        if datasets["status"] == "ACTIVE":
            break
        datasets = ensure_datasets(personalize, "dev")
    assert datasets["status"] == "ACTIVE", datasets
    key = "personalize/export/interactions/run_date=2025-01-06/interactions.csv"
    env["s3"].put_object(Bucket=f.BUCKET, Key=key, Body=b"USER_ID,ITEM_ID\nstu-1,class-1\n")
    run = RunContext("20250106T020000Z", "2025-01-06", False, "nightly", None)
    started = start_imports(
        personalize,
        name_prefix="dev",
        role_arn="arn:aws:iam::123456789012:role/dev-personalize",
        run=run,
        datasets={"INTERACTIONS": datasets["datasets"]["INTERACTIONS"]},
        export_result={
            "counts": {"interactions": 1},
            "files": {"interactions": f"s3://{f.BUCKET}/{key}"},
        },
    )
    result = import_status(personalize, env["ssm"], started, f.WATERMARK_PARAM)
    for _ in range(10):  # each read moves the emulated lifecycles on a step
        if result["status"] != "PENDING":
            break
        result = import_status(personalize, env["ssm"], started, f.WATERMARK_PARAM)
    assert result["status"] == "FAILED"
    assert result["failureReason"] == (
        "INTERACTIONS import dev-interactions-20250106T020000Z: Failed to create a data import "
        "job for interactions dataset. Input CSV is missing the following columns: "
        "[TIMESTAMP, EVENT_TYPE]."
    )


def test_batch_mode_publishes_the_emulated_batch_output_per_student(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deploy creates a batch inference job from the export's users list; the emulator
    writes its JSON lines to S3; Publish indexes them per student for the ranking API."""
    monkeypatch.setenv("DEPLOY_MODE", "batch")
    seed()
    status, _, run = run_asl(handlers(), {}, "2025-01-06T02:00:00Z")
    assert status == "SUCCEEDED", run
    job = env["personalize"].describe_batch_inference_job(
        batchInferenceJobArn=run["deploy"]["batchInferenceJobArn"]
    )["batchInferenceJob"]
    assert job["status"] == "ACTIVE"
    assert job["numResults"] == 25
    output = run["deploy"]["outputUri"]
    bucket, _, prefix = output.removeprefix("s3://").partition("/")
    index = json.loads(
        env["s3"].get_object(Bucket=bucket, Key=f"{prefix}by-user/stu-001.json")["Body"].read()
    )
    assert index["userId"] == "stu-001"
    assert 0 < len(index["items"]) <= 7  # the seeded data has 7 classes
    assert {i["itemId"] for i in index["items"]} <= {f"class-{c}" for c in range(7)}

    # one filtered job per item type, each indexed for ?type= (the parameter names them)
    published = json.loads(env["ssm"].get_parameter(Name=f.RANKING_PARAM)["Parameter"]["Value"])
    assert set(run["deploy"]["typeJobs"]) == set(published["typeFilters"])
    for item_type, type_job in run["deploy"]["typeJobs"].items():
        described = env["personalize"].describe_batch_inference_job(
            batchInferenceJobArn=type_job["batchInferenceJobArn"]
        )["batchInferenceJob"]
        assert described["status"] == "ACTIVE"
        assert described["filterArn"] == published["typeFilters"][item_type]
        assert type_job["outputUri"] == f"{output.rstrip('/')}-{item_type}/"
        uri = published["typeUserIndexUris"][item_type]
        assert uri == f"{type_job['outputUri']}by-user/"
    # the seeded catalog has classes only: the class job answers them, the quiz job nothing
    for item_type, expected in (("class", True), ("quiz", False)):
        uri = published["typeUserIndexUris"][item_type]
        key = f"{uri.removeprefix(f's3://{bucket}/')}stu-001.json"
        typed = json.loads(env["s3"].get_object(Bucket=bucket, Key=key)["Body"].read())
        assert bool(typed["items"]) is expected, typed


def test_a_night_publishes_type_filters_that_work_and_the_engagement_of_each_class(
    env: dict[str, Any],
) -> None:
    """Materials and quizzes in the catalog, interactions on them: EnsureDatasets leaves one
    ACTIVE filter per item type, Publish puts their ARNs in the ranking parameter, the quiz
    filter makes GetRecommendations answer quizzes only, and the Export step published the
    engagement order of a class of known activity."""
    seed()
    f.put_items(
        f.CLASS_ACTIVITY,
        [
            {"classId": f"class-{c}", "activityId": f"{kind}#class-{c}-{kind[0].upper()}1",
             "activityType": kind, "itemId": f"class-{c}-{kind[0].upper()}1"}
            for c in range(7) for kind in ("material", "quiz")
        ],
    )  # fmt: skip
    views = [
        f.interaction(f"stu-{u:03d}", 500 + n, f"class-{u % 7}-Q1", f.BASE_TS + n, "takeQuiz")
        for u in range(30)
        for n in range(3)
    ]
    views += [
        f.interaction(f"stu-{u:03d}", 600, f"class-{u % 7}-M1", f.BASE_TS + 9, "viewMaterial")
        for u in range(30)
    ]
    f.put_items(f.INTERACTIONS, views)

    status, _, run = run_asl(handlers(), {}, "2025-01-06T02:00:00Z")
    assert status == "SUCCEEDED", run

    personalize, runtime = env["personalize"], env["runtime"]
    filters = {
        x["name"]: personalize.describe_filter(filterArn=x["filterArn"])["filter"]
        for x in personalize.list_filters(datasetGroupArn=run["datasets"]["datasetGroupArn"])[
            "Filters"
        ]
    }
    assert {n: (x["status"], x["filterExpression"]) for n, x in filters.items()} == {
        f"dev-student-ranking-type-{t}": (
            "ACTIVE",
            f'INCLUDE ItemID WHERE Items.ITEM_TYPE IN ("{t}")',
        )
        for t in ("class", "material", "quiz")
    }
    published = json.loads(env["ssm"].get_parameter(Name=f.RANKING_PARAM)["Parameter"]["Value"])
    assert published["typeFilters"] == run["datasets"]["filters"]
    assert set(published["typeFilters"]) == {"class", "material", "quiz"}
    quizzes = runtime.get_recommendations(
        campaignArn=run["deploy"]["campaignArn"],
        userId="stu-001",
        numResults=5,
        filterArn=published["typeFilters"]["quiz"],
    )["itemList"]
    assert quizzes
    assert all(i["itemId"].endswith("-Q1") for i in quizzes), quizzes
    everything = runtime.get_recommendations(
        campaignArn=run["deploy"]["campaignArn"], userId="stu-001", numResults=25
    )["itemList"]
    assert not all(i["itemId"].endswith("-Q1") for i in everything)

    # Engagement of class-3, computed from the seeded rows by hand: dense_interactions give
    # stu-u the items class-((u + n) % 7), n even enrolled (1), n odd submitAssignment (5);
    # the quiz (3 each) and material (1) rows above go to class-(u % 7).
    expected: dict[str, int] = {}
    for u in range(30):
        student = f"stu-{u:03d}"
        for n in range(40):
            if (u + n) % 7 == 3:
                expected[student] = expected.get(student, 0) + (1 if n % 2 == 0 else 5)
        if u % 7 == 3:
            expected[student] = expected.get(student, 0) + 3 * 3 + 1
    obj = env["s3"].get_object(
        Bucket=f.BUCKET, Key="personalize/batch/engagement/classes/class-3.json"
    )
    students = json.loads(obj["Body"].read())["students"]
    assert {s["studentId"]: s["score"] for s in students} == expected
    scores = [s["score"] for s in students]
    assert scores == sorted(scores, reverse=True)
    assert [s["rank"] for s in students] == list(range(1, len(students) + 1))
