"""Responses for API Gateway HTTP APIs (Lambda proxy integration, payload format 2.0)."""

from __future__ import annotations

import json
from typing import Any

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


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
