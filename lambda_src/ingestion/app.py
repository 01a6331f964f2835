"""Lambda target of the EventBridge rules on student.enrolled, student.registered,
student.submitAssignment and teacher.sendAnnouncement.

Handler: ``ingestion.app.lambda_handler``. Malformed events raise (EventBridge retries,
then dead-letters them); a redelivered event is a no-op success. An enrollment of a student
who is not in Students succeeds (the interaction is recorded), with a structured warning
and one ``UnknownStudentEnrollment`` metric (EMF, namespace ``StudentPlatform``): no retry.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext

from ingestion.ingest import STUDENT_UNKNOWN, ConfigurationError, ingest
from student_platform.aws import cached_resource

logger = Logger(service="ingestion")
METRICS_NAMESPACE = "StudentPlatform"
UNKNOWN_STUDENT_METRIC = "UnknownStudentEnrollment"


def _table() -> Any:
    name = os.environ.get("INTERACTIONS_TABLE_NAME", "").strip()
    if not name:
        raise ConfigurationError("INTERACTIONS_TABLE_NAME is not set")
    return cached_resource("dynamodb").Table(name)


def _optional_table(variable: str) -> Any:
    """The table named by ``variable``; None when unset (that write is then not made)."""
    name = os.environ.get(variable, "").strip()
    return cached_resource("dynamodb").Table(name) if name else None


def report_unknown_student(result: dict[str, Any], event: dict[str, Any]) -> None:
    detail = event.get("detail") or {}
    logger.warning(
        "enrollment of a student who is not in Students: interaction recorded, "
        "Students not changed",
        extra={
            "outcome": "unknown-student",
            "eventId": result["eventId"],
            "studentId": detail.get("studentId"),
            "classId": detail.get("classId"),
        },
    )
    with single_metric(
        name=UNKNOWN_STUDENT_METRIC,
        unit=MetricUnit.Count,
        value=1,
        namespace=METRICS_NAMESPACE,
    ) as metric:
        metric.add_dimension(name="service", value="ingestion")


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = ingest(
        event,
        table=_table(),
        students=_optional_table("STUDENTS_TABLE_NAME"),
        class_activity=_optional_table("CLASS_ACTIVITY_TABLE_NAME"),
    )
    if result.get("student") == STUDENT_UNKNOWN:
        report_unknown_student(result, event)
    logger.info("duplicate event ignored" if result["duplicate"] else "event stored", extra=result)
    return result
