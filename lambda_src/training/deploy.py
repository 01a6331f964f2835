"""Step 5: deploy the trained solution version and check the deployment's status.

Handlers: ``training.app.deploy_handler``, ``training.app.deploy_status_handler``.

``DEPLOY_MODE=campaign``: one campaign ``<prefix>-student-ranking`` per account/region;
created the first time, moved to each new solution version with ``UpdateCampaign``
afterwards (never a second campaign). ``DEPLOY_MODE=batch``: a batch inference job per
run reads the users list written by the export step and writes JSON lines to S3, plus one job
per item type filter (``filters`` = {item type: filter ARN}, from EnsureDatasets) with the
filter as ``filterArn``, writing to the sibling prefix ``output/<runId>-<type>/`` (so a
type's answer comes from Personalize filtered, never from the unfiltered output cut after
the fact). Personalize runs at most 5 batch inference jobs at once per region: 1 + 3 here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from student_platform.aws import cached_client
from training.common import (
    ACTIVE,
    FAILED,
    PENDING,
    ConfigError,
    RunContext,
    Status,
    base_name,
    int_env,
    logger,
    normalize_status,
    optional_env,
    paginate,
    require_env,
    require_input,
    resource_name,
)

DeployMode = Literal["campaign", "batch"]
DEPLOY_MODES: Final = ("campaign", "batch")


@dataclass(frozen=True)
class DeploySettings:
    mode: DeployMode
    name_prefix: str
    min_provisioned_tps: int = 1
    role_arn: str | None = None  # batch: the role Personalize assumes to read/write S3
    bucket: str | None = None  # batch: output bucket
    batch_prefix: str = "personalize/batch/"
    kms_key_arn: str | None = None
    num_results: int = 25

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DeploySettings:
        mode = (optional_env("DEPLOY_MODE", environ) or "campaign").lower()
        if mode not in DEPLOY_MODES:
            raise ConfigError(f"DEPLOY_MODE must be campaign or batch, got {mode!r}")
        batch = mode == "batch"
        prefix = (optional_env("BATCH_PREFIX", environ) or "personalize/batch/").strip("/")
        return cls(
            mode="batch" if batch else "campaign",
            name_prefix=require_env("NAME_PREFIX", environ),
            min_provisioned_tps=int_env("MIN_PROVISIONED_TPS", 1, environ),
            role_arn=require_env("PERSONALIZE_ROLE_ARN", environ) if batch else None,
            bucket=require_env("DATA_BUCKET", environ) if batch else None,
            batch_prefix=f"{prefix}/" if prefix else "",
            kms_key_arn=optional_env("DATA_KMS_KEY_ARN", environ),
            num_results=int_env("BATCH_NUM_RESULTS", 25, environ),
        )


def find_campaign(personalize: Any, name: str) -> dict[str, Any] | None:
    for summary in paginate(personalize, "list_campaigns", "campaigns"):
        if summary.get("name") == name:
            return dict(summary)
    return None


def deploy_campaign(
    personalize: Any, settings: DeploySettings, solution_version_arn: str
) -> dict[str, Any]:
    name = base_name(settings.name_prefix)
    result: dict[str, Any] = {"mode": "campaign", "solutionVersionArn": solution_version_arn}
    summary = find_campaign(personalize, name)
    if summary is None:
        arn = personalize.create_campaign(
            name=name,
            solutionVersionArn=solution_version_arn,
            minProvisionedTPS=settings.min_provisioned_tps,
        )["campaignArn"]
        logger.info("Created campaign", campaign_arn=arn)
        return {**result, "campaignArn": arn, "action": "CREATED"}
    arn = summary["campaignArn"]
    campaign = personalize.describe_campaign(campaignArn=arn)["campaign"]
    update = campaign.get("latestCampaignUpdate") or {}
    deployed = {campaign.get("solutionVersionArn"), update.get("solutionVersionArn")}
    if solution_version_arn in deployed:
        return {**result, "campaignArn": arn, "action": "NONE"}
    personalize.update_campaign(
        campaignArn=arn,
        solutionVersionArn=solution_version_arn,
        minProvisionedTPS=settings.min_provisioned_tps,
    )
    logger.info("Updated campaign", campaign_arn=arn, solution_version_arn=solution_version_arn)
    return {**result, "campaignArn": arn, "action": "UPDATED"}


def _batch_job(
    personalize: Any,
    settings: DeploySettings,
    solution_version_arn: str,
    existing: Mapping[str, str],
    *,
    job_name: str,
    batch_input_uri: str,
    output_uri: str,
    filter_arn: str | None = None,
) -> dict[str, Any]:
    """``{jobName, outputUri, batchInferenceJobArn, action}``: the job, created if missing."""
    job: dict[str, Any] = {"jobName": job_name, "outputUri": output_uri}
    if job_name in existing:
        return {**job, "batchInferenceJobArn": existing[job_name], "action": "NONE"}
    source: dict[str, str] = {"path": batch_input_uri}
    destination: dict[str, str] = {"path": output_uri}
    if settings.kms_key_arn:
        source["kmsKeyArn"] = settings.kms_key_arn
        destination["kmsKeyArn"] = settings.kms_key_arn
    extra = {"filterArn": filter_arn} if filter_arn else {}
    arn = personalize.create_batch_inference_job(
        jobName=job_name,
        solutionVersionArn=solution_version_arn,
        numResults=settings.num_results,
        jobInput={"s3DataSource": source},
        jobOutput={"s3DataDestination": destination},
        roleArn=settings.role_arn,
        **extra,
    )["batchInferenceJobArn"]
    logger.info("Started batch inference", job_arn=arn, output_uri=output_uri, filter=filter_arn)
    return {**job, "batchInferenceJobArn": arn, "action": "CREATED"}


def deploy_batch(
    personalize: Any,
    settings: DeploySettings,
    solution_version_arn: str,
    run: RunContext,
    batch_input_uri: str,
    *,
    type_filters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    if not settings.bucket or not settings.role_arn:
        raise ConfigError("batch mode needs DATA_BUCKET and PERSONALIZE_ROLE_ARN")
    existing = {
        str(job.get("jobName")): str(job["batchInferenceJobArn"])
        for job in paginate(
            personalize,
            "list_batch_inference_jobs",
            "batchInferenceJobs",
            solutionVersionArn=solution_version_arn,
        )
    }
    output = f"s3://{settings.bucket}/{settings.batch_prefix}output/{run.run_id}"
    main = _batch_job(
        personalize,
        settings,
        solution_version_arn,
        existing,
        job_name=resource_name(settings.name_prefix, "batch", run.run_id),
        batch_input_uri=batch_input_uri,
        output_uri=f"{output}/",
    )
    result: dict[str, Any] = {"mode": "batch", "solutionVersionArn": solution_version_arn, **main}
    if type_filters:
        result["typeJobs"] = {
            item_type: _batch_job(
                personalize,
                settings,
                solution_version_arn,
                existing,
                job_name=resource_name(settings.name_prefix, "batch", run.run_id, item_type),
                batch_input_uri=batch_input_uri,
                output_uri=f"{output}-{item_type}/",
                filter_arn=filter_arn,
            )
            for item_type, filter_arn in sorted(type_filters.items())
        }
    return result


def deploy(
    personalize: Any,
    settings: DeploySettings,
    *,
    solution_version_arn: str,
    run: RunContext,
    batch_input_uri: str | None = None,
    type_filters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    if settings.mode == "campaign":
        return deploy_campaign(personalize, settings, solution_version_arn)
    if not batch_input_uri:
        raise ConfigError("batch mode needs the export's files.batchInput")
    return deploy_batch(
        personalize, settings, solution_version_arn, run, batch_input_uri, type_filters=type_filters
    )


def _batch_status(personalize: Any, deployment: Mapping[str, Any]) -> tuple[Status, str | None]:
    """The worst status of the run's batch jobs (FAILED > PENDING > ACTIVE) and its reason."""
    jobs = [deployment, *dict(deployment.get("typeJobs") or {}).values()]
    worst: tuple[Status, str | None] = (ACTIVE, None)
    for job in jobs:
        described = personalize.describe_batch_inference_job(
            batchInferenceJobArn=job["batchInferenceJobArn"]
        )["batchInferenceJob"]
        status = normalize_status(described.get("status"))
        why = described.get("failureReason") or described.get("status")
        reason = f"{job.get('jobName')}: {why}"
        if status == FAILED:
            return FAILED, reason
        if status == PENDING:
            worst = (PENDING, reason)
    return worst


