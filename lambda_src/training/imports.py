"""Step 3: dataset import jobs (FULL the first time, INCREMENTAL afterwards) and their status.

Handlers: ``training.app.start_import_handler``, ``training.app.import_status_handler``.

Import mode per dataset: ``FULL`` while the dataset has no ACTIVE import job, then
``INCREMENTAL``. An INCREMENTAL import appends records; Users/Items records with the same ID
are replaced, but interactions have no ID and would be duplicated by re-importing the
whole snapshot. So an INCREMENTAL interactions import uses the *delta* file of the export
(rows newer than the watermark); the watermark (max TIMESTAMP imported) is committed to
the SSM parameter ``WATERMARK_PARAMETER_NAME`` by the status check once every job is ACTIVE.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from student_platform.aws import cached_client
from training.common import (
    ACTIVE,
    FAILED,
    PENDING,
    ConfigError,
    RunContext,
    logger,
    normalize_status,
    optional_env,
    paginate,
    require_env,
    resource_name,
)

FULL: Final = "FULL"
INCREMENTAL: Final = "INCREMENTAL"
_COUNT_FOR_TYPE: Final = {"INTERACTIONS": "interactions", "USERS": "students", "ITEMS": "items"}
_FILE_FOR_TYPE: Final = {"INTERACTIONS": "interactions", "USERS": "users", "ITEMS": "items"}


def _plan_source(
    dataset_type: str, mode: str, export_result: Mapping[str, Any]
) -> tuple[str, str | None, str | None]:
    """``(mode, dataLocation, skip_reason)`` for one dataset."""
    counts: Mapping[str, int] = export_result.get("counts", {})
    files: Mapping[str, str] = export_result.get("files", {})
    if dataset_type == "INTERACTIONS" and mode == INCREMENTAL:
        watermark = export_result.get("watermark", {}).get("previous")
        if watermark is None:
            # No committed watermark: the delta is the whole table, appending it would
            # duplicate every interaction. Replace the bulk data instead.
            logger.warning("No watermark for an INCREMENTAL interactions import: using FULL")
            return FULL, files.get("interactions"), None
        if int(counts.get("deltaInteractions", 0)) == 0:
            return mode, None, "no interactions newer than the watermark"
        return mode, files.get("interactionsDelta"), None
    if int(counts.get(_COUNT_FOR_TYPE[dataset_type], 0)) == 0:
        return mode, None, "no records exported"
    return mode, files.get(_FILE_FOR_TYPE[dataset_type]), None


def start_imports(
    personalize: Any,
    *,
    name_prefix: str,
    role_arn: str,
    run: RunContext,
    datasets: Mapping[str, str],
    export_result: Mapping[str, Any],
) -> dict[str, Any]:
    """Create one import job per dataset (reusing this run's job if it already exists)."""
    jobs: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for dataset_type, dataset_arn in datasets.items():
        job_name = resource_name(name_prefix, dataset_type.lower(), run.run_id)
        history = list(
            paginate(
                personalize, "list_dataset_import_jobs", "datasetImportJobs", datasetArn=dataset_arn
            )
        )
        same_run = next((j for j in history if j.get("jobName") == job_name), None)
        if same_run is not None:
            jobs.append(
                {
                    "datasetType": dataset_type,
                    "jobName": job_name,
                    "jobArn": same_run["datasetImportJobArn"],
                    "importMode": same_run.get("importMode", FULL),
                    "created": False,
                }
            )
            continue
        imported = any(normalize_status(j.get("status")) == ACTIVE for j in history)
        mode, location, skip_reason = _plan_source(
            dataset_type, INCREMENTAL if imported else FULL, export_result
        )
        if skip_reason or not location:
            skipped.append({"datasetType": dataset_type, "reason": skip_reason or "no file"})
            continue
        arn = personalize.create_dataset_import_job(
            jobName=job_name,
            datasetArn=dataset_arn,
            dataSource={"dataLocation": location},
            roleArn=role_arn,
            importMode=mode,
        )["datasetImportJobArn"]
        logger.info("Started import", dataset_type=dataset_type, import_mode=mode, job_arn=arn)
        jobs.append(
            {
                "datasetType": dataset_type,
                "jobName": job_name,
                "jobArn": arn,
                "importMode": mode,
                "dataLocation": location,
                "created": True,
            }
        )
    result: dict[str, Any] = {"jobs": jobs, "skipped": skipped, "runId": run.run_id}
    if any(j["datasetType"] == "INTERACTIONS" for j in jobs):
        result["watermark"] = export_result.get("watermark", {}).get("current")
    return result


def commit_watermark(ssm: Any, parameter: str, max_timestamp: int, run_id: str) -> None:
    value = json.dumps({"maxTimestamp": max_timestamp, "runId": run_id}, separators=(",", ":"))
    ssm.put_parameter(Name=parameter, Value=value, Type="String", Overwrite=True)


def import_status(
    personalize: Any,
    ssm: Any,
    import_state: Mapping[str, Any],
    watermark_parameter: str | None,
) -> dict[str, Any]:
    """ACTIVE when every job is ACTIVE (then commits the watermark), FAILED, else PENDING."""
    states: list[dict[str, Any]] = []
    failures: list[str] = []
    for job in import_state.get("jobs", []):
        described = personalize.describe_dataset_import_job(datasetImportJobArn=job["jobArn"])[
            "datasetImportJob"
        ]
        status = normalize_status(described.get("status"))
        states.append({"datasetType": job["datasetType"], "status": status})
        if status == FAILED:
            reason = described.get("failureReason") or described.get("status")
            failures.append(f"{job['datasetType']} import {job['jobName']}: {reason}")
    result: dict[str, Any] = {"jobs": states}
    if failures:
        result.update(status=FAILED, failureReason="; ".join(failures))
        return result
    if any(s["status"] != ACTIVE for s in states):
        result["status"] = PENDING
        return result
    watermark = import_state.get("watermark")
    if watermark is not None and watermark_parameter:
        commit_watermark(ssm, watermark_parameter, int(watermark), str(import_state.get("runId")))
        result["watermarkCommitted"] = int(watermark)
    result["status"] = ACTIVE
    return result


@logger.inject_lambda_context(log_event=False)
def start_import_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"run": {...}, "datasets": <EnsureDatasets result>, "export": <Export result>}``."""
    datasets = event.get("datasets", {}).get("datasets")
    if not isinstance(datasets, Mapping) or not datasets:
        raise ConfigError("input datasets.datasets (dataset type -> ARN) is required")
    return start_imports(
        cached_client("personalize"),
        name_prefix=require_env("NAME_PREFIX"),
        role_arn=require_env("PERSONALIZE_ROLE_ARN"),
        run=RunContext.from_dict(event.get("run", {})),
        datasets=datasets,
        export_result=event.get("export", {}),
    )


@logger.inject_lambda_context(log_event=False)
def import_status_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"import": <StartImport result>}``."""
    return import_status(
        cached_client("personalize"),
        cached_client("ssm"),
        event.get("import", {}),
        optional_env("WATERMARK_PARAMETER_NAME"),
    )
