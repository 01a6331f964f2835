"""Client idempotency of ``POST /events/<type>``: the ``Idempotency-Key`` request header.

One DynamoDB item per (caller, key) holds the request's fingerprint and the event id of each
entry once published. The same key again (a client retry) answers the stored ids and publishes
nothing; after a partial failure it publishes only the entries still without an id; the same
key with another request is refused (422); while another request with the key runs, 409.
Records expire by the table's TTL attribute ``expiration``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from botocore.exceptions import ClientError

KEY_PATTERN: Final = re.compile(r"[A-Za-z0-9_.:-]{1,128}", re.ASCII)
HEADER: Final = "idempotency-key"  # HTTP API payload 2.0 lower-cases header names
IN_PROGRESS: Final = "IN_PROGRESS"
PARTIAL: Final = "PARTIAL"
COMPLETED: Final = "COMPLETED"


class KeyReusedError(Exception):
    """The key was used for a different request (422)."""


class InProgressError(Exception):
    """Another request with this key is being published right now (409)."""


def fingerprint(detail_type: str, details: Sequence[Mapping[str, Any]]) -> str:
    canonical = json.dumps([detail_type, list(details)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _ids_attribute(ids: Sequence[str | None]) -> dict[str, Any]:
    return {"L": [{"S": i} if i else {"NULL": True} for i in ids]}


def _ids(item: Mapping[str, Any]) -> list[str | None]:
    return [value.get("S") for value in item.get("eventIds", {}).get("L", [])]


class RequestStore:
    def __init__(
        self,
        client: Any,
        table_name: str,
        ttl_seconds: int,
        lease_seconds: int = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.table_name = table_name
        self.ttl_seconds = ttl_seconds
        self.lease_seconds = lease_seconds
        self.clock = clock

    @staticmethod
    def _key(record_id: str) -> dict[str, Any]:
        return {"id": {"S": f"request#{record_id}"}}

    def begin(self, record_id: str, request_hash: str, size: int) -> list[str | None]:
        """Claim the key; the event ids already published for it ([None] * size when new).

        Raises KeyReusedError or InProgressError.
        """
        now = int(self.clock())
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item={
                    **self._key(record_id),
                    "fingerprint": {"S": request_hash},
                    "status": {"S": IN_PROGRESS},
                    "leaseUntil": {"N": str(now + self.lease_seconds)},
                    "expiration": {"N": str(now + self.ttl_seconds)},
                    "eventIds": _ids_attribute([None] * size),
                },
                ConditionExpression="attribute_not_exists(id)",
            )
            return [None] * size
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        item = self.client.get_item(
            TableName=self.table_name, Key=self._key(record_id), ConsistentRead=True
        ).get("Item", {})
        if item.get("fingerprint", {}).get("S") != request_hash:
            raise KeyReusedError
        status = item.get("status", {}).get("S")
        if status == COMPLETED:
            return _ids(item)
        lease = item.get("leaseUntil", {}).get("N", "0")
        if status == IN_PROGRESS and int(lease) > now:
            raise InProgressError
        try:  # a partial or abandoned attempt: take it over (one taker wins)
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(record_id),
                UpdateExpression="SET #s = :busy, leaseUntil = :lease",
                ConditionExpression="#s = :seen AND leaseUntil = :seen_lease",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":busy": {"S": IN_PROGRESS},
                    ":lease": {"N": str(now + self.lease_seconds)},
                    ":seen": {"S": str(status)},
                    ":seen_lease": {"N": lease},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise InProgressError from None
            raise
        return _ids(item)

    def finish(self, record_id: str, ids: Sequence[str | None]) -> None:
        """Store the ids; COMPLETED when every entry has one, else PARTIAL (lease released)."""
        self.client.update_item(
            TableName=self.table_name,
            Key=self._key(record_id),
            UpdateExpression="SET #s = :status, eventIds = :ids, leaseUntil = :zero",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":status": {"S": COMPLETED if all(ids) else PARTIAL},
                ":ids": _ids_attribute(ids),
                ":zero": {"N": "0"},
            },
        )
