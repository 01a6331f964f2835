"""Partial PutEvents failures, on a real botocore client driven by botocore's Stubber.

The Stubber checks every request against ``expected_params``: a retry that re-sent an
already-accepted entry, or sent entries in another order, fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from publisher.app import handle
from publisher.publish import EventEntry, RetryPolicy, publish
from tests.unit.eventing.factories import publish_request

pytestmark = pytest.mark.unit

BUS = "student-platform-test"
ENTRIES = [
    EventEntry.create("student.enrolled", {"studentId": "1", "classId": "A1"}),
    EventEntry.create("student.enrolled", {"studentId": "2", "classId": "A1"}),
    EventEntry.create("student.enrolled", {"studentId": "3", "classId": "A1"}),
]
REQUEST = [entry.to_request_entry(BUS) for entry in ENTRIES]
FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02)


def ok(event_id: str) -> dict[str, str]:
    return {"EventId": event_id}


def failed(code: str = "InternalFailure") -> dict[str, str]:
    return {"ErrorCode": code, "ErrorMessage": f"{code} (stubbed)"}


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "events",
        region_name="us-east-1",
        aws_access_key_id="stub",
        aws_secret_access_key="stub",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_request_entries_carry_bus_source_and_compact_json_detail() -> None:
    assert REQUEST[0] == {
        "EventBusName": BUS,
        "Source": "api.student",
        "DetailType": "student.enrolled",
        "Detail": '{"studentId":"1","classId":"A1"}',
    }


def test_only_the_failed_entry_is_resent(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [ok("e1"), failed(), ok("e3")]},
        expected_params={"Entries": REQUEST},
    )
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 0, "Entries": [ok("e2")]},
        expected_params={"Entries": [REQUEST[1]]},
    )
    sleeps: list[float] = []

    result = publish(ENTRIES, BUS, client, policy=FAST, sleep=sleeps.append)

    assert result.ok
    assert result.event_ids == ["e1", "e2", "e3"]
    assert result.attempts == 2
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= FAST.max_delay


def test_persistent_failure_is_reported_after_bounded_attempts(
    stubbed: tuple[Any, Stubber],
) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 2, "Entries": [failed("ThrottlingException"), ok("e2"), failed()]},
        expected_params={"Entries": REQUEST},
    )
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [ok("e1"), failed()]},
        expected_params={"Entries": [REQUEST[0], REQUEST[2]]},
    )
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [failed()]},
        expected_params={"Entries": [REQUEST[2]]},
    )
    sleeps: list[float] = []

    result = publish(ENTRIES, BUS, client, policy=FAST, sleep=sleeps.append)

    assert not result.ok
    assert result.attempts == 3
    assert len(sleeps) == 2
    assert result.event_ids == ["e1", "e2", None]
    [failure] = result.failed
    assert (failure.index, failure.error_code) == (2, "InternalFailure")


def test_non_retryable_failure_is_not_retried(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [ok("e1"), failed("MalformedDetail"), ok("e3")]},
        expected_params={"Entries": REQUEST},
    )

    result = publish(ENTRIES, BUS, client, policy=FAST, sleep=lambda _: None)

    assert result.attempts == 1
    assert [(f.index, f.error_code) for f in result.failed] == [(1, "MalformedDetail")]


def test_handler_logic_reports_failed_entries_with_502(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    details = [{"studentId": "1", "classId": "A1"}, {"studentId": "2", "classId": "A1"}]
    expected = [EventEntry.create("student.enrolled", d).to_request_entry(BUS) for d in details]
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [ok("e1"), failed()]},
        expected_params={"Entries": expected},
    )
    stubber.add_response(
        "put_events",
        {"FailedEntryCount": 1, "Entries": [failed()]},
        expected_params={"Entries": [expected[1]]},
    )
    policy = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.001)

    response = handle(publish_request("student.enrolled", details), BUS, client, policy)

    assert response["statusCode"] == 502
    body = json.loads(response["body"])
    assert body["eventIds"] == ["e1", None]
    assert body["failed"] == [
        {
            "index": 1,
            "detailType": "student.enrolled",
            "errorCode": "InternalFailure",
            "errorMessage": "InternalFailure (stubbed)",
        }
    ]


def test_whole_call_error_is_a_502(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error("put_events", "AccessDeniedException", http_status_code=400)

    response = handle(
        publish_request("student.enrolled", {"studentId": "1", "classId": "A1"}), BUS, client, FAST
    )

    assert response["statusCode"] == 502
    assert "AccessDeniedException" in json.loads(response["body"])["error"]


def test_retry_policy_from_env_and_bounds() -> None:
    policy = RetryPolicy.from_env(
        {
            "PUBLISH_MAX_ATTEMPTS": "5",
            "PUBLISH_BACKOFF_BASE_MS": "50",
            "PUBLISH_BACKOFF_MAX_MS": "80",
        }
    )
    assert policy == RetryPolicy(max_attempts=5, base_delay=0.05, max_delay=0.08)
    assert all(0 <= policy.delay(n) <= 0.08 for n in range(1, 10))
    assert RetryPolicy.from_env({}) == RetryPolicy()
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_publish_refuses_more_than_ten_entries(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed
    with pytest.raises(ValueError, match="1 to 10"):
        publish(ENTRIES * 4, BUS, client)
