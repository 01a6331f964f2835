"""Requests and responses of API Gateway HTTP APIs (Lambda proxy integration, payload 2.0).

Client input is bounded *before* it is parsed: :func:`request_json` refuses a body over
:data:`MAX_BODY_BYTES`, nested deeper than :data:`MAX_JSON_DEPTH`, with an integer of more
than :data:`MAX_INT_DIGITS` digits, a non-finite number (``NaN``, ``1e400``) or a string
that is not valid Unicode (a lone surrogate such as ``"\\ud800"``), each as a
:class:`BadRequestError` (400) naming the field, so no client input reaches a 5xx.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from typing import Any, Final

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}

# PutEvents accepts at most 256 KiB per request: no valid body is larger.
MAX_BODY_BYTES: Final = 256 * 1024
MAX_JSON_DEPTH: Final = 16
MAX_INT_DIGITS: Final = 18

_JSON_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS: Final = re.compile(r"[\[\]{}]")
# Ids (path parameters, query values): ASCII only, no trailing newline (fullmatch).
ID_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)


class BadRequestError(ValueError):
    """Client input the API refuses: ``status`` (4xx), ``message`` and the ``field``."""

    def __init__(self, field_name: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.status = status

    def response(self, **extra: Any) -> dict[str, Any]:
        return error_response(self.status, self.message, field=self.field, **extra)


def json_response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    """``{statusCode, headers, body}`` with a JSON body (UTF-8 kept readable, e.g. Vietnamese)."""
    return {
        "statusCode": status,
        "headers": dict(JSON_HEADERS),
        "body": json.dumps(body, ensure_ascii=False, default=str),
    }


def error_response(status: int, message: str, **extra: Any) -> dict[str, Any]:
    """A JSON error body ``{"error": message, ...extra}``."""
    return json_response(status, {"error": message, **extra})


def is_id(value: object) -> bool:
    """``value`` is a string of 1..64 ASCII letters, digits, ``_`` or ``-`` (whole string)."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def json_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` in JSON text (brackets inside strings ignored)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadRequestError("body", f"body holds an integer of more than {MAX_INT_DIGITS} digits")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadRequestError("body", "body holds a number out of range")
    return value


def _parse_constant(name: str) -> Any:
    raise BadRequestError("body", f"body is not valid JSON: {name} is not a JSON value")


def _check_unicode(value: Any) -> None:
    """Every string (and key) encodes as UTF-8: no lone surrogates (depth already bounded)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequestError("body", "body holds a string that is not valid Unicode") from None
    elif isinstance(value, list):
        for item in value:
            _check_unicode(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_unicode(key)
            _check_unicode(item)


def body_text(event: Mapping[str, Any], max_bytes: int = MAX_BODY_BYTES) -> str:
    """The request body as text (base64 decoded), at most ``max_bytes`` bytes; 400/413 else."""
    raw = event.get("body")
    if raw is None or raw == "":
        raise BadRequestError("body", "body is required")
    if not isinstance(raw, str):
        raise BadRequestError("body", "body must be text")
    # A base64 body is 4/3 of its bytes; len() of text <= its UTF-8 length.
    limit = max_bytes * 4 // 3 + 4 if event.get("isBase64Encoded") else max_bytes
    if len(raw) > limit:
        raise BadRequestError("body", f"body is larger than {max_bytes} bytes", 413)
    try:
        data = base64.b64decode(raw, validate=True) if event.get("isBase64Encoded") else None
        text = data.decode("utf-8") if data is not None else raw
    except (binascii.Error, ValueError) as exc:
        raise BadRequestError("body", f"body is not valid base64/UTF-8: {exc}") from None
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise BadRequestError("body", f"body is larger than {max_bytes} bytes", 413)
    return text


def parse_json(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` of client text within the limits above (BadRequestError otherwise)."""
    if json_depth(text) > max_depth:
        raise BadRequestError("body", f"body is nested deeper than {max_depth} levels")
    try:
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        raise BadRequestError("body", f"body is not valid JSON: {exc}") from None
    _check_unicode(value)
    return value


def request_json(event: Mapping[str, Any]) -> Any:
    """The JSON body of an HTTP API request, bounded and validated as JSON (not as a schema)."""
    return parse_json(body_text(event))


def as_response(answer: Mapping[str, Any]) -> Any:
    """A ``{statusCode, headers, body}`` answer as a Powertools ``Response`` (for routes)."""
    from aws_lambda_powertools.event_handler import Response  # noqa: PLC0415 - keep import light

    headers = answer.get("headers") or {}
    return Response(
        status_code=int(answer["statusCode"]),
        content_type=headers.get("Content-Type", JSON_HEADERS["Content-Type"]),
        body=answer.get("body", ""),
    )


def not_found(method: str, path: str) -> dict[str, Any]:
    """The 404 of a request no route matches (the resolver's not-found handler)."""
    return error_response(404, f"no route {method} {path}", field="path")
