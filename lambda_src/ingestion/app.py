"""Lambda target of the EventBridge rules on student.enrolled and student.submitAssignment.

Handler: ``ingestion.app.lambda_handler``. Malformed events raise (EventBridge retries,
then dead-letters them); a redelivered event is a no-op success.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from ingestion.ingest import ingest
from student_platform.aws import cached_resource

logger = Logger(service="ingestion")


class ConfigurationError(Exception):
    pass


def _table() -> Any:
    name = os.environ.get("INTERACTIONS_TABLE_NAME", "").strip()
    if not name:
        raise ConfigurationError("INTERACTIONS_TABLE_NAME is not set")
    return cached_resource("dynamodb").Table(name)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = ingest(event, table=_table())
    logger.info(
        "duplicate event ignored" if result["duplicate"] else "interaction stored", extra=result
    )
    return result
