"""modules/ranking-api: HTTP API GET /ranking/{userId} -> ranking Lambda, throttled $default
stage with encrypted access logs, least-privilege policy per deploy mode, authorization
options; apply on the emulator, idempotency, destroy and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit.emulator import ACCOUNT_ID, REGION
from iackit.paths import REPO_ROOT
from tests.harness.assertions import assert_inventory, assert_no_changes
from tests.modules.student_data.helpers import BadInputBatches, Case

HERE = Path(__file__).parent
EXAMPLE = "modules/ranking-api/examples/basic"
PREFIX = "ratest"
RANKING_ZIP = str(REPO_ROOT / "build/lambda/ranking.zip")
BASE_VARS = {"name_prefix": PREFIX, "package_path": RANKING_ZIP}
M = "module.ranking_api"
POLICY = f"{M}.module.function.aws_iam_role_policy.function"
BUCKET_ARN = f"arn:aws:s3:::{PREFIX}-ranking-data-{ACCOUNT_ID}-{REGION}"
EXTERNAL_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/99999999-8888-7777-6666-555555555555"
CAMPAIGN_PATTERN = f"arn:aws:personalize:{REGION}:{ACCOUNT_ID}:campaign/{PREFIX}-*"


@pytest.fixture(scope="module")
def ws(workspace):
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(ws):
    return ws.plan(BASE_VARS)


@pytest.fixture(scope="module")
def keyed_plan(ws):
    """With a given key the function's policy is known at plan time."""
    return ws.plan({**BASE_VARS, "kms_key_arn": EXTERNAL_KEY})


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _statements(policy_json: str) -> dict[str, dict]:
    return {s["Sid"]: s for s in json.loads(policy_json)["Statement"]}


def _actions(statements: dict[str, dict]) -> set[str]:
    return {a for s in statements.values() for a in _as_list(s["Action"])}


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_access_logs_are_json_with_request_fields(plan) -> None:
    stage = plan.values[f"{M}.aws_apigatewayv2_stage.default"]
    (settings,) = stage["access_log_settings"]
    fields = json.loads(settings["format"])
    assert fields["requestId"] == "$context.requestId"
    assert fields["routeKey"] == "$context.routeKey"
    assert fields["status"] == "$context.status"


@pytest.mark.plan
def test_batch_mode_policy_reads_only_batch_results(keyed_plan) -> None:
    assert not keyed_plan.by_type("aws_kms_key")
    statements = _statements(keyed_plan.values[POLICY]["policy"])
    assert statements["ReadRankingParameter"]["Action"] == "ssm:GetParameter"
    assert statements["ReadRankingParameter"]["Resource"] == (
        f"arn:aws:ssm:{REGION}:{ACCOUNT_ID}:parameter/{PREFIX}/ranking/current"
    )
    assert set(_as_list(statements["PopularityFallback"]["Action"])) == {
        "dynamodb:Query",
        "dynamodb:Scan",
    }
    assert statements["PopularityFallback"]["Resource"] == (
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{PREFIX}-Interactions"
    )
    assert statements["ReadBatchResults"]["Action"] == "s3:GetObject"
    assert statements["ReadBatchResults"]["Resource"] == f"{BUCKET_ARN}/personalize/batch/output/*"
    assert statements["ListBatchResults"]["Resource"] == BUCKET_ARN
    assert statements["ListBatchResults"]["Condition"] == {
        "StringLike": {"s3:prefix": "personalize/batch/output/*"}
    }
    assert statements["DecryptBatchResults"]["Condition"] == {
        "StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}
    }
    assert statements["DecryptInteractions"]["Condition"] == {
        "StringEquals": {"kms:ViaService": f"dynamodb.{REGION}.amazonaws.com"}
    }
    assert not any(a.startswith("personalize:") for a in _actions(statements))
    assert all("*" not in a for a in _actions(statements))


