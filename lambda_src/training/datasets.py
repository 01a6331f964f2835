"""Step 2: ensure the dataset group, the three schemas, the three datasets and one filter
per item type (``INCLUDE ItemID WHERE Items.ITEM_TYPE IN ("quiz")``) exist.

Handler: ``training.app.ensure_datasets_handler``. Re-entrant: each call lists what exists,
creates what is missing and returns ``PENDING`` until the dataset group, every dataset and
every filter are ``ACTIVE`` (the state machine waits and calls again), ``FAILED`` with the
Personalize ``failureReason`` if one of them failed. Nothing is created twice. The
result's ``filters`` maps each item type to its filter ARN; Publish puts it in the ranking
parameter as ``typeFilters``.
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
    ITEM_TYPES,
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


def filter_expression(item_type: str) -> str:
    return f'INCLUDE ItemID WHERE Items.ITEM_TYPE IN ("{item_type}")'


def filter_name(group_name: str, item_type: str) -> str:
    """``<prefix>-student-ranking-type-<type>`` (the cleanup deletes filters of the group)."""
    return resource_name(group_name, "type", item_type)


def ensure_type_filters(
    personalize: Any, group_name: str, group_arn: str
) -> tuple[dict[str, str], list[Status], list[str], list[str]]:
    """``(arns by item type, statuses, failures, created names)``; creates missing ones."""
    existing = {
        str(f.get("name")): f
        for f in paginate(personalize, "list_filters", "Filters", datasetGroupArn=group_arn)
    }
    arns: dict[str, str] = {}
    statuses: list[Status] = []
    failures: list[str] = []
    created: list[str] = []
    for item_type in ITEM_TYPES:
        name = filter_name(group_name, item_type)
        found = existing.get(name)
        if found is None:
            arn = personalize.create_filter(
                name=name, datasetGroupArn=group_arn, filterExpression=filter_expression(item_type)
            )["filterArn"]
            logger.info("Created filter", filter_arn=arn, item_type=item_type)
            created.append(f"filter:{name}")
            found = {"filterArn": arn, "status": "CREATE PENDING"}
        arns[item_type] = str(found["filterArn"])
        status = normalize_status(found.get("status"))
        statuses.append(status)
        if status == FAILED:
            failures.append(f"filter {name}: {found.get('failureReason') or found.get('status')}")
    return arns, statuses, failures, created


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
    if not failures and all(s == ACTIVE for s in statuses):
        # Filters reference Items.ITEM_TYPE: created once the datasets are ACTIVE.
        filters, filter_statuses, filter_failures, filters_created = ensure_type_filters(
            personalize, group_name, group_arn
        )
        result["filters"] = filters
        created.extend(filters_created)
        statuses.extend(filter_statuses)
        failures.extend(filter_failures)
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
