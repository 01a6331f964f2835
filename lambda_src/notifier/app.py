"""Lambda target of the EventBridge rules on student.enrolled and teacher.sendAnnouncement.

Handler: ``notifier.app.lambda_handler``. Idempotent per EventBridge event ``id``
(Powertools idempotency, DynamoDB persistence): a redelivered event returns the stored
result and sends nothing. Exactly once per recipient within an event (``DeliveryLedger`` in
the same table): a retry after a partial failure sends only to those not yet emailed. Any
error is raised, so EventBridge retries / dead-letters it. Metrics (EMF, namespace
``StudentPlatform``): ``EventsReceived``, ``EmailsSent``, ``RecipientsSkipped``,
``RecipientsUncertain``, ``ReplaysIgnored``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from notifier.notify import ConfigurationError, DeliveryLedger, Settings, notify
from student_platform.aws import cached_client, cached_resource

logger = Logger(service="notifier")
metrics = Metrics(namespace="StudentPlatform", service="notifier")

# EventBridge retries for up to 24 h by default: remember events a bit longer than that.
DEFAULT_IDEMPOTENCY_TTL_SECONDS = 25 * 3600


def _students_table(settings: Settings) -> Any | None:
    if settings.students_table is None:
        return None
    return cached_resource("dynamodb").Table(settings.students_table)


def _ledger() -> DeliveryLedger | None:
    table_name = os.environ.get("IDEMPOTENCY_TABLE_NAME", "").strip()
    if not table_name:
        return None
    return DeliveryLedger(cached_client("dynamodb"), table_name, _ttl_seconds())


def _ttl_seconds() -> int:
    return int(os.environ.get("IDEMPOTENCY_TTL_SECONDS", DEFAULT_IDEMPOTENCY_TTL_SECONDS))


def _record_metrics(result: Mapping[str, Any]) -> None:
    metrics.add_metric(name="EmailsSent", unit=MetricUnit.Count, value=result["sent"])
    if result.get("replay"):
        metrics.add_metric(name="ReplaysIgnored", unit=MetricUnit.Count, value=1)
    for name, key in (("RecipientsSkipped", "skipped"), ("RecipientsUncertain", "uncertain")):
        if result.get(key):
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=len(result[key]))
            logger.warning(f"recipients {key}", extra={key: result[key]})


def process(event: Mapping[str, Any]) -> dict[str, Any]:
    """Notify with clients and settings from the environment (no event-level idempotency)."""
    settings = Settings.from_env()
    result = notify(
        event,
        ses=cached_client("sesv2"),
        students_table=_students_table(settings),
        settings=settings,
        ledger=_ledger(),
    )
    logger.info("notified", extra=result)
    _record_metrics(result)
    return result


def _idempotent_process(context: LambdaContext) -> Any:
    table_name = os.environ.get("IDEMPOTENCY_TABLE_NAME", "").strip()
    if not table_name:
        raise ConfigurationError("IDEMPOTENCY_TABLE_NAME is not set")
    config = IdempotencyConfig(
        event_key_jmespath="id",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=_ttl_seconds(),
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


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    metrics.add_metric(name="EventsReceived", unit=MetricUnit.Count, value=1)
    result: dict[str, Any] = _idempotent_process(context)(event=event)
    return result
