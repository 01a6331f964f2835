"""The emulator answers an SDK retry of a write once, as an idempotent API would.

The AWS SDKs resend a call whose answer did not arrive with the same `amz-sdk-invocation-id`
and a higher `attempt=` in `amz-sdk-request`. Without this, a retried CreateTable that had
already succeeded failed the whole `terraform apply` with "Table already exists".
"""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from iackit.emulator import Emulator

pytestmark = pytest.mark.unit

TABLE = {
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "BillingMode": "PAY_PER_REQUEST",
}


class SdkAttempt:
    """Sends the chosen operations of a client as attempt `attempt` of SDK invocation
    `invocation` (other calls keep the headers botocore gives them)."""

    def __init__(self, client: Any, *operations: str) -> None:
        self.invocation = ""
        self.attempt = 1
        service = client.meta.service_model.service_name
        for operation in operations:
            client.meta.events.register(f"before-send.{service}.{operation}", self)

    def new_invocation(self) -> None:
        self.invocation, self.attempt = str(uuid.uuid4()), 1

    def __call__(self, request: Any, **_: Any) -> None:
        request.headers["amz-sdk-invocation-id"] = self.invocation
        request.headers["amz-sdk-request"] = f"attempt={self.attempt}; max=25"


@pytest.fixture
def dynamodb(aws: Emulator) -> tuple[Any, SdkAttempt]:
    dynamodb = boto3.client("dynamodb")  # `aws` points boto3 at the emulator
    return dynamodb, SdkAttempt(dynamodb, "CreateTable", "DeleteTable")


def test_a_retried_create_gets_the_first_answer_and_creates_once(
    dynamodb: tuple[Any, SdkAttempt], aws: Emulator
) -> None:
    client, sdk = dynamodb
    sdk.new_invocation()
    first = client.create_table(TableName="retried", **TABLE)["TableDescription"]
    sdk.attempt = 2
    again = client.create_table(TableName="retried", **TABLE)["TableDescription"]
    assert again == first
    assert client.list_tables()["TableNames"] == ["retried"]
    assert aws.log_path is not None
    assert (
        f"attempt 2 of DynamoDB_20120810.CreateTable ({sdk.invocation}) "
        "gets the first attempt's answer again: 200 OK"
    ) in aws.log_path.read_text()


def test_a_new_invocation_of_the_same_create_still_fails(
    dynamodb: tuple[Any, SdkAttempt],
) -> None:
    client, sdk = dynamodb
    sdk.new_invocation()
    client.create_table(TableName="twice", **TABLE)
    sdk.new_invocation()
    sdk.attempt = 2  # a retry, but of a call the emulator has not answered before
    with pytest.raises(ClientError) as error:
        client.create_table(TableName="twice", **TABLE)
    assert error.value.response["Error"]["Code"] == "ResourceInUseException"


def test_a_retry_after_a_refusal_runs_again(dynamodb: tuple[Any, SdkAttempt]) -> None:
    client, sdk = dynamodb
    sdk.new_invocation()
    refused = sdk.invocation
    with pytest.raises(ClientError):
        client.delete_table(TableName="later")  # refused: nothing to replay
    sdk.new_invocation()
    client.create_table(TableName="later", **TABLE)
    sdk.invocation, sdk.attempt = refused, 2
    deleted = client.delete_table(TableName="later")["TableDescription"]
    assert deleted["TableName"] == "later"
    assert client.list_tables()["TableNames"] == []


def test_an_unanswered_query_call_runs_again_with_its_body(aws: Emulator) -> None:
    iam = boto3.client("iam")
    sdk = SdkAttempt(iam, "CreateRole")
    sdk.new_invocation()
    sdk.attempt = 2  # the emulator never saw attempt 1: it reads the body only to log it
    iam.create_role(RoleName="retried", AssumeRolePolicyDocument="{}", Path="/svc/")
    assert iam.get_role(RoleName="retried")["Role"]["Path"] == "/svc/"
    assert aws.log_path is not None
    assert f"attempt 2 of iam / CreateRole ({sdk.invocation}) runs" in aws.log_path.read_text()