@pytest.mark.plan
def test_campaign_mode_policy_allows_only_own_campaigns(ws) -> None:
    variant = ws.plan(
        {
            **BASE_VARS,
            "deploy_mode": "campaign",
            "recipe": "aws-personalized-ranking-v2",
            "kms_key_arn": EXTERNAL_KEY,
        }
    )
    statements = _statements(variant.values[POLICY]["policy"])
    recommendations = statements["GetRecommendations"]
    assert set(_as_list(recommendations["Action"])) == {
        "personalize:GetRecommendations",
        "personalize:GetPersonalizedRanking",
    }
    assert recommendations["Resource"] == CAMPAIGN_PATTERN
    assert not any(a.startswith("s3:") for a in _actions(statements))
    fn = variant.values[f"{M}.module.function.aws_lambda_function.this"]
    assert fn["environment"][0]["variables"]["RANKING_RECIPE"] == "aws-personalized-ranking-v2"


@pytest.mark.plan
def test_jwt_authorization_variant(ws) -> None:
    variant = ws.plan(
        {
            **BASE_VARS,
            "authorization_type": "JWT",
            "jwt_issuer": "https://issuer.example.com/pool",
            "jwt_audience": ["ranking-client"],
        }
    )
    (authorizer,) = variant.by_type("aws_apigatewayv2_authorizer").values()
    assert authorizer["authorizer_type"] == "JWT"
    assert authorizer["identity_sources"] == ["$request.header.Authorization"]
    assert authorizer["jwt_configuration"] == [
        {"issuer": "https://issuer.example.com/pool", "audience": ["ranking-client"]}
    ]
    route = variant.values[f"{M}.aws_apigatewayv2_route.ranking"]
    assert route["authorization_type"] == "JWT"


@pytest.mark.apply
def test_apply_creates_api_route_stage_and_function_then_converges_and_destroys(
    applied, boto
) -> None:
    variables = {**BASE_VARS, "authorization_type": "NONE"}
    with applied(EXAMPLE, variables) as (ws, outputs):
        api = boto("apigatewayv2")
        api_id = outputs["api_id"]
        assert api.get_api(ApiId=api_id)["ProtocolType"] == "HTTP"
        (route,) = api.get_routes(ApiId=api_id)["Items"]
        assert route["RouteKey"] == "GET /ranking/{userId}"
        assert route["AuthorizationType"] == "NONE"
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

        assert_no_changes(ws.plan(variables))


BAD_INPUTS = BadInputBatches(
    [
        Case({"name_prefix": "x"}, "name_prefix must be 2-16 characters"),
        Case({"recipe": "aws-similar-items"}, "recipe must be aws-user-personalization-v2 or"),
        Case({"deploy_mode": "realtime"}, "deploy_mode must be campaign or batch"),
        Case({"authorization_type": "COGNITO"}, "authorization_type must be NONE, AWS_IAM or JWT"),
        Case({"jwt_issuer": "http://insecure.example.com"}, "jwt_issuer must be null or an https"),
        Case({"throttling_burst_limit": 0}, "throttling_burst_limit must be a whole number"),
        Case({"throttling_rate_limit": 0}, "throttling_rate_limit must be greater than 0"),
        Case({"fallback_limit": 101}, "fallback_limit must be a whole number between 1 and 100"),
        Case({"timeout": 30}, "timeout must be a whole number of seconds between 1 and 29"),
        Case({"package_path": "/tmp/ranking.jar"}, "package_path must point to the ranking .zip"),
        Case({"authorization_type": "JWT"}, "authorization_type JWT needs jwt_issuer", alone=True),
        Case({"with_data_bucket": False}, "deploy_mode batch needs data_bucket_arn", alone=True),
    ]
)


@pytest.mark.plan
@pytest.mark.parametrize("case", BAD_INPUTS.cases, ids=[c.id for c in BAD_INPUTS.cases])
def test_bad_input_fails_at_plan_with_clear_message(ws, case) -> None:
    assert case.message in BAD_INPUTS.error_for(case, ws.plan, BASE_VARS)
