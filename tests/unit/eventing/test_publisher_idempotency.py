"""Client idempotency (issue 16): the ``Idempotency-Key`` header against the emulated bus and
DynamoDB. The same key never publishes twice; after a partial failure only what is missing is
published; the same key for another request is refused."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from iackit.lambda_events import LambdaContext, http_request
from publisher.app import handle, lambda_handler
from publisher.idempotency import RequestStore, fingerprint
from publisher.publish import RetryPolicy
from tests.unit.eventing.conftest import BusSink, _create_table

pytestmark = pytest.mark.unit

TABLE = "publisher-idempotency-test"
ENROLL = {"studentId": "S1", "classId": "A1"}


@pytest.fixture
def store_table(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    table = _create_table(TABLE, [("id", "HASH")])
    monkeypatch.setenv("IDEMPOTENCY_TABLE_NAME", TABLE)
    return table


def request(body: Any, key: str | None, detail_type: str = "student.enrolled") -> dict[str, Any]:
    event = http_request("POST", f"/events/{detail_type}", None, body)
    if key is not None:
        event["headers"]["idempotency-key"] = key
    return event


def call(event: dict[str, Any], context: LambdaContext) -> tuple[int, dict[str, Any]]:
    response = lambda_handler(event, context)
    return response["statusCode"], json.loads(response["body"])


def test_the_same_key_publishes_once_and_answers_the_same_ids(
    bus: BusSink, store_table: Any, lambda_context: LambdaContext
) -> None:
    first = call(request([ENROLL, {**ENROLL, "studentId": "S2"}], "order-42"), lambda_context)
    again = call(request([ENROLL, {**ENROLL, "studentId": "S2"}], "order-42"), lambda_context)

    assert first[0] == again[0] == 202
    assert again[1]["eventIds"] == first[1]["eventIds"]
    assert again[1]["replayed"] is True
    assert len(bus.received()) == 2


def test_without_a_key_two_posts_are_two_publications(
    bus: BusSink, store_table: Any, lambda_context: LambdaContext
) -> None:
    call(request(ENROLL, None), lambda_context)
    call(request(ENROLL, None), lambda_context)
    assert len(bus.received()) == 2


def test_the_same_key_for_another_request_is_422(
    bus: BusSink, store_table: Any, lambda_context: LambdaContext
) -> None:
    call(request(ENROLL, "k1"), lambda_context)
    status, body = call(request({**ENROLL, "classId": "B2"}, "k1"), lambda_context)
    assert (status, body["field"]) == (422, "idempotency-key")
    assert len(bus.received()) == 1


@pytest.mark.parametrize("key", ["", "a b", "k\n", "ключ", "x" * 129])
def test_a_malformed_key_is_400(
    key: str, bus: BusSink, store_table: Any, lambda_context: LambdaContext
) -> None:
    status, body = call(request(ENROLL, key), lambda_context)
    assert (status, body["field"]) == (400, "Idempotency-Key")
    assert bus.received() == []


def test_a_key_is_per_caller(bus: BusSink, store_table: Any, lambda_context: LambdaContext) -> None:
    student = {"jwt": {"claims": {"sub": "S1", "scope": "student"}, "scopes": None}}
    call(request(ENROLL, "same"), lambda_context)  # an IAM service
    event = http_request("POST", "/events/student.enrolled", None, ENROLL, authorizer=student)
    event["headers"]["idempotency-key"] = "same"
    assert call(event, lambda_context)[0] == 202
    assert len(bus.received()) == 2


def test_after_a_partial_failure_only_the_missing_entries_are_published(
    store_table: Any,
) -> None:
    client = boto3.client("events")
    store = RequestStore(boto3.client("dynamodb"), TABLE, ttl_seconds=3600)
    details = [{**ENROLL, "studentId": f"S{i}"} for i in range(3)]
    sent: list[list[str]] = []
    with Stubber(client) as stub:
        stub.add_response(
            "put_events",
            {
                "FailedEntryCount": 1,
                "Entries": [
                    {"EventId": "e0"},
                    {"ErrorCode": "InternalFailure", "ErrorMessage": "x"},
                    {"EventId": "e2"},
                ],
            },
        )
        stub.add_response("put_events", {"FailedEntryCount": 0, "Entries": [{"EventId": "e1"}]})
        client.meta.events.register(
            "provide-client-params.events.PutEvents",
            lambda params, **_: sent.append(
                [json.loads(e["Detail"])["studentId"] for e in params["Entries"]]
            ),
        )
        policy = RetryPolicy(max_attempts=1)
        first = handle(request(details, "batch-7"), "bus", client, policy, store)
        retry = handle(request(details, "batch-7"), "bus", client, policy, store)
        replay = handle(request(details, "batch-7"), "bus", client, policy, store)

    assert first["statusCode"] == 502
    assert json.loads(first["body"])["failed"][0]["index"] == 1
    assert (retry["statusCode"], json.loads(retry["body"])["eventIds"]) == (202, ["e0", "e1", "e2"])
    assert json.loads(replay["body"]) == {"eventIds": ["e0", "e1", "e2"], "replayed": True}
    assert sent == [["S0", "S1", "S2"], ["S1"]]  # the retry re-sent the failed entry only


def test_a_key_in_use_by_a_running_request_is_409(store_table: Any) -> None:
    """Another invocation holds the key's lease (same caller role, any session name)."""
    store = RequestStore(boto3.client("dynamodb"), TABLE, ttl_seconds=3600)
    role = "arn:aws:sts::123456789012:assumed-role/x"
    store.client.put_item(
        TableName=TABLE,
        Item={
            "id": {"S": f"request#{role}#k"},
            "fingerprint": {"S": fingerprint("student.enrolled", [ENROLL])},
            "status": {"S": "IN_PROGRESS"},
            "leaseUntil": {"N": "99999999999"},
        },
    )
    event = request(ENROLL, "k")
    event["requestContext"]["authorizer"]["iam"]["userArn"] = f"{role}/another-session"

    response = handle(event, "bus", boto3.client("events"), RetryPolicy(), store)

    assert response["statusCode"] == 409
