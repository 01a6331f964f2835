"""moto's own API: `/moto-api/data.json` that survives models whose attributes raise.

Tests and `make up` read back the emails SES "sent" from `/moto-api/data.json` (moto's dump
of its in-memory models). moto skips only the errors it expects while dumping; a Lambda
function's attributes try to reach Docker once functions exist, and the whole dump fails.
Here any attribute that raises anything, or is not JSON, is skipped, and each value is
copied as it was checked (functions run by the Lambda runtime write to the models while the
dump is being made: a DynamoDB stream shard checked empty gained a `StreamRecord`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.moto_api._internal.responses import MotoAPIResponse


def model_data(self: Any, request: Any, full_url: str, headers: Any) -> Any:
    from moto.core.model_instances import model_data as tracked  # noqa: PLC0415

    results: dict[str, dict[str, list[Any]]] = {}
    for service in sorted(tracked):
        results[service] = {}
        for name in sorted(tracked[service]):
            rows = []
            for instance in tracked[service][name].instances_tracked:  # type: ignore[attr-defined]
                row = {}
                for attr in dir(instance):
                    if attr.startswith("_"):
                        continue
                    try:
                        # A snapshot: Lambda workers change models while this runs (an
                        # empty stream shard checked here may hold records a moment later).
                        row[attr] = json.loads(json.dumps(getattr(instance, attr)))
                    except Exception:  # noqa: S112 - any attribute that cannot be shown
                        continue
                rows.append(row)
            results[service][name] = rows
    return 200, {"Content-Type": "application/javascript"}, json.dumps(results)


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (MotoAPIResponse, "model_data", model_data),
]
