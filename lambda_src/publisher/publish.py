"""PutEvents with bounded retries of the failed entries only.

PutEvents is not all-or-nothing: the response lists one result per entry, in request
order, and ``FailedEntryCount`` says how many failed. :func:`publish` re-sends only the
failed entries whose error code is retryable, with exponential backoff and full jitter,
and reports what still failed after the last attempt.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from student_platform.catalog import EVENT_TYPES, validate_detail

MAX_ENTRIES: Final = 10  # PutEvents limit per request

# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
NON_RETRYABLE_CODES: Final = frozenset(
    {
        "AccessDeniedException",
        "InvalidAccountIdException",
        "InvalidArgument",
        "MalformedDetail",
        "RedactionFailure",
        "NotAuthorizedForSourceException",
        "NotAuthorizedForDetailTypeException",
    }
)


@dataclass(frozen=True)
class EventEntry:
    """One validated event: a catalog detail-type and its detail."""

    detail_type: str
    detail: Mapping[str, Any]

    @classmethod
    def create(cls, detail_type: str, detail: Any) -> EventEntry:
        """Validate against the catalog (raises EventValidationError)."""
        return cls(detail_type, validate_detail(detail_type, detail))

    @property
    def source(self) -> str:
        return EVENT_TYPES[self.detail_type]

    def to_request_entry(self, bus_name: str) -> dict[str, str]:
        return {
            "EventBusName": bus_name,
            "Source": self.source,
            "DetailType": self.detail_type,
            "Detail": json.dumps(self.detail, ensure_ascii=False, separators=(",", ":")),
        }


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts (first try included) and the exponential backoff between them."""

    max_attempts: int = 3
    base_delay: float = 0.1
    max_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("backoff delays must be >= 0")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RetryPolicy:
        """``PUBLISH_MAX_ATTEMPTS``, ``PUBLISH_BACKOFF_BASE_MS``, ``PUBLISH_BACKOFF_MAX_MS``."""
        return cls(
            max_attempts=int(environ.get("PUBLISH_MAX_ATTEMPTS", "3")),
            base_delay=int(environ.get("PUBLISH_BACKOFF_BASE_MS", "100")) / 1000,
            max_delay=int(environ.get("PUBLISH_BACKOFF_MAX_MS", "2000")) / 1000,
        )

    def delay(self, retry: int) -> float:
        """Sleep before retry number ``retry`` (1-based): full jitter on a capped exponential."""
        cap = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return random.uniform(0, cap)  # noqa: S311 - jitter, not cryptography


@dataclass(frozen=True)
class FailedEntry:
    index: int
    detail_type: str
    error_code: str
    error_message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "detailType": self.detail_type,
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
        }


@dataclass(frozen=True)
class PublishResult:
    """``event_ids[i]`` is the id of entry ``i``, or None if it failed (see ``failed``)."""

    event_ids: list[str | None]
    failed: list[FailedEntry] = field(default_factory=list)
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return not self.failed


def publish(
    entries: Sequence[EventEntry],
    bus_name: str,
    client: Any,
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishResult:
    """Put ``entries`` (1..10) on ``bus_name``; retry only failed, retryable entries.

    Raises botocore's ClientError if a whole PutEvents call fails (after botocore's own
    retries); per-entry failures are returned in ``PublishResult.failed``.
    """
    if not 1 <= len(entries) <= MAX_ENTRIES:
        raise ValueError(f"publish takes 1 to {MAX_ENTRIES} entries, got {len(entries)}")
    policy = policy or RetryPolicy()
    request = [entry.to_request_entry(bus_name) for entry in entries]
    event_ids: list[str | None] = [None] * len(entries)
    errors: dict[int, tuple[str, str]] = {}
    pending = list(range(len(entries)))
    attempt = 0
    while pending and attempt < policy.max_attempts:
        if attempt:
            sleep(policy.delay(attempt))
        attempt += 1
        response = client.put_events(Entries=[request[i] for i in pending])
        retry: list[int] = []
        for index, result in zip(pending, response["Entries"], strict=True):
            if result.get("EventId") and not result.get("ErrorCode"):
                event_ids[index] = result["EventId"]
                errors.pop(index, None)
                continue
            code = result.get("ErrorCode") or "Unknown"
            errors[index] = (code, result.get("ErrorMessage") or "")
            if code not in NON_RETRYABLE_CODES:
                retry.append(index)
        pending = retry
    failed = [
        FailedEntry(index, entries[index].detail_type, code, message)
        for index, (code, message) in sorted(errors.items())
    ]
    return PublishResult(event_ids=event_ids, failed=failed, attempts=attempt)
