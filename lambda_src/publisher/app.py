"""Lambda for ``POST /events/{type}`` (API Gateway HTTP API, payload format 2.0).

Handler: ``publisher.app.lambda_handler``. The body is one ``detail`` object, or a JSON
array of 1..10 detail objects (a batch, all of the path's type). Everything is
validated before anything is published: one bad entry rejects the whole request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from publisher.publish import MAX_ENTRIES, EventEntry, PublishResult, RetryPolicy, publish
from student_platform.aws import cached_client
from student_platform.catalog import API_EVENT_TYPES, EVENT_TYPES, EventValidationError
from student_platform.http import (
    BadRequestError,
    error_response,
    json_response,
    request_json,
)

logger = Logger(service="publisher")


class RequestError(Exception):
    """A request the API rejects (4xx), with the offending field."""

    def __init__(self, status: int, message: str, field: str, index: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.index = index

    @classmethod
    def from_bad_request(cls, exc: BadRequestError) -> RequestError:
        return cls(exc.status, exc.message, exc.field)

    def response(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"field": self.field}
        if self.index is not None:
            extra["index"] = self.index
        return error_response(self.status, self.message, **extra)


def _detail_type(event: Mapping[str, Any]) -> str:
    parameters = event.get("pathParameters")
    detail_type = parameters.get("type") if isinstance(parameters, Mapping) else None
    if not isinstance(detail_type, str) or not detail_type:
        raise RequestError(400, "path parameter 'type' is required", "type")
    if detail_type not in EVENT_TYPES:
        known = ", ".join(sorted(API_EVENT_TYPES))
        raise RequestError(
            400, f"unknown event type {detail_type!r}; expected one of: {known}", "type"
        )
    if detail_type not in API_EVENT_TYPES:
        raise RequestError(
            403, f"event type {detail_type!r} is internal and cannot be published here", "type"
        )
    return detail_type


def _body(event: Mapping[str, Any]) -> Any:
    try:
        return request_json(event)
    except BadRequestError as exc:
        raise RequestError.from_bad_request(exc) from None


def parse_request(event: Mapping[str, Any]) -> list[EventEntry]:
    """Validated entries of an HTTP API request; raises RequestError (nothing published)."""
    detail_type = _detail_type(event)
    body = _body(event)
    batch = isinstance(body, list)
    details = body if batch else [body]
    if not 1 <= len(details) <= MAX_ENTRIES:
        raise RequestError(400, f"body must hold 1 to {MAX_ENTRIES} events", "body")
    entries = []
    for index, detail in enumerate(details):
        try:
            entries.append(EventEntry.create(detail_type, detail))
        except EventValidationError as exc:
            raise RequestError(400, exc.message, exc.field, index if batch else None) from None
    return entries


def result_response(result: PublishResult) -> dict[str, Any]:
    """202 with the event ids, or 502 naming the entries that could not be published."""
    if result.ok:
        return json_response(202, {"eventIds": result.event_ids})
    return json_response(
        502,
        {
            "error": f"{len(result.failed)} of {len(result.event_ids)} events not published",
            "failed": [failure.as_dict() for failure in result.failed],
            "eventIds": result.event_ids,
            "attempts": result.attempts,
        },
    )


def handle(
    event: Mapping[str, Any], bus_name: str, client: Any, policy: RetryPolicy
) -> dict[str, Any]:
    """The whole request -> response logic, with injected dependencies."""
    try:
        entries = parse_request(event)
    except RequestError as exc:
        logger.info("request rejected", extra={"field": exc.field, "reason": exc.message})
        return exc.response()
    try:
        result = publish(entries, bus_name, client, policy=policy)
    except (ClientError, BotoCoreError) as exc:
        logger.exception("PutEvents failed")
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
        return error_response(502, f"EventBridge PutEvents failed: {code}")
    if not result.ok:
        logger.error("events not published", extra={"failed": [f.as_dict() for f in result.failed]})
    return result_response(result)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bus_name = os.environ.get("EVENT_BUS_NAME", "")
    if not bus_name:
        logger.error("EVENT_BUS_NAME is not set")
        return error_response(500, "publisher is not configured")
    return handle(event, bus_name, cached_client("events"), RetryPolicy.from_env())
