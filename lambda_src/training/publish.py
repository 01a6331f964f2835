"""Step 6: publish the new ranking: SSM parameter + ``ranking.updated`` event.

Handler: ``training.app.publish_handler``.

Batch mode first indexes the batch output per user: Personalize writes JSON lines
(``{"input": {"userId"}, "output": {"recommendedItems", "scores"}, "error"}``) to
``<outputUri><input file>.out``; each successful line becomes
``<outputUri>by-user/<userId>.json`` = ``{"userId", "items": [{"itemId", "score"}]}`` so the
ranking API reads one small object per request. Each item type's own (filtered) batch job
(``deploy.typeJobs``) is indexed the same way under its output URI; the parameter's
``typeUserIndexUris`` maps each type to its index.

The parameter's value (read by ``ranking/app.py``)::

    {"mode": "campaign", "campaignArn", "solutionVersionArn",
     "typeFilters": {type: filterArn}, "updatedAt"}
    {"mode": "batch", "outputUri", "userIndexUri", "solutionVersionArn",
     "typeFilters": {type: filterArn}, "typeUserIndexUris": {type: uri}, "updatedAt"}
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from student_platform.aws import cached_client
from student_platform.catalog import validate_detail
from training.common import (
    ConfigError,
    int_env,
    logger,
    optional_env,
    require_env,
    split_s3_uri,
    utc_now_iso,
)

EVENT_SOURCE: Final = "api.ranking"
EVENT_DETAIL_TYPE: Final = "ranking.updated"
USER_INDEX_DIR: Final = "by-user/"


class PublishError(RuntimeError):
    """EventBridge rejected the ranking.updated event."""


@dataclass(frozen=True)
class PublishSettings:
    parameter_name: str
    event_bus_name: str
    kms_key_arn: str | None = None
    index_workers: int = 16

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PublishSettings:
        return cls(
            parameter_name=require_env("RANKING_PARAMETER_NAME", environ),
            event_bus_name=require_env("EVENT_BUS_NAME", environ),
            kms_key_arn=optional_env("DATA_KMS_KEY_ARN", environ),
            index_workers=int_env("INDEX_WORKERS", 16, environ),
        )


def iter_batch_results(s3: Any, output_uri: str) -> Iterator[dict[str, Any]]:
    """Every JSON line of every ``*.out`` object under ``output_uri`` (streamed)."""
    bucket, prefix = split_s3_uri(output_uri)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            if not obj["Key"].endswith(".out"):
                continue
            body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"]
            for line in body.iter_lines():
                if line.strip():
                    yield json.loads(line)


def user_entry(line: Mapping[str, Any]) -> dict[str, Any] | None:
    """``{"userId", "items"}`` from one batch output line, None for an error line."""
    user_id = (line.get("input") or {}).get("userId")
    output = line.get("output") or {}
    if not user_id or line.get("error") or not isinstance(output, Mapping):
        return None
    item_ids = output.get("recommendedItems") or []
    scores = output.get("scores") or []
    items = [
        {"itemId": str(item), **({"score": scores[i]} if i < len(scores) else {})}
        for i, item in enumerate(item_ids)
    ]
    return {"userId": str(user_id), "items": items}


def index_batch_output(
    s3: Any, output_uri: str, kms_key_arn: str | None = None, workers: int = 16
) -> dict[str, Any]:
    """Write ``<outputUri>by-user/<userId>.json`` for each user; returns counts + index URI."""
    bucket, prefix = split_s3_uri(output_uri)
    index_prefix = f"{prefix.rstrip('/')}/{USER_INDEX_DIR}" if prefix else USER_INDEX_DIR
    extra: dict[str, str] = {"ContentType": "application/json"}
    if kms_key_arn:
        extra["ServerSideEncryption"] = "aws:kms"
        extra["SSEKMSKeyId"] = kms_key_arn

    def put(entry: dict[str, Any]) -> None:
        s3.put_object(
            Bucket=bucket,
            Key=f"{index_prefix}{entry['userId']}.json",
            Body=json.dumps(entry, separators=(",", ":")).encode(),
            **extra,
        )

    indexed = errors = 0
    chunk: list[dict[str, Any]] = []
    chunk_size = max(1, workers) * 64  # bounded: never all users in memory
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for line in iter_batch_results(s3, output_uri):
            entry = user_entry(line)
            if entry is None:
                errors += 1
                continue
            chunk.append(entry)
            if len(chunk) >= chunk_size:
                indexed += len(list(pool.map(put, chunk)))
                chunk = []
        indexed += len(list(pool.map(put, chunk)))
    return {"userIndexUri": f"s3://{bucket}/{index_prefix}", "users": indexed, "errors": errors}


def parameter_value(
    deployment: Mapping[str, Any],
    updated_at: str,
    type_filters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ranking parameter's value; ``typeFilters`` = {item type: Personalize filter ARN}
    (pass one as ``filterArn`` to GetRecommendations / a batch job to get that type only)."""
    value: dict[str, Any] = {"mode": deployment["mode"]}
    if deployment["mode"] == "campaign":
        value["campaignArn"] = deployment["campaignArn"]
    else:
        value["outputUri"] = deployment["outputUri"]
    value["solutionVersionArn"] = deployment["solutionVersionArn"]
    if type_filters:
        value["typeFilters"] = dict(type_filters)
    value["updatedAt"] = updated_at
    return value


