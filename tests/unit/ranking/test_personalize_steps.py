"""Every Personalize step with botocore's Stubber: each request is validated against the
real service model and compared to ``expected_params``; an unexpected call fails the test."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.unit.ranking.conftest import offline_client
from training.common import (
    DEFAULT_RECIPE_ARN,
    ITEM_TYPES,
    RunContext,
    resource_name,
    solution_name,
)
from training.datasets import ensure_datasets, load_schema
from training.deploy import DeploySettings, deploy, deploy_status
from training.imports import import_status, start_imports
from training.solution import (
    choose_training_mode,
    create_solution_version,
    ensure_solution,
    solution_version_status,
)

pytestmark = pytest.mark.unit

PREFIX = "dev-sp"
ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
DSG_ARN = f"{ACCOUNT}:dataset-group/dev-sp-student-ranking"
DS_ARN = {t: f"{DSG_ARN}/{t}" for t in ("INTERACTIONS", "USERS", "ITEMS")}
SCHEMA_ARN = {t: f"{ACCOUNT}:schema/dev-sp-student-ranking-{t.lower()}" for t in DS_ARN}
ROLE_ARN = "arn:aws:iam::123456789012:role/dev-sp-personalize"
SOLUTION_ARN = f"{ACCOUNT}:solution/dev-sp-student-ranking-user-personalization-v2"
SV_OLD = f"{SOLUTION_ARN}/11111111"
SV_NEW = f"{SOLUTION_ARN}/22222222"
CAMPAIGN_ARN = f"{ACCOUNT}:campaign/dev-sp-student-ranking"
WHEN = datetime(2025, 1, 1, tzinfo=UTC)
BUCKET = "s3://dev-sp-data/personalize/export"

FIRST_RUN = RunContext("20250106T020000Z", "2025-01-06", False, "nightly", None)  # Monday
SECOND_RUN = RunContext("20250107T020000Z", "2025-01-07", False, "nightly", None)  # Tuesday
SUNDAY_RUN = RunContext("20250112T020000Z", "2025-01-12", False, "nightly", None)


def export_result(
    run: RunContext, previous_watermark: int | None, delta: int = 10
) -> dict[str, Any]:
    return {
        "status": "READY",
        "run": run.as_dict(),
        "counts": {
            "interactions": 1200,
            "deltaInteractions": delta,
            "students": 40,
            "items": 7,
        },
        "watermark": {"previous": previous_watermark, "current": 1_736_000_000},
        "files": {
            "interactions": f"{BUCKET}/interactions/run_date={run.run_date}/interactions.csv",
            "interactionsDelta": (
                f"{BUCKET}/interactions-delta/run_date={run.run_date}/interactions-delta.csv"
            ),
            "users": f"{BUCKET}/users/run_date={run.run_date}/users.csv",
            "items": f"{BUCKET}/items/run_date={run.run_date}/items.csv",
            "batchInput": f"s3://dev-sp-data/personalize/batch/input/{run.run_id}/users.jsonl",
        },
    }


FILTER_ARN = {t: f"{ACCOUNT}:filter/dev-sp-student-ranking-type-{t}" for t in ITEM_TYPES}


def stub_filters(stub: Stubber, status: str | None = "ACTIVE") -> None:
    """ListFilters of the group: the three type filters in ``status`` (None: none yet)."""
    filters = [
        {"name": arn.rsplit("/", 1)[1], "filterArn": arn, "status": status}
        for arn in FILTER_ARN.values()
    ]
    stub.add_response(
        "list_filters",
        {"Filters": filters if status else []},
        {"datasetGroupArn": DSG_ARN},
    )


def group_summary(status: str) -> dict[str, Any]:
    return {"name": "dev-sp-student-ranking", "datasetGroupArn": DSG_ARN, "status": status}


def dataset_summaries(status: str = "ACTIVE") -> list[dict[str, Any]]:
    types = {"INTERACTIONS": "Interactions", "USERS": "Users", "ITEMS": "Items"}
    return [
        {
            "name": f"dev-sp-student-ranking-{t.lower()}",
            "datasetArn": DS_ARN[t],
            "datasetType": personalize_type,
            "status": status,
        }
        for t, personalize_type in types.items()
    ]


# --- dataset group, schemas, datasets ------------------------------------------------------


def test_first_run_creates_dataset_group_schemas_and_datasets(
    personalize: tuple[Any, Stubber],
) -> None:
    client, stub = personalize
    # call 1: nothing exists -> create the group, wait for it
    stub.add_response("list_dataset_groups", {"datasetGroups": []}, {})
    stub.add_response(
        "create_dataset_group",
        {"datasetGroupArn": DSG_ARN},
        {"name": "dev-sp-student-ranking"},
    )
    first = ensure_datasets(client, PREFIX)
    assert first["status"] == "PENDING"
    assert first["created"] == ["dev-sp-student-ranking"]

    # call 2: group ACTIVE, no datasets -> schema + dataset for each type
    stub.add_response("list_dataset_groups", {"datasetGroups": [group_summary("ACTIVE")]}, {})
    stub.add_response("list_datasets", {"datasets": []}, {"datasetGroupArn": DSG_ARN})
    for t, personalize_type in (
        ("INTERACTIONS", "Interactions"),
        ("USERS", "Users"),
        ("ITEMS", "Items"),
    ):
        name = f"dev-sp-student-ranking-{t.lower()}"
        stub.add_response("list_schemas", {"schemas": []}, {})
        stub.add_response(
            "create_schema",
            {"schemaArn": SCHEMA_ARN[t]},
            {"name": name, "schema": load_schema(t)},
        )
        stub.add_response(
            "create_dataset",
            {"datasetArn": DS_ARN[t]},
            {
                "name": name,
                "schemaArn": SCHEMA_ARN[t],
                "datasetGroupArn": DSG_ARN,
                "datasetType": personalize_type,
            },
        )
    second = ensure_datasets(client, PREFIX)
    assert second["status"] == "PENDING"
    assert second["datasets"] == DS_ARN

    # call 3: datasets ACTIVE -> one filter per item type, wait for them
    stub.add_response("list_dataset_groups", {"datasetGroups": [group_summary("ACTIVE")]}, {})
    stub.add_response(
        "list_datasets", {"datasets": dataset_summaries()}, {"datasetGroupArn": DSG_ARN}
    )
    stub_filters(stub, None)
    for item_type, arn in FILTER_ARN.items():
        stub.add_response(
            "create_filter",
            {"filterArn": arn},
            {
                "name": f"dev-sp-student-ranking-type-{item_type}",
                "datasetGroupArn": DSG_ARN,
                "filterExpression": f'INCLUDE ItemID WHERE Items.ITEM_TYPE IN ("{item_type}")',
            },
        )
    third = ensure_datasets(client, PREFIX)
    assert third["status"] == "PENDING"
    assert third["created"] == [f"filter:dev-sp-student-ranking-type-{t}" for t in ITEM_TYPES]

    # call 4: all ACTIVE -> nothing to create
    stub.add_response("list_dataset_groups", {"datasetGroups": [group_summary("ACTIVE")]}, {})
    stub.add_response(
        "list_datasets", {"datasets": dataset_summaries()}, {"datasetGroupArn": DSG_ARN}
    )
    stub_filters(stub)
    fourth = ensure_datasets(client, PREFIX)
    assert fourth == {
        "datasetGroupArn": DSG_ARN,
        "datasets": DS_ARN,
        "filters": FILTER_ARN,
        "created": [],
        "status": "ACTIVE",
    }
    stub.assert_no_pending_responses()


def test_a_failed_type_filter_fails_the_datasets_step(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    stub.add_response("list_dataset_groups", {"datasetGroups": [group_summary("ACTIVE")]}, {})
    stub.add_response(
        "list_datasets", {"datasets": dataset_summaries()}, {"datasetGroupArn": DSG_ARN}
    )
    stub_filters(stub, "CREATE FAILED")
    result = ensure_datasets(client, PREFIX)
    assert result["status"] == "FAILED"
    assert "filter dev-sp-student-ranking-type-quiz: CREATE FAILED" in result["failureReason"]


def test_schemas_are_valid_personalize_avro() -> None:
    import json

    fields = {
        t: [f["name"] for f in json.loads(load_schema(t))["fields"]]
        for t in ("INTERACTIONS", "USERS", "ITEMS")
    }
    assert fields["INTERACTIONS"] == ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
    assert fields["USERS"][0] == "USER_ID"
    assert len(fields["USERS"]) >= 2
    assert fields["ITEMS"][0] == "ITEM_ID"
    assert len(fields["ITEMS"]) >= 2
    timestamp = json.loads(load_schema("INTERACTIONS"))["fields"][2]
    assert timestamp == {"name": "TIMESTAMP", "type": "long"}


def test_existing_schema_is_reused_not_recreated(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    stub.add_response("list_dataset_groups", {"datasetGroups": [group_summary("ACTIVE")]}, {})
    present = [d for d in dataset_summaries() if d["datasetType"] != "Items"]
    stub.add_response("list_datasets", {"datasets": present}, {"datasetGroupArn": DSG_ARN})
    stub.add_response(
        "list_schemas",
        {"schemas": [{"name": "dev-sp-student-ranking-items", "schemaArn": SCHEMA_ARN["ITEMS"]}]},
        {},
    )
    stub.add_response(
        "create_dataset",
        {"datasetArn": DS_ARN["ITEMS"]},
        {
            "name": "dev-sp-student-ranking-items",
            "schemaArn": SCHEMA_ARN["ITEMS"],
            "datasetGroupArn": DSG_ARN,
            "datasetType": "Items",
        },
    )
    result = ensure_datasets(client, PREFIX)
    assert result["status"] == "PENDING"
    assert result["created"] == ["dev-sp-student-ranking-items"]
    stub.assert_no_pending_responses()


def test_failed_dataset_group_surfaces_failure_reason(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    failed = {**group_summary("CREATE FAILED"), "failureReason": "KMS key not accessible"}
    stub.add_response("list_dataset_groups", {"datasetGroups": [failed]}, {})
    result = ensure_datasets(client, PREFIX)
    assert result["status"] == "FAILED"
    assert result["failureReason"] == "dataset group dev-sp-student-ranking: KMS key not accessible"
    stub.assert_no_pending_responses()


def test_dataset_group_with_kms_key_passes_role(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    key = "arn:aws:kms:us-east-1:123456789012:key/abc"
    stub.add_response("list_dataset_groups", {"datasetGroups": []}, {})
    stub.add_response(
        "create_dataset_group",
        {"datasetGroupArn": DSG_ARN},
        {"name": "dev-sp-student-ranking", "kmsKeyArn": key, "roleArn": ROLE_ARN},
    )
    assert (
        ensure_datasets(client, PREFIX, kms_key_arn=key, role_arn=ROLE_ARN)["status"] == "PENDING"
    )
    stub.assert_no_pending_responses()


# --- imports --------------------------------------------------------------------------------


def _import_name(t: str, run: RunContext) -> str:
    return f"dev-sp-{t.lower()}-{run.run_id}"


def _import_arn(t: str, run: RunContext) -> str:
    return f"{ACCOUNT}:dataset-import-job/{_import_name(t, run)}"


def test_first_import_is_full_from_the_snapshot(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    exported = export_result(FIRST_RUN, previous_watermark=None, delta=1200)
    files = {"INTERACTIONS": "interactions", "USERS": "users", "ITEMS": "items"}
    for t, arn in DS_ARN.items():
        stub.add_response(
            "list_dataset_import_jobs", {"datasetImportJobs": []}, {"datasetArn": arn}
        )
        stub.add_response(
            "create_dataset_import_job",
            {"datasetImportJobArn": _import_arn(t, FIRST_RUN)},
            {
                "jobName": _import_name(t, FIRST_RUN),
                "datasetArn": arn,
                "dataSource": {"dataLocation": exported["files"][files[t]]},
                "roleArn": ROLE_ARN,
                "importMode": "FULL",
            },
        )

    result = start_imports(
        client,
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        run=FIRST_RUN,
        datasets=DS_ARN,
        export_result=exported,
    )

    assert [(j["datasetType"], j["importMode"], j["created"]) for j in result["jobs"]] == [
        ("INTERACTIONS", "FULL", True),
        ("USERS", "FULL", True),
        ("ITEMS", "FULL", True),
    ]
    assert result["watermark"] == 1_736_000_000
    stub.assert_no_pending_responses()


def test_later_imports_are_incremental_with_the_interactions_delta(
    personalize: tuple[Any, Stubber],
) -> None:
    client, stub = personalize
    exported = export_result(SECOND_RUN, previous_watermark=1_735_900_000)
    files = {"INTERACTIONS": "interactionsDelta", "USERS": "users", "ITEMS": "items"}
    for t, arn in DS_ARN.items():
        history = [
            {
                "jobName": _import_name(t, FIRST_RUN),
                "datasetImportJobArn": _import_arn(t, FIRST_RUN),
                "status": "ACTIVE",
                "importMode": "FULL",
                "creationDateTime": WHEN,
            }
        ]
        stub.add_response(
            "list_dataset_import_jobs", {"datasetImportJobs": history}, {"datasetArn": arn}
        )
        stub.add_response(
            "create_dataset_import_job",
            {"datasetImportJobArn": _import_arn(t, SECOND_RUN)},
            {
                "jobName": _import_name(t, SECOND_RUN),
                "datasetArn": arn,
                "dataSource": {"dataLocation": exported["files"][files[t]]},
                "roleArn": ROLE_ARN,
                "importMode": "INCREMENTAL",
            },
        )

    result = start_imports(
        client,
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        run=SECOND_RUN,
        datasets=DS_ARN,
        export_result=exported,
    )

    assert {j["importMode"] for j in result["jobs"]} == {"INCREMENTAL"}
    assert result["skipped"] == []
    stub.assert_no_pending_responses()


def test_incremental_without_watermark_falls_back_to_full_and_empty_delta_is_skipped(
    personalize: tuple[Any, Stubber],
) -> None:
    client, stub = personalize
    history = [
        {
            "jobName": "old",
            "datasetImportJobArn": f"{ACCOUNT}:dataset-import-job/old",
            "status": "ACTIVE",
        }
    ]
    no_watermark = export_result(SECOND_RUN, previous_watermark=None)
    stub.add_response(
        "list_dataset_import_jobs",
        {"datasetImportJobs": history},
        {"datasetArn": DS_ARN["INTERACTIONS"]},
    )
    stub.add_response(
        "create_dataset_import_job",
        {"datasetImportJobArn": _import_arn("INTERACTIONS", SECOND_RUN)},
        {
            "jobName": _import_name("INTERACTIONS", SECOND_RUN),
            "datasetArn": DS_ARN["INTERACTIONS"],
            "dataSource": {"dataLocation": no_watermark["files"]["interactions"]},
            "roleArn": ROLE_ARN,
            "importMode": "FULL",
        },
    )
    only_interactions = {"INTERACTIONS": DS_ARN["INTERACTIONS"]}
    first = start_imports(
        client,
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        run=SECOND_RUN,
        datasets=only_interactions,
        export_result=no_watermark,
    )
    assert first["jobs"][0]["importMode"] == "FULL"

    stub.add_response(
        "list_dataset_import_jobs",
        {"datasetImportJobs": history},
        {"datasetArn": DS_ARN["INTERACTIONS"]},
    )
    empty = start_imports(
        client,
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        run=SECOND_RUN,
        datasets=only_interactions,
        export_result=export_result(SECOND_RUN, previous_watermark=1, delta=0),
    )
    assert empty["jobs"] == []
    assert empty["skipped"] == [
        {"datasetType": "INTERACTIONS", "reason": "no interactions newer than the watermark"}
    ]
    assert "watermark" not in empty
    stub.assert_no_pending_responses()


def test_rerun_of_the_same_run_reuses_its_import_job(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    mine = {
        "jobName": _import_name("USERS", SECOND_RUN),
        "datasetImportJobArn": _import_arn("USERS", SECOND_RUN),
        "status": "CREATE IN_PROGRESS",
        "importMode": "INCREMENTAL",
    }
    stub.add_response(
        "list_dataset_import_jobs", {"datasetImportJobs": [mine]}, {"datasetArn": DS_ARN["USERS"]}
    )
    result = start_imports(
        client,
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        run=SECOND_RUN,
        datasets={"USERS": DS_ARN["USERS"]},
        export_result=export_result(SECOND_RUN, 1),
    )
    assert result["jobs"][0]["created"] is False
    assert result["jobs"][0]["jobArn"] == _import_arn("USERS", SECOND_RUN)
    stub.assert_no_pending_responses()


def _import_state() -> dict[str, Any]:
    return {
        "jobs": [
            {
                "datasetType": t,
                "jobName": _import_name(t, SECOND_RUN),
                "jobArn": _import_arn(t, SECOND_RUN),
            }
            for t in DS_ARN
        ],
        "runId": SECOND_RUN.run_id,
        "watermark": 1_736_000_000,
    }


def _describe_import(stub: Stubber, t: str, status: str, reason: str | None = None) -> None:
    job: dict[str, Any] = {"datasetImportJobArn": _import_arn(t, SECOND_RUN), "status": status}
    if reason:
        job["failureReason"] = reason
    stub.add_response(
        "describe_dataset_import_job",
        {"datasetImportJob": job},
        {"datasetImportJobArn": _import_arn(t, SECOND_RUN)},
    )


def test_import_status_pending_then_active_commits_watermark(
    personalize: tuple[Any, Stubber],
) -> None:
    client, stub = personalize
    ssm = offline_client("ssm")
    with Stubber(ssm) as ssm_stub:
        _describe_import(stub, "INTERACTIONS", "ACTIVE")
        _describe_import(stub, "USERS", "CREATE IN_PROGRESS")
        _describe_import(stub, "ITEMS", "ACTIVE")
        pending = import_status(client, ssm, _import_state(), "/dev/watermark")
        assert pending["status"] == "PENDING"

        for t in DS_ARN:
            _describe_import(stub, t, "ACTIVE")
        ssm_stub.add_response(
            "put_parameter",
            {"Version": 2},
            {
                "Name": "/dev/watermark",
                "Value": '{"maxTimestamp":1736000000,"runId":"20250107T020000Z"}',
                "Type": "String",
                "Overwrite": True,
            },
        )
        active = import_status(client, ssm, _import_state(), "/dev/watermark")
        assert active["status"] == "ACTIVE"
        assert active["watermarkCommitted"] == 1_736_000_000
        ssm_stub.assert_no_pending_responses()
    stub.assert_no_pending_responses()


def test_failed_import_surfaces_failure_reason(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    ssm = offline_client("ssm")
    with Stubber(ssm):  # no call expected: the watermark must not move
        _describe_import(
            stub, "INTERACTIONS", "CREATE FAILED", "Input CSV is missing header TIMESTAMP"
        )
        _describe_import(stub, "USERS", "ACTIVE")
        _describe_import(stub, "ITEMS", "ACTIVE")
        result = import_status(client, ssm, _import_state(), "/dev/watermark")
    assert result["status"] == "FAILED"
    assert result["failureReason"] == (
        "INTERACTIONS import dev-sp-interactions-20250107T020000Z: "
        "Input CSV is missing header TIMESTAMP"
    )
    stub.assert_no_pending_responses()


# --- solution and training ------------------------------------------------------------------


def test_first_run_creates_solution_without_auto_training(
    personalize: tuple[Any, Stubber],
) -> None:
    client, stub = personalize
    name = "dev-sp-student-ranking-user-personalization-v2"
    stub.add_response("list_solutions", {"solutions": []}, {"datasetGroupArn": DSG_ARN})
    stub.add_response(
        "create_solution",
        {"solutionArn": SOLUTION_ARN},
        {
            "name": name,
            "datasetGroupArn": DSG_ARN,
            "recipeArn": DEFAULT_RECIPE_ARN,
            "performAutoTraining": False,
        },
    )
    created = ensure_solution(
        client, name_prefix=PREFIX, dataset_group_arn=DSG_ARN, recipe_arn=DEFAULT_RECIPE_ARN
    )
    assert created == {
        "solutionArn": SOLUTION_ARN,
        "recipeArn": DEFAULT_RECIPE_ARN,
        "status": "PENDING",
        "created": True,
    }

    summary = {"name": name, "solutionArn": SOLUTION_ARN, "status": "ACTIVE"}
    stub.add_response("list_solutions", {"solutions": [summary]}, {"datasetGroupArn": DSG_ARN})
    found = ensure_solution(
        client, name_prefix=PREFIX, dataset_group_arn=DSG_ARN, recipe_arn=DEFAULT_RECIPE_ARN
    )
    assert found["status"] == "ACTIVE"
    assert found["created"] is False
    stub.assert_no_pending_responses()


def _sv_name(run: RunContext) -> str:
    return f"dev-sp-sv-{run.run_id}"


def test_first_solution_version_is_full(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    stub.add_response(
        "list_solution_versions", {"solutionVersions": []}, {"solutionArn": SOLUTION_ARN}
    )
    stub.add_response(
        "create_solution_version",
        {"solutionVersionArn": SV_OLD},
        {"name": _sv_name(FIRST_RUN), "solutionArn": SOLUTION_ARN, "trainingMode": "FULL"},
    )
    result = create_solution_version(
        client,
        name_prefix=PREFIX,
        solution_arn=SOLUTION_ARN,
        recipe_arn=DEFAULT_RECIPE_ARN,
        run=FIRST_RUN,
    )
    assert result == {"solutionVersionArn": SV_OLD, "trainingMode": "FULL", "created": True}
    stub.assert_no_pending_responses()


V1_RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"
ACTIVE_FULL = {"solutionVersionArn": SV_OLD, "status": "ACTIVE", "trainingMode": "FULL"}


@pytest.mark.parametrize(
    ("recipe", "run", "versions", "mode"),
    [
        (V1_RECIPE, SECOND_RUN, [ACTIVE_FULL], "UPDATE"),  # nightly: UPDATE
        (V1_RECIPE, SUNDAY_RUN, [ACTIVE_FULL], "FULL"),  # weekly: FULL
        (V1_RECIPE, SECOND_RUN, [], "FULL"),  # UPDATE needs an ACTIVE FULL version
        (DEFAULT_RECIPE_ARN, SECOND_RUN, [ACTIVE_FULL], "FULL"),  # v2: no UPDATE
    ],
)
def test_training_mode_sent_to_personalize(
    personalize: tuple[Any, Stubber],
    recipe: str,
    run: RunContext,
    versions: list[dict[str, Any]],
    mode: str,
) -> None:
    client, stub = personalize
    stub.add_response(
        "list_solution_versions", {"solutionVersions": versions}, {"solutionArn": SOLUTION_ARN}
    )
    stub.add_response(
        "create_solution_version",
        {"solutionVersionArn": SV_NEW},
        {"name": _sv_name(run), "solutionArn": SOLUTION_ARN, "trainingMode": mode},
    )
    result = create_solution_version(
        client, name_prefix=PREFIX, solution_arn=SOLUTION_ARN, recipe_arn=recipe, run=run
    )
    assert result["trainingMode"] == mode
    stub.assert_no_pending_responses()


def test_choose_training_mode_honours_force_full() -> None:
    forced = RunContext("20250107T020000Z", "2025-01-07", True, "weekly", None)
    assert choose_training_mode(V1_RECIPE, forced, has_active_full=True, full_weekday=6) == "FULL"
    assert choose_training_mode(V1_RECIPE, SECOND_RUN, True, full_weekday=1) == "FULL"  # Tuesday


def test_training_in_progress_is_reused_not_duplicated(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    training = {
        "solutionVersionArn": SV_NEW,
        "status": "CREATE IN_PROGRESS",
        "trainingMode": "FULL",
    }
    stub.add_response(
        "list_solution_versions",
        {"solutionVersions": [training, ACTIVE_FULL]},
        {"solutionArn": SOLUTION_ARN},
    )
    result = create_solution_version(
        client,
        name_prefix=PREFIX,
        solution_arn=SOLUTION_ARN,
        recipe_arn=DEFAULT_RECIPE_ARN,
        run=SECOND_RUN,
    )
    assert result == {"solutionVersionArn": SV_NEW, "trainingMode": "FULL", "created": False}
    stub.assert_no_pending_responses()


def test_failed_training_surfaces_failure_reason(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    reason = "Insufficient data: at least 1000 interactions from 25 users are required."
    stub.add_response(
        "describe_solution_version",
        {"solutionVersion": {"solutionVersionArn": SV_NEW, "status": "CREATE PENDING"}},
        {"solutionVersionArn": SV_NEW},
    )
    stub.add_response(
        "describe_solution_version",
        {
            "solutionVersion": {
                "solutionVersionArn": SV_NEW,
                "status": "CREATE FAILED",
                "failureReason": reason,
            }
        },
        {"solutionVersionArn": SV_NEW},
    )
    assert solution_version_status(client, SV_NEW) == {
        "solutionVersionArn": SV_NEW,
        "status": "PENDING",
    }
    assert solution_version_status(client, SV_NEW) == {
        "solutionVersionArn": SV_NEW,
        "status": "FAILED",
        "failureReason": reason,
    }
    stub.assert_no_pending_responses()


# --- deploy ---------------------------------------------------------------------------------

CAMPAIGN = DeploySettings(mode="campaign", name_prefix=PREFIX, min_provisioned_tps=2)


def test_first_deploy_creates_the_campaign(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    stub.add_response("list_campaigns", {"campaigns": []}, {})
    stub.add_response(
        "create_campaign",
        {"campaignArn": CAMPAIGN_ARN},
        {"name": "dev-sp-student-ranking", "solutionVersionArn": SV_OLD, "minProvisionedTPS": 2},
    )
    stub.add_response(
        "describe_campaign",
        {
            "campaign": {
                "campaignArn": CAMPAIGN_ARN,
                "solutionVersionArn": SV_OLD,
                "status": "ACTIVE",
            }
        },
        {"campaignArn": CAMPAIGN_ARN},
    )

    deployed = deploy(client, CAMPAIGN, solution_version_arn=SV_OLD, run=FIRST_RUN)
    assert deployed == {
        "mode": "campaign",
        "solutionVersionArn": SV_OLD,
        "campaignArn": CAMPAIGN_ARN,
        "action": "CREATED",
    }
    assert deploy_status(client, deployed) == {"status": "ACTIVE"}
    stub.assert_no_pending_responses()


def test_new_solution_version_updates_the_campaign_never_creates_another(
    personalize: tuple[Any, Stubber],
) -> None:
    client, stub = personalize
    summary = {"name": "dev-sp-student-ranking", "campaignArn": CAMPAIGN_ARN, "status": "ACTIVE"}
    other = {"name": "someone-elses", "campaignArn": f"{ACCOUNT}:campaign/x", "status": "ACTIVE"}
    stub.add_response("list_campaigns", {"campaigns": [other, summary]}, {})
    stub.add_response(
        "describe_campaign",
        {
            "campaign": {
                "campaignArn": CAMPAIGN_ARN,
                "solutionVersionArn": SV_OLD,
                "status": "ACTIVE",
            }
        },
        {"campaignArn": CAMPAIGN_ARN},
    )
    stub.add_response(
        "update_campaign",
        {"campaignArn": CAMPAIGN_ARN},
        {"campaignArn": CAMPAIGN_ARN, "solutionVersionArn": SV_NEW, "minProvisionedTPS": 2},
    )
    deployed = deploy(client, CAMPAIGN, solution_version_arn=SV_NEW, run=SECOND_RUN)
    assert deployed["action"] == "UPDATED"

    # the status follows the campaign *update*, not the campaign (which stays ACTIVE)
    for update_status, expected in (("CREATE IN_PROGRESS", "PENDING"), ("ACTIVE", "ACTIVE")):
        stub.add_response(
            "describe_campaign",
            {
                "campaign": {
                    "campaignArn": CAMPAIGN_ARN,
                    "solutionVersionArn": SV_OLD if expected == "PENDING" else SV_NEW,
                    "status": "ACTIVE",
                    "latestCampaignUpdate": {"solutionVersionArn": SV_NEW, "status": update_status},
                }
            },
            {"campaignArn": CAMPAIGN_ARN},
        )
        assert deploy_status(client, deployed) == {"status": expected}
    stub.assert_no_pending_responses()


def test_campaign_already_on_the_version_is_left_alone(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    summary = {"name": "dev-sp-student-ranking", "campaignArn": CAMPAIGN_ARN, "status": "ACTIVE"}
    stub.add_response("list_campaigns", {"campaigns": [summary]}, {})
    stub.add_response(
        "describe_campaign",
        {
            "campaign": {
                "campaignArn": CAMPAIGN_ARN,
                "solutionVersionArn": SV_NEW,
                "status": "ACTIVE",
            }
        },
        {"campaignArn": CAMPAIGN_ARN},
    )
    assert deploy(client, CAMPAIGN, solution_version_arn=SV_NEW, run=SECOND_RUN)["action"] == "NONE"
    stub.assert_no_pending_responses()


def test_failed_campaign_update_surfaces_failure_reason(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    stub.add_response(
        "describe_campaign",
        {
            "campaign": {
                "campaignArn": CAMPAIGN_ARN,
                "solutionVersionArn": SV_OLD,
                "status": "ACTIVE",
                "latestCampaignUpdate": {
                    "solutionVersionArn": SV_NEW,
                    "status": "CREATE FAILED",
                    "failureReason": "Solution version belongs to another dataset group",
                },
            }
        },
        {"campaignArn": CAMPAIGN_ARN},
    )
    deployment = {"mode": "campaign", "campaignArn": CAMPAIGN_ARN, "solutionVersionArn": SV_NEW}
    assert deploy_status(client, deployment) == {
        "status": "FAILED",
        "failureReason": "Solution version belongs to another dataset group",
    }
    stub.assert_no_pending_responses()


def test_batch_deploy_creates_a_batch_inference_job(personalize: tuple[Any, Stubber]) -> None:
    client, stub = personalize
    key = "arn:aws:kms:us-east-1:123456789012:key/abc"
    batch = DeploySettings(
        mode="batch",
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        bucket="dev-sp-data",
        kms_key_arn=key,
        num_results=20,
    )
    job_name = f"dev-sp-batch-{SECOND_RUN.run_id}"
    job_arn = f"{ACCOUNT}:batch-inference-job/{job_name}"
    input_uri = export_result(SECOND_RUN, 1)["files"]["batchInput"]
    output_uri = f"s3://dev-sp-data/personalize/batch/output/{SECOND_RUN.run_id}/"
    stub.add_response(
        "list_batch_inference_jobs", {"batchInferenceJobs": []}, {"solutionVersionArn": SV_NEW}
    )
    stub.add_response(
        "create_batch_inference_job",
        {"batchInferenceJobArn": job_arn},
        {
            "jobName": job_name,
            "solutionVersionArn": SV_NEW,
            "numResults": 20,
            "jobInput": {"s3DataSource": {"path": input_uri, "kmsKeyArn": key}},
            "jobOutput": {"s3DataDestination": {"path": output_uri, "kmsKeyArn": key}},
            "roleArn": ROLE_ARN,
        },
    )
    stub.add_response(
        "describe_batch_inference_job",
        {
            "batchInferenceJob": {
                "batchInferenceJobArn": job_arn,
                "status": "CREATE FAILED",
                "failureReason": "Access denied to s3://dev-sp-data",
            }
        },
        {"batchInferenceJobArn": job_arn},
    )

    deployed = deploy(
        client, batch, solution_version_arn=SV_NEW, run=SECOND_RUN, batch_input_uri=input_uri
    )
    assert deployed == {
        "mode": "batch",
        "solutionVersionArn": SV_NEW,
        "outputUri": output_uri,
        "jobName": job_name,
        "batchInferenceJobArn": job_arn,
        "action": "CREATED",
    }
    assert deploy_status(client, deployed) == {
        "status": "FAILED",
        "failureReason": f"{job_name}: Access denied to s3://dev-sp-data",
    }
    stub.assert_no_pending_responses()


def test_batch_deploy_runs_one_filtered_job_per_item_type(personalize: tuple[Any, Stubber]) -> None:
    """Besides the unfiltered job, one job per type filter (its filterArn) writing to the
    sibling prefix output/<runId>-<type>/; the deployment is ACTIVE once every job is."""
    client, stub = personalize
    batch = DeploySettings(
        mode="batch", name_prefix=PREFIX, role_arn=ROLE_ARN, bucket="dev-sp-data", num_results=20
    )
    run_id = SECOND_RUN.run_id
    input_uri = export_result(SECOND_RUN, 1)["files"]["batchInput"]
    output = f"s3://dev-sp-data/personalize/batch/output/{run_id}"
    filters = {"quiz": f"{ACCOUNT}:filter/dev-sp-student-ranking-type-quiz"}
    main_arn = f"{ACCOUNT}:batch-inference-job/dev-sp-batch-{run_id}"
    quiz_arn = f"{ACCOUNT}:batch-inference-job/dev-sp-batch-{run_id}-quiz"
    # a retried Deploy: the unfiltered job exists already, only the quiz job is created
    stub.add_response(
        "list_batch_inference_jobs",
        {
            "batchInferenceJobs": [
                {"jobName": f"dev-sp-batch-{run_id}", "batchInferenceJobArn": main_arn}
            ]
        },
        {"solutionVersionArn": SV_NEW},
    )
    stub.add_response(
        "create_batch_inference_job",
        {"batchInferenceJobArn": quiz_arn},
        {
            "jobName": f"dev-sp-batch-{run_id}-quiz",
            "solutionVersionArn": SV_NEW,
            "numResults": 20,
            "jobInput": {"s3DataSource": {"path": input_uri}},
            "jobOutput": {"s3DataDestination": {"path": f"{output}-quiz/"}},
            "roleArn": ROLE_ARN,
            "filterArn": filters["quiz"],
        },
    )
    deployed = deploy(
        client,
        batch,
        solution_version_arn=SV_NEW,
        run=SECOND_RUN,
        batch_input_uri=input_uri,
        type_filters=filters,
    )
    assert deployed["action"] == "NONE"
    assert deployed["outputUri"] == f"{output}/"
    assert deployed["typeJobs"] == {
        "quiz": {
            "jobName": f"dev-sp-batch-{run_id}-quiz",
            "outputUri": f"{output}-quiz/",
            "batchInferenceJobArn": quiz_arn,
            "action": "CREATED",
        }
    }
    for quiz_status, expected in (("CREATE IN_PROGRESS", "PENDING"), ("ACTIVE", "ACTIVE")):
        for arn, status in ((main_arn, "ACTIVE"), (quiz_arn, quiz_status)):
            stub.add_response(
                "describe_batch_inference_job",
                {"batchInferenceJob": {"batchInferenceJobArn": arn, "status": status}},
                {"batchInferenceJobArn": arn},
            )
        assert deploy_status(client, deployed)["status"] == expected
    stub.assert_no_pending_responses()


# --- a whole second run: finds everything, creates nothing but jobs -------------------------


def test_second_run_finds_everything_and_creates_nothing(personalize: tuple[Any, Stubber]) -> None:
    """Everything exists: only the per-run jobs are created (import INCREMENTAL, a solution
    version, UpdateCampaign); any unexpected Create* call would fail the Stubber."""
    client, stub = personalize
    name = solution_name(PREFIX, DEFAULT_RECIPE_ARN)
    stub.add_response("list_dataset_groups", {"datasetGroups": [group_summary("ACTIVE")]}, {})
    stub.add_response(
        "list_datasets", {"datasets": dataset_summaries()}, {"datasetGroupArn": DSG_ARN}
    )
    stub_filters(stub)
    datasets = ensure_datasets(client, PREFIX)
    assert datasets["created"] == []
    assert datasets["status"] == "ACTIVE"

    exported = export_result(SECOND_RUN, previous_watermark=1_735_900_000)
    for t, arn in DS_ARN.items():
        old = {
            "jobName": "first",
            "datasetImportJobArn": _import_arn(t, FIRST_RUN),
            "status": "ACTIVE",
        }
        stub.add_response(
            "list_dataset_import_jobs", {"datasetImportJobs": [old]}, {"datasetArn": arn}
        )
        files = {"INTERACTIONS": "interactionsDelta", "USERS": "users", "ITEMS": "items"}
        stub.add_response(
            "create_dataset_import_job",
            {"datasetImportJobArn": _import_arn(t, SECOND_RUN)},
            {
                "jobName": _import_name(t, SECOND_RUN),
                "datasetArn": arn,
                "dataSource": {"dataLocation": exported["files"][files[t]]},
                "roleArn": ROLE_ARN,
                "importMode": "INCREMENTAL",
            },
        )
    imports = start_imports(
        client,
        name_prefix=PREFIX,
        role_arn=ROLE_ARN,
        run=SECOND_RUN,
        datasets=datasets["datasets"],
        export_result=exported,
    )
    assert [j["importMode"] for j in imports["jobs"]] == ["INCREMENTAL"] * 3

    stub.add_response(
        "list_solutions",
        {"solutions": [{"name": name, "solutionArn": SOLUTION_ARN, "status": "ACTIVE"}]},
        {"datasetGroupArn": DSG_ARN},
    )
    solution = ensure_solution(
        client, name_prefix=PREFIX, dataset_group_arn=DSG_ARN, recipe_arn=DEFAULT_RECIPE_ARN
    )
    assert solution["created"] is False

    stub.add_response(
        "list_solution_versions", {"solutionVersions": [ACTIVE_FULL]}, {"solutionArn": SOLUTION_ARN}
    )
    stub.add_response(
        "create_solution_version",
        {"solutionVersionArn": SV_NEW},
        {"name": _sv_name(SECOND_RUN), "solutionArn": SOLUTION_ARN, "trainingMode": "FULL"},
    )
    version = create_solution_version(
        client,
        name_prefix=PREFIX,
        solution_arn=SOLUTION_ARN,
        recipe_arn=DEFAULT_RECIPE_ARN,
        run=SECOND_RUN,
    )

    summary = {"name": "dev-sp-student-ranking", "campaignArn": CAMPAIGN_ARN, "status": "ACTIVE"}
    stub.add_response("list_campaigns", {"campaigns": [summary]}, {})
    stub.add_response(
        "describe_campaign",
        {
            "campaign": {
                "campaignArn": CAMPAIGN_ARN,
                "solutionVersionArn": SV_OLD,
                "status": "ACTIVE",
            }
        },
        {"campaignArn": CAMPAIGN_ARN},
    )
    stub.add_response(
        "update_campaign",
        {"campaignArn": CAMPAIGN_ARN},
        {"campaignArn": CAMPAIGN_ARN, "solutionVersionArn": SV_NEW, "minProvisionedTPS": 2},
    )
    deployed = deploy(
        client, CAMPAIGN, solution_version_arn=version["solutionVersionArn"], run=SECOND_RUN
    )
    assert deployed["action"] == "UPDATED"
    stub.assert_no_pending_responses()


def test_resource_names_stay_valid_for_long_prefixes() -> None:
    long_prefix = "a-very-long-environment-name-prefix-for-the-student-platform"
    name = solution_name(long_prefix, DEFAULT_RECIPE_ARN)
    assert len(name) <= 63
    assert name != solution_name(
        long_prefix, "arn:aws:personalize:::recipe/aws-personalized-ranking-v2"
    )
    assert resource_name("dev", "x/y z") == "dev-x-y-z"
