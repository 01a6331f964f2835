"""modules/ranking-api on the emulator: HTTP API, GET /ranking/{userId} route, AWS_PROXY
integration, throttled $default stage with encrypted access logs and the ranking function,
read back with boto3, the deployed function invoked (bad input, then a fallback ranking),
then idempotency and destroy.

Plan variants are data (tftest.yaml, *.tfvars, *.yaml); bad inputs are run blocks of
modules/ranking-api/tests/*.tftest.hcl.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from botocore.credentials import Credentials

from iackit.emulator import ACCOUNT_ID, REGION, local_api_url
from iackit.paths import REPO_ROOT
from iackit.signed_http import request
from tests.harness.assertions import assert_no_changes

EXAMPLE = "modules/ranking-api/examples/basic"
PREFIX = "ratest"
VARIABLES = {
    "name_prefix": PREFIX,
    "package_path": str(REPO_ROOT / "build/lambda/ranking.zip"),
    "authorization_type": "AWS_IAM",
}


@pytest.mark.apply
def test_apply_creates_api_route_stage_and_function_then_converges_and_destroys(
    applied, boto, emulator
) -> None:
    with applied(EXAMPLE, VARIABLES) as (ws, outputs):
        api = boto("apigatewayv2")
        api_id = outputs["api_id"]
        assert api.get_api(ApiId=api_id)["ProtocolType"] == "HTTP"
        (route,) = api.get_routes(ApiId=api_id)["Items"]
        assert route["RouteKey"] == "GET /ranking/{userId}"
        assert route["AuthorizationType"] == "AWS_IAM"
        integration_id = route["Target"].removeprefix("integrations/")
        integration = api.get_integration(ApiId=api_id, IntegrationId=integration_id)
        assert integration["IntegrationType"] == "AWS_PROXY"
        assert integration["PayloadFormatVersion"] == "2.0"
        assert outputs["function_name"] in integration["IntegrationUri"]

        stage = api.get_stage(ApiId=api_id, StageName="$default")
        assert stage["AutoDeploy"] is True
        assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 40
        assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 15
        assert stage["AccessLogSettings"]["DestinationArn"].endswith(
            f":log-group:{outputs['access_log_group_name']}"
        )
        (group,) = boto("logs").describe_log_groups(
            logGroupNamePrefix=outputs["access_log_group_name"]
        )["logGroups"]
        assert group["retentionInDays"] == 7
        assert group.get("kmsKeyId", "").startswith(f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/")

        fn = boto("lambda").get_function(FunctionName=outputs["function_name"])["Configuration"]
        assert fn["Handler"] == "ranking.app.lambda_handler"
        assert fn["Environment"]["Variables"]["RANKING_PARAMETER_NAME"] == (
            f"/{PREFIX}/ranking/current"
        )
        policy = json.loads(
            boto("lambda").get_policy(FunctionName=outputs["function_name"])["Policy"]
        )
        (grant,) = policy["Statement"]
        assert grant["Principal"] == {"Service": "apigateway.amazonaws.com"}
        assert grant["Condition"]["ArnLike"]["AWS:SourceArn"].endswith(f"{api_id}/*/GET/ranking/*")
        assert outputs["invoke_url_example"].endswith("/ranking/<userId>")

        _assert_the_deployed_function_ranks(
            boto, local_api_url(emulator.endpoint, outputs["api_endpoint"])
        )

        assert_no_changes(ws.plan(VARIABLES))


def _rank(url: str, user_id: str) -> tuple[int, Any]:
    """A signed GET through the API's local URL, as a client calls it."""
    answer = request(
        "GET",
        f"{url}/ranking/{quote(user_id, safe='')}",
        credentials=Credentials("testing", "testing"),
    )
    return answer.status, answer.json()


def _assert_the_deployed_function_ranks(boto, url: str) -> None:
    """The deployed zip and layer, reached through the route (signed GET). No ranking is
    published in the example: the answer is the most popular classes of the Interactions
    table the function is given (created here for the call, as student-data would, and
    removed before destroy). Unsigned, the IAM route refuses before the function runs."""
    assert request("GET", f"{url}/ranking/u9").status == 403
    status, body = _rank(url, "bad id!")
    assert (status, body["field"]) == (400, "userId"), body
    ddb = boto("dynamodb")
    table = f"{PREFIX}-Interactions"
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "studentId", "AttributeType": "S"},
            {"AttributeName": "eventId", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "studentId", "KeyType": "HASH"},
            {"AttributeName": "eventId", "KeyType": "RANGE"},
        ],
    )
    try:
        for student, event, item in [("u1", "e1", "A1"), ("u2", "e2", "B2"), ("u3", "e3", "B2")]:
            ddb.put_item(
                TableName=table,
                Item={
                    "studentId": {"S": student},
                    "eventId": {"S": event},
                    "itemId": {"S": item},
                    "eventType": {"S": "enrolled"},
                    "timestamp": {"N": "1767225600"},
                    "source": {"S": "api.student"},
                },
            )
        status, body = _rank(url, "u9")
        assert status == 200, body
        assert body["source"] == "fallback-popularity"
        assert [i["itemId"] for i in body["items"]] == ["B2", "A1"]
    finally:
        ddb.delete_table(TableName=table)