def deploy_status(personalize: Any, deployment: Mapping[str, Any]) -> dict[str, Any]:
    """ACTIVE / PENDING / FAILED (+failureReason) of a campaign (update) or batch job."""
    target = deployment.get("solutionVersionArn")
    reason: str | None = None
    if deployment.get("mode") == "batch":
        status, reason = _batch_status(personalize, deployment)
    else:
        campaign = personalize.describe_campaign(campaignArn=deployment["campaignArn"])["campaign"]
        update = campaign.get("latestCampaignUpdate") or {}
        if update.get("solutionVersionArn") == target:
            status = normalize_status(update.get("status"))
            reason = update.get("failureReason") or update.get("status")
        elif campaign.get("solutionVersionArn") == target:
            status = normalize_status(campaign.get("status"))
            reason = campaign.get("failureReason") or campaign.get("status")
        else:
            status = FAILED
            reason = f"campaign does not deploy {target}"
    result: dict[str, Any] = {"status": status}
    if status == FAILED:
        result["failureReason"] = reason
    elif status == ACTIVE:
        logger.info("Deployment active", deployment=dict(deployment))
    return result


@logger.inject_lambda_context(log_event=False)
def deploy_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"run": {...}, "solutionVersion": {...}, "export": <Export result>,
    "filters": {item type: filter ARN}}`` (``filters``: EnsureDatasets' result)."""
    files = event.get("export", {}).get("files", {})
    filters = event.get("filters")
    if filters is not None and not (
        isinstance(filters, Mapping) and all(isinstance(v, str) for v in filters.values())
    ):
        raise ConfigError("input filters must map item types to filter ARNs")
    return deploy(
        cached_client("personalize"),
        DeploySettings.from_env(),
        solution_version_arn=require_input(event, "solutionVersion", "solutionVersionArn"),
        run=RunContext.from_dict(event.get("run", {})),
        batch_input_uri=files.get("batchInput") if isinstance(files, Mapping) else None,
        type_filters=filters,
    )


@logger.inject_lambda_context(log_event=False)
def deploy_status_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"deploy": <Deploy result>}``."""
    deployment = event.get("deploy")
    if not isinstance(deployment, Mapping):
        raise ConfigError("input deploy is required")
    return deploy_status(cached_client("personalize"), deployment)
