"""The popularity ranking the nightly pipeline publishes (training/popularity.py), read by the
fallback of ``GET /ranking/{userId}`` with one GetObject (never a table scan).

The object (``POPULARITY_KEY`` in ``POPULARITY_BUCKET``)::

    {"runId": "20260101T020000Z", "updatedAt": "2026-01-01T02:00:05Z",
     "rankings": {
       "all":      {"interactions": 1200, "items": [{"itemId": "A1", "count": 300}, ...]},
       "class":    {"interactions": 900,  "items": [...]},
       "material": {...}, "quiz": {...}}}

``all`` counts every exported interaction; each item type counts the interactions on items of
that type (the Items dataset's ``ITEM_TYPE``). Items are ordered by count, then itemId.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

ALL: Final = "all"
# ITEM_TYPE values of the Items dataset (training/common.py ITEM_TYPES), in that order.
ITEM_TYPES: Final = ("class", "material", "quiz")


class InvalidPopularityDocumentError(ValueError):
    """The published object is not a popularity ranking."""


@dataclass(frozen=True)
class Ranked:
    """One ranking of the document: ``[(itemId, count)]`` best first, and the total count."""

    items: tuple[tuple[str, int], ...] = ()
    interactions: int = 0

    def scored(self, limit: int) -> list[dict[str, Any]]:
        """``[{"itemId", "score"}]``, score = share of the ranking's interactions."""
        total = self.interactions
        return [
            {"itemId": item_id, "score": round(count / total, 6) if total else 0.0}
            for item_id, count in self.items[:limit]
        ]


@dataclass(frozen=True)
class Popularity:
    updated_at: str | None = None
    rankings: Mapping[str, Ranked] = field(default_factory=dict)

    def ranked(self, item_type: str | None) -> Ranked:
        """The ranking of ``item_type`` (None: every type); empty if not published."""
        return self.rankings.get(item_type or ALL, Ranked())


def _ranked(name: str, value: Any) -> Ranked:
    if not isinstance(value, Mapping) or not isinstance(value.get("items"), list):
        raise InvalidPopularityDocumentError(f"rankings.{name} has no items list")
    interactions = value.get("interactions", 0)
    if not isinstance(interactions, int) or isinstance(interactions, bool) or interactions < 0:
        raise InvalidPopularityDocumentError(f"rankings.{name}.interactions is not a count")
    items: list[tuple[str, int]] = []
    for entry in value["items"]:
        item_id = entry.get("itemId") if isinstance(entry, Mapping) else None
        count = entry.get("count") if isinstance(entry, Mapping) else None
        if not isinstance(item_id, str) or not item_id or not isinstance(count, int):
            raise InvalidPopularityDocumentError(f"rankings.{name} has an invalid item")
        items.append((item_id, count))
    return Ranked(tuple(items), interactions)


def parse_popularity(body: bytes | str) -> Popularity:
    """The object's bytes -> ``Popularity`` (InvalidPopularityDocumentError otherwise)."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise InvalidPopularityDocumentError("popularity object is not JSON") from exc
    rankings = document.get("rankings") if isinstance(document, Mapping) else None
    if not isinstance(rankings, Mapping):
        raise InvalidPopularityDocumentError("popularity object has no rankings")
    updated_at = document.get("updatedAt")
    return Popularity(
        updated_at=updated_at if isinstance(updated_at, str) else None,
        rankings={str(name): _ranked(str(name), value) for name, value in rankings.items()},
    )
