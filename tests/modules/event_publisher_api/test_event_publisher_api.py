"""modules/event-publisher-api: plan inventory and attributes (IAM / JWT / NONE), apply on
the emulator (API, route, stage, function, permission), idempotency, destroy, bad input.

moto 5.2.5 serves the HTTP API resources; the JWT authorizer variant is covered by plan only
(one apply cycle per module, with the secure default AWS_IAM).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit.paths import REPO_ROOT
from iackit.tf import TerraformError
from tests.harness.assertions import assert_inventory, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/event-publisher-api/examples/basic"
INPUTS = "tests/modules/event_publisher_api/inputs"
PACKAGE = str(REPO_ROOT / "build/lambda/publisher.zip")
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
M = "module.api."


@pytest.fixture(scope="module")
def example(workspace):
    return workspace(EXAMPLE)


@pytest.fixture(scope="module")
def plan(example):
    return example.plan({"package_path": PACKAGE})


@pytest.fixture(scope="module")
def inputs(workspace):
    return workspace(INPUTS)


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_access_logs_are_structured_and_encrypted(plan) -> None:
    stage = plan.values[M + "aws_apigatewayv2_stage.default"]
    log_format = json.loads(stage["access_log_settings"][0]["format"])
    assert log_format["requestId"] == "$context.requestId"
    assert log_format["status"] == "$context.status"
    assert {"routeKey", "integrationError", "authorizerError"} <= set(log_format)
    change = next(
        c for c in plan.resource_changes if c["address"] == M + "aws_cloudwatch_log_group.access"
    )
    assert change["change"]["after_unknown"]["kms_key_id"] is True  # the module's CMK
    key_policy = json.loads(plan.values[M + "aws_kms_key.this[0]"]["policy"])
    logs = next(s for s in key_policy["Statement"] if s["Sid"] == "CloudWatchLogsEncrypts")
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert sorted(logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]) == [
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/example-student-events-api",
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/example-event-publisher",
    ]


@pytest.mark.plan
def test_publisher_may_put_events_on_its_bus_only(inputs) -> None:
    plan = inputs.plan({"package_path": PACKAGE})
    policy = json.loads(plan.values[M + "module.function.aws_iam_role_policy.function"]["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["PutEvents"]["Action"] == "events:PutEvents"
    assert by_sid["PutEvents"]["Resource"] == (
        "arn:aws:events:us-east-1:123456789012:event-bus/inputs-bus"
    )
    for statement in policy["Statement"]:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert all("*" not in a for a in actions), statement


@pytest.mark.plan
def test_jwt_authorization_adds_an_authorizer(example) -> None:
    plan = example.plan(
        {
            "package_path": PACKAGE,
            "authorization_type": "JWT",
            "jwt_issuer": ISSUER,
            "jwt_audience": ["client-1"],
        }
    )
    authorizer = plan.values[M + "aws_apigatewayv2_authorizer.jwt[0]"]
    assert authorizer["authorizer_type"] == "JWT"
    assert authorizer["identity_sources"] == ["$request.header.Authorization"]
    assert authorizer["jwt_configuration"] == [{"issuer": ISSUER, "audience": ["client-1"]}]
    route = plan.values[M + 'aws_apigatewayv2_route.this["publish"]']
    assert route["authorization_type"] == "JWT"
    change = next(
        c
        for c in plan.resource_changes
        if c["address"] == M + 'aws_apigatewayv2_route.this["publish"]'
    )
    assert change["change"]["after_unknown"]["authorizer_id"] is True


@pytest.mark.plan
def test_public_api_has_no_authorizer(example) -> None:
    plan = example.plan({"package_path": PACKAGE, "authorization_type": "NONE"})
    assert not plan.by_type("aws_apigatewayv2_authorizer")
    route = plan.values[M + 'aws_apigatewayv2_route.this["publish"]']
    assert route["authorization_type"] == "NONE"
    assert route.get("authorizer_id") is None


APPLY_VARS = {"package_path": PACKAGE, "name_prefix": "pubapi"}


@pytest.mark.apply
def test_apply_creates_the_api_then_converges_and_destroys(applied, boto) -> None:
    with applied(EXAMPLE, APPLY_VARS) as (ws, out):
        api_gw = boto("apigatewayv2")
        api_id = out["api_id"]
        api = api_gw.get_api(ApiId=api_id)
        assert api["Name"] == "pubapi-student-events-api"
        assert api["ProtocolType"] == "HTTP"

        routes = api_gw.get_routes(ApiId=api_id)["Items"]
        assert [(r["RouteKey"], r["AuthorizationType"]) for r in routes] == [
            ("POST /events/{type}", "AWS_IAM")
        ]
        assert routes[0]["RouteId"] == out["route_ids"]["publish"]
        integration_id = routes[0]["Target"].removeprefix("integrations/")
        integration = api_gw.get_integration(ApiId=api_id, IntegrationId=integration_id)
        assert integration["IntegrationType"] == "AWS_PROXY"
        assert integration["PayloadFormatVersion"] == "2.0"
        assert integration["IntegrationUri"].endswith(":function:pubapi-event-publisher")

        stage = api_gw.get_stage(ApiId=api_id, StageName="$default")
        assert stage["AutoDeploy"] is True
        assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 20
        assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == 10
        assert stage["AccessLogSettings"]["DestinationArn"].endswith(
            ":log-group:/aws/apigateway/pubapi-student-events-api"
        )

        groups = boto("logs").describe_log_groups(logGroupNamePrefix=out["access_log_group_name"])[
            "logGroups"
        ]
        assert [(g["retentionInDays"], g.get("kmsKeyId")) for g in groups] == [
            (7, out["kms_key_arn"])
        ]

        lam = boto("lambda")
        fn = lam.get_function(FunctionName=out["function_name"])["Configuration"]
        assert fn["Handler"] == "publisher.app.lambda_handler"
        assert fn["Environment"]["Variables"]["EVENT_BUS_NAME"] == out["bus_name"]
        policy = json.loads(lam.get_policy(FunctionName=out["function_name"])["Policy"])
        (statement,) = policy["Statement"]
        assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
        assert statement["Condition"]["ArnLike"]["AWS:SourceArn"].endswith(
            f":{api_id}/*/POST/events/*"
        )

        inline = boto("iam").get_role_policy(
            RoleName=out["role_name"], PolicyName="pubapi-event-publisher-least-privilege"
        )["PolicyDocument"]
        inline = json.loads(inline) if isinstance(inline, str) else inline
        put = next(s for s in inline["Statement"] if s["Sid"] == "PutEvents")
        assert put["Resource"] == out["bus_arn"]

        assert_no_changes(ws.plan(APPLY_VARS))


BAD_INPUTS = [
    (
        {"authorization_type": "JWT", "jwt_audience": ["client-1"]},
        "authorization_type = JWT needs jwt_issuer",
    ),
    (
        {"authorization_type": "JWT", "jwt_issuer": ISSUER},
        "authorization_type = JWT needs jwt_audience",
    ),
    ({"jwt_issuer": "http://issuer.example"}, "jwt_issuer must be an https:// URL"),
    ({"authorization_type": "COGNITO"}, "authorization_type must be NONE, AWS_IAM or JWT"),
    ({"name_prefix": "Prod"}, "name_prefix must be 2-16 characters"),
    ({"event_bus_arn": "inputs-bus"}, "event_bus_arn must be an event bus ARN"),
    ({"throttling_rate_limit": 0}, "throttling_rate_limit must be greater than 0"),
    ({"timeout": 30}, "timeout must be 1-29 seconds"),
]


@pytest.mark.plan
@pytest.mark.parametrize(("variables", "message"), BAD_INPUTS, ids=[m[:40] for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(inputs, variables, message) -> None:
    with pytest.raises(TerraformError) as error:
        inputs.plan({"package_path": PACKAGE, **variables})
    assert message in " ".join(str(error.value).split())
