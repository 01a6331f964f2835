"""Smallest useful handler for the lambda-function example."""

import os
from typing import Any


def lambda_handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    return {"greeting": os.environ.get("GREETING", "hello"), "echo": event}
