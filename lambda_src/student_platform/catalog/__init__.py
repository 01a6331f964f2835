"""The event catalog: one JSON Schema (draft-07) per EventBridge detail-type.

Each ``<detail-type>.json`` next to this module describes the event as EventBridge
delivers it to a target (``source``, ``detail-type``, ``detail`` plus the optional
envelope fields ``id``, ``time``, ...). ``detail`` is closed (``additionalProperties:
false``). Producers validate ``detail`` with :func:`validate_detail`, consumers validate
the whole received event with :func:`validate_event`.

Validation uses fastjsonschema (the engine behind Powertools' validation utility),
compiled once per schema; its errors become :class:`EventValidationError` whose
``field`` names the offending field (``detail.classId``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

import fastjsonschema

CATALOG_DIR: Final = Path(__file__).resolve().parent

# detail-type -> source. The single list of event types the platform knows.
EVENT_TYPES: Final[Mapping[str, str]] = {
    "student.enrolled": "api.student",
    "student.registered": "api.student",
    "student.submitAssignment": "api.assignment",
    "teacher.sendAnnouncement": "api.teacher",
    "ranking.requestUpdate": "api.ranking",
    "ranking.updated": "api.ranking",
}

# Types that clients may publish through the HTTP API. ranking.updated is emitted only by
# the ML pipeline; ranking.requestUpdate (which starts a Personalize retraining) only by the
# pipeline's schedule and operators with events:PutEvents on the bus, never by API clients.
API_EVENT_TYPES: Final = frozenset(
    {
        "student.enrolled",
        "student.registered",
        "student.submitAssignment",
        "teacher.sendAnnouncement",
    }
)

_EMAIL_RE: Final = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)


def is_email(value: str) -> bool:
    """A pragmatic address check (the catalog's ``format: email``)."""
    # fastjsonschema's built-in email format accepts spaces and trailing newlines.
    return _EMAIL_RE.fullmatch(value) is not None


FORMATS: Final[Mapping[str, Callable[[str], bool]]] = {"email": is_email}


class EventValidationError(ValueError):
    """An event or detail does not match the catalog; ``field`` names the culprit."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _check_known(detail_type: object) -> str:
    if not isinstance(detail_type, str) or detail_type not in EVENT_TYPES:
        known = ", ".join(sorted(EVENT_TYPES))
        raise EventValidationError(
            f"unknown event type {detail_type!r}; expected one of: {known}", "detail-type"
        )
    return detail_type


@cache
def _read_schema(detail_type: str) -> dict[str, Any]:
    path = CATALOG_DIR / f"{detail_type}.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def load_schema(detail_type: str) -> dict[str, Any]:
    """A copy of the JSON Schema of ``detail_type`` (raises EventValidationError if unknown)."""
    return copy.deepcopy(_read_schema(_check_known(detail_type)))


def _python_patterns(schema: Any) -> Any:
    """The schema with each ``pattern``'s final ``$`` as Python's ``\\Z``.

    JSON Schema patterns are ECMA-262 regexes, whose ``$`` (no multiline flag) matches only at
    the end of the input; Python's ``$`` (which fastjsonschema uses as is) also matches
    before a final newline, so ``"S1\\n"`` would pass ``^[A-Za-z0-9_-]{1,64}$``.
    """
    if isinstance(schema, list):
        return [_python_patterns(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _python_patterns(value) for key, value in schema.items()}
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and pattern.endswith("$") and not pattern.endswith("\\$"):
        converted["pattern"] = pattern[:-1] + "\\Z"
    return converted


@cache
def _validator(detail_type: str) -> Callable[[Any], Any]:
    schema = _python_patterns(_read_schema(detail_type))
    return fastjsonschema.compile(schema, formats=FORMATS, use_default=False)


def _field_name(name: str, suffix: str | None = None) -> str:
    # fastjsonschema names the value "data", "data.detail.classId", "data.resources[0]".
    field = "event" if name == "data" else name.removeprefix("data.")
    return f"{field}.{suffix}" if suffix else field


def _to_error(exc: fastjsonschema.JsonSchemaValueException) -> EventValidationError:
    name = exc.name or "data"
    rule = exc.rule
    value = exc.value
    if rule == "required" and isinstance(value, Mapping):
        missing = [key for key in exc.rule_definition or [] if key not in value]
        field = _field_name(name, missing[0] if missing else None)
        return EventValidationError(f"{field} is required", field)
    if rule == "additionalProperties" and isinstance(value, Mapping):
        allowed = set((exc.definition or {}).get("properties", {}))
        extra = sorted(str(key) for key in value if key not in allowed)
        field = _field_name(name, extra[0] if extra else None)
        return EventValidationError(f"{field} is not allowed", field)
    field = _field_name(name)
    text = exc.message.removeprefix(name).strip()  # e.g. "must match pattern ^...$"
    text = text.replace("\\Z", "$")  # the schema's own pattern, see _python_patterns
    return EventValidationError(f"{field} {text}", field)


def validate_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a whole EventBridge event (as a target receives it) against its schema.

    The schema is chosen by ``event["detail-type"]``; returns the event as a plain dict.
    """
    if not isinstance(event, Mapping):
        raise EventValidationError("event must be an object", "event")
    detail_type = _check_known(event.get("detail-type"))
    data = dict(event)
    try:
        _validator(detail_type)(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise _to_error(exc) from None
    return data


def validate_detail(detail_type: str, detail: Any) -> dict[str, Any]:
    """Validate ``detail`` of ``detail_type``: returns it, or raises EventValidationError."""
    _check_known(detail_type)
    event = {"source": EVENT_TYPES[detail_type], "detail-type": detail_type, "detail": detail}
    validated: dict[str, Any] = validate_event(event)["detail"]
    return validated


__all__ = [
    "API_EVENT_TYPES",
    "EVENT_TYPES",
    "EventValidationError",
    "is_email",
    "load_schema",
    "validate_detail",
    "validate_event",
]
