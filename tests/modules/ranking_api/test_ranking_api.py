"""modules/ranking-api on the emulator: what only apply knows, the deployed function through
the route (bad input, the published popularity, overall and of one type), idempotency and
destroy. Configured values are data (tftest.yaml + inventories); bad inputs: modules/*/tests.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from iackit.emulator import ACCOUNT_ID, REGION, local_api_url
from iackit.paths import REPO_ROOT
from iackit.signed_http import request
from tests.harness.assertions import assert_no_changes
from tests.harness.deployed import signed_get

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
        # ARNs known after apply: the route reaches the function, the stage logs to the
        # access log group, the function admits this API's route only.
        api, api_id = boto("apigatewayv2"), outputs["api_id"]
        (route,) = api.get_routes(ApiId=api_id)["Items"]
        integration_id = route["Target"].removeprefix("integrations/")
        integration = api.get_integration(ApiId=api_id, IntegrationId=integration_id)
        assert outputs["function_name"] in integration["IntegrationUri"]
        stage = api.get_stage(ApiId=api_id, StageName="$default")
        assert stage["AccessLogSettings"]["DestinationArn"].endswith(
            f":log-group:{outputs['access_log_group_name']}"
        )
        policy = boto("lambda").get_policy(FunctionName=outputs["function_name"])["Policy"]
        (grant,) = json.loads(policy)["Statement"]
        assert grant["Condition"]["ArnLike"]["AWS:SourceArn"].endswith(f"{api_id}/*/GET/ranking/*")
        assert outputs["invoke_url_example"].endswith("/ranking/<userId>")

        _assert_the_deployed_function_ranks(
            boto, local_api_url(emulator.endpoint, outputs["api_endpoint"])
        )
        assert_no_changes(ws.plan(VARIABLES))


def _rank(url: str, user_id: str, query: str = "") -> tuple[int, Any]:
    return signed_get(f"{url}/ranking/{quote(user_id, safe='')}{query}")


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
