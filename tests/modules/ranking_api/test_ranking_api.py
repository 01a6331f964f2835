"""modules/ranking-api on the emulator: HTTP API, GET /ranking/{userId} route, AWS_PROXY
integration, throttled $default stage with encrypted access logs and the ranking function,
read back with boto3, the deployed function invoked through the route (bad input, then the
published popularity, overall and of one item type), then idempotency and destroy.

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


def _rank(url: str, user_id: str, query: str = "") -> tuple[int, Any]:
    """A signed GET through the API's local URL, as a client calls it."""
    answer = request(
        "GET",
        f"{url}/ranking/{quote(user_id, safe='')}{query}",
        credentials=Credentials("testing", "testing"),
    )
    return answer.status, answer.json()


POPULARITY = {
    "runId": "20260101T020000Z",
    "updatedAt": "2026-01-01T02:00:05Z",
    "rankings": {
        "all": {
            "interactions": 3,
            "items": [{"itemId": "B2", "count": 2}, {"itemId": "A1-Q1", "count": 1}],
        },
        "class": {"interactions": 2, "items": [{"itemId": "B2", "count": 2}]},
        "quiz": {"interactions": 1, "items": [{"itemId": "A1-Q1", "count": 1}]},
    },
}


def _assert_the_deployed_function_ranks(boto, url: str) -> None:
    """The deployed zip and layer, reached through the route (signed GET). No ranking is
    published in the example: the answer is the popularity object the pipeline would publish
    (put here in the bucket the function is given, as the data lake and the Export step
    would, and removed before destroy), overall or of the asked item type. Unsigned, the IAM
    route refuses before the function runs."""
    assert request("GET", f"{url}/ranking/u9").status == 403
    status, body = _rank(url, "bad id!")
    assert (status, body["field"]) == (400, "userId"), body
    status, body = _rank(url, "u9", "?type=quizzes")
    assert (status, body) == (
        400,
        {"error": "type must be one of class, material, quiz", "field": "type"},
    )
    s3 = boto("s3")
    bucket = f"{PREFIX}-ranking-data-{ACCOUNT_ID}-{REGION}"
    key = "personalize/batch/popularity/current.json"
    s3.create_bucket(Bucket=bucket)
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(POPULARITY).encode())
        status, body = _rank(url, "u9")
        assert status == 200, body
        assert (body["source"], body["type"]) == ("fallback-popularity", None)
        assert body["reason"] == "no ranking published yet"
        assert [i["itemId"] for i in body["items"]] == ["B2", "A1-Q1"]
        status, body = _rank(url, "u9", "?type=quiz")
        assert status == 200, body
        assert (body["source"], body["type"]) == ("fallback-popularity", "quiz")
        assert body["items"] == [{"itemId": "A1-Q1", "score": 1.0}]
    finally:
        s3.delete_object(Bucket=bucket, Key=key)
        s3.delete_bucket(Bucket=bucket)
