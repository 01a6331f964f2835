"""S3: bucket tags sent with CreateBucket are kept; bucket policies are stored, not enforced.

Provider 6.x tags a new bucket in the CreateBucket request itself
(`CreateBucketConfiguration/Tags`). moto 5.2.5 accepts the body but drops the tags, so the
plan right after apply wants to add them again (a perpetual diff). Here the tags of a
CreateBucket body are stored as the bucket's tags.

moto 5.2.5 evaluates a bucket policy on object requests, wrongly: a Deny statement with a
`Condition` (the data lake's TLS-only and KMS-only denies) denies every request, because
moto knows no request condition values and reads "condition not verified" as DENIED. A
function writing an SSE-KMS object over the emulator's HTTP endpoint got 403. As for every
other policy (docs/emulator.md), bucket policies are kept and returned, not evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xmltodict
from moto.iam.access_control import PermissionResult
from moto.s3.models import FakeBucket
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


def bucket_policy_not_enforced(self: FakeBucket, action: str, resource: str) -> PermissionResult:
    return PermissionResult.NEUTRAL


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (S3Response, "_bucket_response_put", bucket_response_put_with_tags),
    (FakeBucket, "get_permission", bucket_policy_not_enforced),
]
