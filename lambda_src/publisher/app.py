"""Lambda for ``POST /events/<type>`` (API Gateway HTTP API, payload format 2.0).

Handler: ``publisher.app.lambda_handler``. One route per event type (``POST
/events/student.enrolled``, ...; the older ``POST /events/{type}`` works too). The body is one
``detail`` object, or a JSON array of 1..10 detail objects (a batch, all of the path's type).
Everything is validated and authorized before anything is published: one bad entry rejects
the whole request. The acting identity is the authorizer's (``student_platform.auth``): a
student publishes only for themself (``student.registered``, the registration and profile
update, without ``classIds``, which only admins set), a teacher announces only as themself to
a class they teach, an announcement to every student needs ``admin``; IAM callers are services.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from publisher.idempotency import (
    HEADER,
    KEY_PATTERN,
    InProgressError,
    KeyReusedError,
    RequestStore,
    fingerprint,
)
from publisher.publish import MAX_ENTRIES, EventEntry, PublishResult, RetryPolicy, publish
from student_platform.auth import STUDENT, TEACHER, AccessDeniedError, Caller, caller_from
from student_platform.aws import cached_client
from student_platform.catalog import API_EVENT_TYPES, EVENT_TYPES, EventValidationError
from student_platform.http import (
    BadRequestError,
    as_response,
    error_response,
    json_response,
    not_found,
    request_json,
)

logger = Logger(service="publisher")

ROUTE_PREFIX: Final = "POST /events/"
DEFAULT_IDEMPOTENCY_TTL_SECONDS: Final = 24 * 3600


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
    route_key = event.get("routeKey")
    if detail_type is None and isinstance(route_key, str) and route_key.startswith(ROUTE_PREFIX):
        detail_type = route_key.removeprefix(ROUTE_PREFIX)  # one route per type
        detail_type = None if "{" in detail_type else detail_type
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


def authorize(caller: Caller, detail_type: str, detail: Mapping[str, Any]) -> None:
    """Raise AccessDeniedError unless ``caller`` may publish this detail (see module doc)."""
    if caller.is_admin:
        return
    if detail_type == "student.registered":
        if not caller.may_act_as(STUDENT, detail.get("studentId")):
            raise AccessDeniedError(
                "a student may only register or update themself (or an admin anyone)",
                field="detail.studentId",
            )
        if "classIds" in detail:
            raise AccessDeniedError(
                "classIds may only be set by an admin; students join classes with student.enrolled",
                field="detail.classIds",
            )
        return
    if detail_type in ("student.enrolled", "student.submitAssignment"):
        if not caller.may_act_as(STUDENT, detail.get("studentId")):
            raise AccessDeniedError(
                f"{detail_type} may only be published by the student themself (or an admin)",
                field="detail.studentId",
            )
        return
    if detail_type == "teacher.sendAnnouncement":
        if not caller.may_act_as(TEACHER, detail.get("teacherId")):
            raise AccessDeniedError(
                "announcements may only be sent by the teacher themself (or an admin)",
                field="detail.teacherId",
            )
        class_id = detail.get("classId")
        if class_id is None:
            raise AccessDeniedError(
                "an announcement to every student needs the admin scope", field="detail.classId"
            )
        if class_id not in caller.classes:
            raise AccessDeniedError(
                f"teacher {caller.subject} does not teach class {class_id}", field="detail.classId"
            )
        return
    raise AccessDeniedError(f"{detail_type} cannot be published by this caller", field="type")


def parse_request(event: Mapping[str, Any]) -> list[EventEntry]:
    """Validated, authorized entries of an HTTP API request; raises RequestError (nothing
    published)."""
    caller = caller_from(event)
    try:
        caller.require_identity()
    except AccessDeniedError as exc:
        raise RequestError(exc.status, exc.message, exc.field) from None
    detail_type = _detail_type(event)
    body = _body(event)
    batch = isinstance(body, list)
    details = body if batch else [body]
    if not 1 <= len(details) <= MAX_ENTRIES:
        raise RequestError(400, f"body must hold 1 to {MAX_ENTRIES} events", "body")
    entries = []
    for index, detail in enumerate(details):
        position = index if batch else None
        try:
            entries.append(EventEntry.create(detail_type, detail))
        except EventValidationError as exc:
            raise RequestError(400, exc.message, exc.field, position) from None
        try:
            authorize(caller, detail_type, entries[-1].detail)
        except AccessDeniedError as exc:
            raise RequestError(exc.status, exc.message, exc.field, position) from None
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


def idempotency_key(event: Mapping[str, Any]) -> str | None:
    """The ``Idempotency-Key`` header (1..128 of ``A-Z a-z 0-9 _ . : -``), or None."""
    headers = event.get("headers")
    raw = headers.get(HEADER) if isinstance(headers, Mapping) else None
    if raw is None:
        return None
    if not isinstance(raw, str) or KEY_PATTERN.fullmatch(raw) is None:
        raise RequestError(
            400, "Idempotency-Key must be 1 to 128 of A-Z a-z 0-9 _ . : -", "Idempotency-Key"
        )
    return raw


def _publish(
    entries: list[EventEntry], bus_name: str, client: Any, policy: RetryPolicy
) -> PublishResult | dict[str, Any]:
    """The publish result, or the 502 response of a failed PutEvents call."""
    try:
        return publish(entries, bus_name, client, policy=policy)
    except (ClientError, BotoCoreError) as exc:
        logger.exception("PutEvents failed")
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
        return error_response(502, f"EventBridge PutEvents failed: {code}")


def _idempotent(
    event: Mapping[str, Any],
    key: str,
    entries: list[EventEntry],
    store: RequestStore,
    publish_entries: Any,
) -> dict[str, Any]:
    """Publish only the entries without an event id under (caller, key) yet."""
    record_id = f"{caller_from(event).subject}#{key}"
    request_hash = fingerprint(entries[0].detail_type, [e.detail for e in entries])
    try:
        ids = store.begin(record_id, request_hash, len(entries))
    except KeyReusedError:
        return error_response(422, "Idempotency-Key was used for another request", field=HEADER)
    except InProgressError:
        return error_response(
            409, "a request with this Idempotency-Key is in progress", field=HEADER
        )
    pending = [i for i, event_id in enumerate(ids) if event_id is None]
    if not pending:
        logger.info("idempotent replay", extra={"eventIds": ids})
        return json_response(202, {"eventIds": ids, "replayed": True})
    outcome = publish_entries([entries[i] for i in pending])
    if isinstance(outcome, dict):
        store.finish(record_id, ids)
        return outcome
    for index, event_id in zip(pending, outcome.event_ids, strict=True):
        ids[index] = event_id
    store.finish(record_id, ids)
    failed = [
        replace(f, index=pending[f.index]) for f in outcome.failed
    ]  # indexes of the request, not of this attempt
    return result_response(PublishResult(ids, failed, outcome.attempts))


def handle(
    event: Mapping[str, Any],
    bus_name: str,
    client: Any,
    policy: RetryPolicy,
    store: RequestStore | None = None,
) -> dict[str, Any]:
    """The whole request -> response logic, with injected dependencies."""
    try:
        key = idempotency_key(event)
        if key is not None and store is None:
            raise RequestError(400, "Idempotency-Key is not enabled here", "Idempotency-Key")
        entries = parse_request(event)
    except RequestError as exc:
        logger.info("request rejected", extra={"field": exc.field, "reason": exc.message})
        return exc.response()

    def publish_entries(batch: list[EventEntry]) -> PublishResult | dict[str, Any]:
        return _publish(batch, bus_name, client, policy)

    if key is not None and store is not None:
        return _idempotent(event, key, entries, store, publish_entries)
    outcome = publish_entries(entries)
    if isinstance(outcome, dict):
        return outcome
    if not outcome.ok:
        logger.error(
            "events not published", extra={"failed": [f.as_dict() for f in outcome.failed]}
        )
    return result_response(outcome)


def request_store() -> RequestStore | None:
    table = os.environ.get("IDEMPOTENCY_TABLE_NAME", "").strip()
    if not table:
        return None
    ttl = int(os.environ.get("IDEMPOTENCY_TTL_SECONDS") or DEFAULT_IDEMPOTENCY_TTL_SECONDS)
    return RequestStore(cached_client("dynamodb"), table, ttl)


# --- routes (Powertools APIGatewayHttpResolver) -----------------------------------------------

app = APIGatewayHttpResolver()

PUBLISH_RESPONSES: Final[dict[int, OpenAPIResponse]] = {
    202: {"description": "Published: `{eventIds}` in request order (`replayed` on a key's retry)"},
    400: {"description": "Invalid body, JSON or detail: `{error, field, index?}`"},
    401: {"description": "No caller identity"},
    403: {"description": "The caller may not publish this detail (or the type is internal)"},
    409: {"description": "A request with this Idempotency-Key is in progress"},
    413: {"description": "Body over 256 KiB"},
    422: {"description": "Idempotency-Key used for another request"},
    502: {"description": "EventBridge did not take every entry: `{error, failed, eventIds}`"},
}


def _serve() -> Response[Any]:
    """Every publish route: the whole logic on the raw request (the route only dispatches)."""
    event = app.current_event.raw_event
    bus_name = os.environ.get("EVENT_BUS_NAME", "")
    if not bus_name:
        logger.error("EVENT_BUS_NAME is not set")
        return as_response(error_response(500, "publisher is not configured"))
    client = cached_client("events")
    return as_response(handle(event, bus_name, client, RetryPolicy.from_env(), request_store()))


for _route_type in sorted(API_EVENT_TYPES):
    app.post(
        f"/events/{_route_type}",
        summary=f"Publish {_route_type}",
        description=(
            f"Body: one `{_route_type}` detail (catalog schema "
            f"`lambda_src/student_platform/catalog/{_route_type}.json`) or an array of 1 to 10. "
            "Optional header `Idempotency-Key`."
        ),
        responses=PUBLISH_RESPONSES,
        operation_id=f"publish_{_route_type.replace('.', '_')}",
        tags=["events"],
    )(_serve)


@app.post("/events/<detail_type>", include_in_schema=False)
def _other_type(detail_type: str) -> Response[Any]:
    """Other types (and the older `POST /events/{type}` route): 400/403 from the same logic."""
    return _serve()


@app.not_found
def _not_found(_exc: Exception) -> Response[Any]:
    event = app.current_event
    return as_response(not_found(event.http_method, event.path))


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
