"""Lambda target of the EventBridge rules on student.enrolled and teacher.sendAnnouncement.

Handler: ``notifier.app.lambda_handler``. Idempotent per EventBridge event ``id``
(Powertools idempotency, DynamoDB persistence): a redelivered event returns the stored
result and sends nothing. Any error is raised, so EventBridge retries / dead-letters it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from notifier.notify import ConfigurationError, Settings, notify
from student_platform.aws import cached_client, cached_resource

logger = Logger(service="notifier")

# EventBridge retries for up to 24 h by default: remember events a bit longer than that.
DEFAULT_IDEMPOTENCY_TTL_SECONDS = 25 * 3600


def _students_table(settings: Settings) -> Any | None:
    if settings.students_table is None:
        return None
    return cached_resource("dynamodb").Table(settings.students_table)


def process(event: Mapping[str, Any]) -> dict[str, Any]:
    """Notify with clients and settings from the environment (no idempotency)."""
    settings = Settings.from_env()
    result = notify(
        event,
        ses=cached_client("sesv2"),
        students_table=_students_table(settings),
        settings=settings,
    )
    logger.info("notified", extra=result)
    return result


def _idempotent_process(context: LambdaContext) -> Any:
    table_name = os.environ.get("IDEMPOTENCY_TABLE_NAME", "").strip()
    if not table_name:
        raise ConfigurationError("IDEMPOTENCY_TABLE_NAME is not set")
    ttl = int(os.environ.get("IDEMPOTENCY_TTL_SECONDS", DEFAULT_IDEMPOTENCY_TTL_SECONDS))
    config = IdempotencyConfig(
        event_key_jmespath="id", raise_on_no_idempotency_key=True, expires_after_seconds=ttl
    )
    config.register_lambda_context(context)
    persistence = DynamoDBPersistenceLayer(
        table_name=table_name, boto3_client=cached_client("dynamodb")
    )

    def _run(event: Mapping[str, Any]) -> dict[str, Any]:
        return process(event)

    return idempotent_function(
        _run, data_keyword_argument="event", persistence_store=persistence, config=config
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result: dict[str, Any] = _idempotent_process(context)(event=event)
    return result
