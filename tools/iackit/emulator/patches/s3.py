"""S3: bucket tags sent with CreateBucket are kept.

Provider 6.x tags a new bucket in the CreateBucket request itself
(`CreateBucketConfiguration/Tags`). moto 5.2.5 accepts the body but drops the tags, so the
plan right after apply wants to add them again (a perpetual diff). Here the tags of a
CreateBucket body are stored as the bucket's tags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xmltodict
from moto.s3.responses import S3Response


def create_bucket_tags(body: bytes | str | None) -> dict[str, str]:
    """Tags of a CreateBucket request body (`CreateBucketConfiguration/Tags/Tag`)."""
    if not body:
        return {}
    try:
        parsed = xmltodict.parse(body, force_list={"Tag": True})
    except Exception:  # not an XML body: nothing to take from it
        return {}
    config = parsed.get("CreateBucketConfiguration") or {}
    tags = (config.get("Tags") or {}).get("Tag") or []
    return {tag["Key"]: tag.get("Value") or "" for tag in tags}


_bucket_response_put = S3Response._bucket_response_put


def bucket_response_put_with_tags(
    self: S3Response, request: Any, bucket_name: str, querystring: dict[str, Any]
) -> Any:
    response = _bucket_response_put(self, request, bucket_name, querystring)
    if not querystring and self.data.get("Action") == "CreateBucket":
        tags = create_bucket_tags(self.body)
        if tags:
            self.backend.put_bucket_tagging(bucket_name, tags)
    return response


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (S3Response, "_bucket_response_put", bucket_response_put_with_tags),
]
