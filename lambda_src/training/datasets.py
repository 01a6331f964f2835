"""Step 2: ensure the dataset group, the three schemas and the three datasets exist.

Handler: ``training.app.ensure_datasets_handler``. Re-entrant: each call lists what exists,
creates what is missing and returns ``PENDING`` until the dataset group and every
dataset are ``ACTIVE`` (the state machine waits and calls again), ``FAILED`` with the
Personalize ``failureReason`` if one of them failed. Nothing is created twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from student_platform.aws import cached_client
from training.common import (
    ACTIVE,
    DATASET_TYPES,
    FAILED,
    PENDING,
    PERSONALIZE_DATASET_TYPE,
    Status,
    base_name,
    logger,
    normalize_status,
    optional_env,
    paginate,
    require_env,
    resource_name,
)

SCHEMA_DIR: Final = Path(__file__).resolve().parent / "schemas"


def load_schema(dataset_type: str, schema_dir: Path = SCHEMA_DIR) -> str:
    """The Avro schema of ``dataset_type`` as the compact JSON string CreateSchema takes."""
    path = schema_dir / f"{dataset_type.lower()}.json"
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), separators=(",", ":"))


def find_by_name(items: Any, name: str) -> dict[str, Any] | None:
    for item in items:
        if item.get("name") == name:
            return dict(item)
    return None


def ensure_dataset_group(
    personalize: Any, name: str, kms_key_arn: str | None = None, role_arn: str | None = None
) -> tuple[dict[str, Any], bool]:
    """``(summary, created)``: the dataset group named ``name``, created if missing."""
    found = find_by_name(paginate(personalize, "list_dataset_groups", "datasetGroups"), name)
    if found is not None:
        return found, False
    params: dict[str, Any] = {"name": name}
    if kms_key_arn:
        # A customer managed key needs a role Personalize assumes to use it.
        params["kmsKeyArn"] = kms_key_arn
        if role_arn:
            params["roleArn"] = role_arn
    arn = personalize.create_dataset_group(**params)["datasetGroupArn"]
    logger.info("Created dataset group", dataset_group_arn=arn)
    return {"name": name, "datasetGroupArn": arn, "status": "CREATE PENDING"}, True


def ensure_schema(personalize: Any, name: str, schema: str) -> tuple[str, bool]:
    """``(schemaArn, created)``. Schemas are immutable: an existing one is reused as is."""
    found = find_by_name(paginate(personalize, "list_schemas", "schemas"), name)
    if found is not None:
        return str(found["schemaArn"]), False
    arn = str(personalize.create_schema(name=name, schema=schema)["schemaArn"])
    logger.info("Created schema", schema_arn=arn)
    return arn, True


def ensure_datasets(
    personalize: Any,
    name_prefix: str,
    *,
    kms_key_arn: str | None = None,
    role_arn: str | None = None,
    schema_dir: Path = SCHEMA_DIR,
) -> dict[str, Any]:
    """Describe-before-create for the group, schemas and datasets; see the module doc."""
    group_name = base_name(name_prefix)
    created: list[str] = []
    group, group_created = ensure_dataset_group(personalize, group_name, kms_key_arn, role_arn)
    group_arn = str(group["datasetGroupArn"])
    if group_created:
        created.append(group_name)
    result: dict[str, Any] = {"datasetGroupArn": group_arn, "datasets": {}, "created": created}
    group_status = normalize_status(group.get("status"))
    if group_status != ACTIVE:
        result["status"] = group_status
        if group_status == FAILED:
            result["failureReason"] = (
                f"dataset group {group_name}: {group.get('failureReason') or group.get('status')}"
            )
        return result

    existing = {
        str(d.get("datasetType", "")).upper(): d
        for d in paginate(personalize, "list_datasets", "datasets", datasetGroupArn=group_arn)
    }
    statuses: list[Status] = []
    failures: list[str] = []
    for dataset_type in DATASET_TYPES:
        name = resource_name(group_name, dataset_type.lower())
        dataset = existing.get(dataset_type)
        if dataset is None:
            schema_arn, schema_created = ensure_schema(
                personalize, name, load_schema(dataset_type, schema_dir)
            )
            if schema_created:
                created.append(f"schema:{name}")
            arn = personalize.create_dataset(
                name=name,
                schemaArn=schema_arn,
                datasetGroupArn=group_arn,
                datasetType=PERSONALIZE_DATASET_TYPE[dataset_type],
            )["datasetArn"]
            logger.info("Created dataset", dataset_arn=arn, dataset_type=dataset_type)
            created.append(name)
            dataset = {"datasetArn": arn, "status": "CREATE PENDING"}
        result["datasets"][dataset_type] = dataset["datasetArn"]
        status = normalize_status(dataset.get("status"))
        statuses.append(status)
        if status == FAILED:
            failures.append(f"dataset {name}: {dataset.get('status')}")
    if failures:
        result["status"] = FAILED
        result["failureReason"] = "; ".join(failures)
    elif all(s == ACTIVE for s in statuses):
        result["status"] = ACTIVE
    else:
        result["status"] = PENDING
    return result


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return ensure_datasets(
        cached_client("personalize"),
        require_env("NAME_PREFIX"),
        kms_key_arn=optional_env("PERSONALIZE_KMS_KEY_ARN"),
        role_arn=optional_env("PERSONALIZE_ROLE_ARN"),
    )