def publish(
    settings: PublishSettings,
    deployment: Mapping[str, Any],
    *,
    ssm: Any,
    events: Any,
    s3: Any,
    now: datetime | None = None,
    type_filters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    mode = deployment.get("mode")
    if mode not in ("campaign", "batch"):
        raise ConfigError(f"input deploy.mode must be campaign or batch, got {mode!r}")
    value = parameter_value(deployment, utc_now_iso(now), type_filters)
    result: dict[str, Any] = {"parameterName": settings.parameter_name}
    if mode == "batch":
        index = index_batch_output(
            s3, deployment["outputUri"], settings.kms_key_arn, settings.index_workers
        )
        value["userIndexUri"] = index["userIndexUri"]
        result["batchIndex"] = index
        type_jobs = deployment.get("typeJobs") or {}
        type_indexes = {
            item_type: index_batch_output(
                s3, job["outputUri"], settings.kms_key_arn, settings.index_workers
            )
            for item_type, job in sorted(type_jobs.items())
        }
        if type_indexes:
            value["typeUserIndexUris"] = {t: i["userIndexUri"] for t, i in type_indexes.items()}
            result["typeBatchIndexes"] = type_indexes
    version = ssm.put_parameter(
        Name=settings.parameter_name,
        Value=json.dumps(value, separators=(",", ":")),
        Type="String",
        Overwrite=True,
    )["Version"]
    location = value["campaignArn"] if mode == "campaign" else value["outputUri"]
    detail = validate_detail(EVENT_DETAIL_TYPE, {"mode": mode, "location": location})
    response = events.put_events(
        Entries=[
            {
                "Source": EVENT_SOURCE,
                "DetailType": EVENT_DETAIL_TYPE,
                "Detail": json.dumps(detail, separators=(",", ":")),
                "EventBusName": settings.event_bus_name,
            }
        ]
    )
    entry = response["Entries"][0]
    if response.get("FailedEntryCount") or "EventId" not in entry:
        raise PublishError(
            f"put_events failed: {entry.get('ErrorCode')}: {entry.get('ErrorMessage')}"
        )
    logger.info("Published ranking", value=value, event_id=entry["EventId"])
    return {**result, "parameterVersion": version, "value": value, "eventId": entry["EventId"]}


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"run": {...}, "deploy": <Deploy result>, "filters": {type: arn}}``."""
    deployment = event.get("deploy")
    if not isinstance(deployment, Mapping):
        raise ConfigError("input deploy is required")
    filters = event.get("filters")
    if filters is not None and not (
        isinstance(filters, Mapping) and all(isinstance(v, str) for v in filters.values())
    ):
        raise ConfigError("input filters must map item types to filter ARNs")
    return publish(
        PublishSettings.from_env(),
        deployment,
        ssm=cached_client("ssm"),
        events=cached_client("events"),
        s3=cached_client("s3"),
        type_filters=filters,
    )
