"""Exactly one email per recipient through SES throttling, timeouts, retries and replays
(issue 16): the notifier handler (Powertools idempotency + the per-recipient ledger) against
the emulated SES v2 and DynamoDB, with SES failures injected in front of the real client."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError

from iackit.lambda_events import LambdaContext
from notifier import app
from notifier.app import lambda_handler
from tests.unit.eventing.factories import seed_event

pytestmark = pytest.mark.unit

Sent = Callable[[], list[dict[str, Any]]]
CLASS = [
    {"studentId": f"S{i}", "email": f"s{i}@example.vn", "name": f"S{i}", "classId": "A1"}
    for i in range(1, 5)
]
ENDPOINT = "https://email.us-east-1.amazonaws.com"


def throttled() -> Exception:
    error = {"Error": {"Code": "TooManyRequestsException", "Message": "Maximum sending rate"}}
    return ClientError(error, "SendEmail")


class FlakySes:
    """Forwards SendEmail to the emulator's SES except on the scripted call numbers (1-based):
    ``before`` raises instead of sending, ``after`` sends and then raises (the answer is lost)."""

    def __init__(self, before: dict[int, Exception], after: dict[int, Exception] | None = None):
        self.real = boto3.client("sesv2")
        self.before = before
        self.after = after or {}
        self.calls = 0

    def send_email(self, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        if self.calls in self.before:
            raise self.before[self.calls]
        response: dict[str, Any] = self.real.send_email(**kwargs)
        if self.calls in self.after:
            raise self.after[self.calls]
        return response


@pytest.fixture
def flaky(
    students_table: Any, idempotency_table: Any, sender: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., FlakySes]:
    for item in CLASS:
        students_table.put_item(Item=item)
    real_client = app.cached_client

    def install(before: dict[int, Exception], after: dict[int, Exception] | None = None):
        ses = FlakySes(before, after)
        monkeypatch.setattr(
            app, "cached_client", lambda name: ses if name == "sesv2" else real_client(name)
        )
        return ses

    return install


def announcement(**kw: Any) -> dict[str, Any]:
    detail = {"teacherId": "T1", "content": "Kiểm tra thứ Sáu.", "classId": "A1"}
    return seed_event("teacher.sendAnnouncement", detail, **kw)


def deliver_with_retries(event: dict[str, Any], context: LambdaContext) -> list[dict[str, Any]]:
    """Invoke like EventBridge does: again after each error, up to 6 attempts."""
    results: list[dict[str, Any]] = []
    for _ in range(6):
        try:
            results.append(lambda_handler(event, context))
            return results
        except (ClientError, ConnectTimeoutError, ReadTimeoutError):
            continue
    raise AssertionError("still failing after 6 attempts")


def per_address(sent_emails: Sent) -> Counter[str]:
    return Counter(m["destinations"]["ToAddresses"][0] for m in sent_emails())


EVERYONE_ONCE = Counter({s["email"]: 1 for s in CLASS})


def test_throttling_three_of_four_sends_emails_everyone_exactly_once(
    flaky: Callable[..., FlakySes], sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    # The case: the 2nd, 3rd and 4th sends of the first attempt are throttled, and
    # the retry is throttled once more.
    ses = flaky({2: throttled(), 3: throttled(), 5: throttled()})

    [result] = deliver_with_retries(announcement(), lambda_context)

    assert per_address(sent_emails) == EVERYONE_ONCE
    assert result["alreadySent"]  # the retries skipped who was done
    assert ses.calls == 4 + 3  # every recipient sent once, plus the 3 throttled tries


def test_connect_timeouts_are_retried_without_duplicates(
    flaky: Callable[..., FlakySes], sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    flaky(
        {
            1: ConnectTimeoutError(endpoint_url=ENDPOINT),
            3: ConnectTimeoutError(endpoint_url=ENDPOINT),
        }
    )

    deliver_with_retries(announcement(), lambda_context)

    assert per_address(sent_emails) == EVERYONE_ONCE


def test_a_read_timeout_after_ses_sent_is_not_sent_again(
    flaky: Callable[..., FlakySes], sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    # SES accepted the 2nd email but its answer was lost: ambiguous, so the claim is kept.
    flaky({}, after={2: ReadTimeoutError(endpoint_url=ENDPOINT)})

    [result] = deliver_with_retries(announcement(), lambda_context)

    assert per_address(sent_emails) == EVERYONE_ONCE
    assert result["uncertain"] == ["S2"]


def test_client_retry_and_redelivery_send_nothing_twice(
    flaky: Callable[..., FlakySes], sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    flaky({})
    event = announcement()

    first = lambda_handler(event, lambda_context)
    again = lambda_handler(event, lambda_context)

    assert again == first
    assert per_address(sent_emails) == EVERYONE_ONCE


def test_an_archive_replay_sends_nothing(
    flaky: Callable[..., FlakySes], sent_emails: Sent, lambda_context: LambdaContext
) -> None:
    flaky({})
    event = announcement()
    lambda_handler(event, lambda_context)
    # Long after the idempotency window: a replay of the archive delivers the event again,
    # marked with replay-name.
    replayed = {**event, "replay-name": "restore-2024-05-01"}
    app_result = lambda_handler({**replayed, "id": "another-id"}, lambda_context)

    assert app_result["sent"] == 0
    assert app_result["replay"] == "restore-2024-05-01"
    assert per_address(sent_emails) == EVERYONE_ONCE
