"""Nightly popularity ranking: the most interacted-with items, overall and per item type.

Computed by the Export step from the interactions it already scans (never by the API: the
ranking function's popularity fallback reads this one object, ``ranking/popularity.py``) and
published whatever the data guard decides, at ``<BATCH_PREFIX>popularity/current.json``::

    {"runId", "updatedAt", "rankings": {
        "all":   {"interactions": <every exported interaction>, "items": [{"itemId", "count"}]},
        "class" | "material" | "quiz": {"interactions": <those on items of the type>, ...}}}

An item's type is its Items dataset ``ITEM_TYPE`` (a class of ClassActivity, or a material /
quiz its catalog rows name); an interacted item missing from the Items dataset counts in
``all`` only (Personalize's type filters would not return it either). Each list keeps the
``MAX_ITEMS`` most popular items (count descending, then itemId), enough for
GetPersonalizedRanking's 500 candidates.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any, Final

from training.common import ITEM_TYPES

ALL: Final = "all"
MAX_ITEMS: Final = 500
POPULARITY_KEY: Final = "popularity/current.json"


def popularity_key(batch_prefix: str) -> str:
    """``<batch prefix>popularity/current.json``: where the object is published."""
    return f"{batch_prefix}{POPULARITY_KEY}"


def _ranking(counts: Counter[str], keep: int) -> dict[str, Any]:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    return {
        "interactions": sum(counts.values()),
        "items": [{"itemId": item_id, "count": count} for item_id, count in ordered],
    }


def popularity_document(
    per_item: Mapping[str, int],
    item_types: Mapping[str, str],
    *,
    run_id: str,
    updated_at: str,
    keep: int = MAX_ITEMS,
) -> dict[str, Any]:
    """The published document from interactions per item and the Items dataset's types."""
    overall: Counter[str] = Counter(dict(per_item))
    by_type: dict[str, Counter[str]] = {t: Counter() for t in ITEM_TYPES}
    for item_id, count in overall.items():
        item_type = item_types.get(item_id)
        if item_type in by_type:
            by_type[item_type][item_id] += count
    rankings = {ALL: _ranking(overall, keep)}
    rankings.update({t: _ranking(c, keep) for t, c in by_type.items()})
    return {"runId": run_id, "updatedAt": updated_at, "rankings": rankings}


def publish_popularity(
    s3: Any,
    bucket: str,
    key: str,
    document: Mapping[str, Any],
    kms_key_arn: str | None = None,
) -> dict[str, Any]:
    """One PutObject; returns the URI and the number of items per ranking."""
    extra: dict[str, str] = {"ContentType": "application/json"}
    if kms_key_arn:
        extra["ServerSideEncryption"] = "aws:kms"
        extra["SSEKMSKeyId"] = kms_key_arn
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps(document, separators=(",", ":")).encode(),
        **extra,
    )
    return {
        "uri": f"s3://{bucket}/{key}",
        "items": {name: len(r["items"]) for name, r in document["rankings"].items()},
    }
