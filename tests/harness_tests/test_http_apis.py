"""HTTP APIs are served on local invoke URLs (`iackit.emulator.apigw`): route matching,
payload format 2.0 to the deployed function, AWS_IAM (SigV4) and JWT authorization, the
function's resource policy, access logs. Without the emulator's routes every request here
is a 404 from moto, and each test checks one behaviour API Gateway has."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.credentials import Credentials

from iackit.emulator import Emulator
from iackit.emulator.apigw import local_url, match_route, path_parameters
from iackit.signed_http import request
from tests.harness_tests.test_lambda_runtime import client, deploy

__all__ = ["deploy"]  # the fixture, re-used
pytestmark = pytest.mark.unit
CREDENTIALS = Credentials("testing", "testing", "testing")
ISSUER = "https://issuer.example.com"

# The function answers with what API Gateway gave it (route, parameters, authorizer).
ECHO = """
import json

def handler(event, context):
    if event.get("rawQueryString") == "raw":
        return {"plain": True}
    return {
        "statusCode": 201,
        "headers": {"X-Echo": "1"},
        "body": json.dumps(event),
    }
"""


class Route:
    def __init__(self, route_key: str) -> None:
        self.route_key = route_key


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/ranking/S1", "GET /ranking/{userId}"),
        ("GET", "/ranking/top", "GET /ranking/top"),
        ("POST", "/ranking/S1", "ANY /ranking/{userId}"),
        ("GET", "/files/a/b/c", "GET /files/{proxy+}"),
        ("GET", "/files", "$default"),
        ("DELETE", "/elsewhere", "$default"),
    ],
)
def test_the_most_specific_route_wins(method: str, path: str, expected: str) -> None:
    keys = [
        "$default",
        "GET /ranking/{userId}",
        "GET /ranking/top",
        "ANY /ranking/{userId}",
        "GET /files/{proxy+}",
    ]
    assert match_route([Route(k) for k in keys], method, path).route_key == expected


def test_path_parameters_are_taken_from_the_route_key() -> None:
    assert path_parameters("GET /ranking/{userId}", "/ranking/S1") == {"userId": "S1"}
    assert path_parameters("GET /files/{proxy+}", "/files/a/b") == {"proxy": "a/b"}
    assert path_parameters("$default", "/x") == {}


@pytest.fixture
def api(aws: Emulator, deploy: Callable[..., str]) -> dict[str, Any]:
    """One HTTP API: an IAM route, a JWT route with a scope, an open $default route, all to
    the echo function; API Gateway may invoke it from GET routes only."""
    arn = deploy("echo", {"app.py": ECHO})
    gw = client(aws, "apigatewayv2")
    api_id = gw.create_api(Name="echo", ProtocolType="HTTP")["ApiId"]
    logs = client(aws, "logs")
    logs.create_log_group(logGroupName="/access/echo")
    gw.create_stage(
        ApiId=api_id,
        StageName="$default",
        AutoDeploy=True,
        AccessLogSettings={
            "DestinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:/access/echo",
            "Format": '{"route":"$context.routeKey","status":"$context.status"}',
        },
    )
    integration = gw.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=arn,
        PayloadFormatVersion="2.0",
    )["IntegrationId"]
    authorizer = gw.create_authorizer(
        ApiId=api_id,
        AuthorizerType="JWT",
        Name="jwt",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": ISSUER, "Audience": ["students"]},
    )["AuthorizerId"]
    target = f"integrations/{integration}"
    gw.create_route(
        ApiId=api_id, RouteKey="GET /ranking/{userId}", AuthorizationType="AWS_IAM", Target=target
    )
    gw.create_route(
        ApiId=api_id,
        RouteKey="GET /teacher/{classId}",
        AuthorizationType="JWT",
        AuthorizerId=authorizer,
        AuthorizationScopes=["teacher"],
        Target=target,
    )
    gw.create_route(ApiId=api_id, RouteKey="$default", AuthorizationType="NONE", Target=target)
    client(aws, "lambda").add_permission(
        FunctionName="echo",
        StatementId="apigw-get",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*/GET/*",
    )
    return {"id": api_id, "url": local_url(aws.endpoint, api_id)}


def token(aws: Emulator, **claims: Any) -> str:
    minted = request("POST", f"{aws.endpoint}/_iackit/jwt", claims)
    return str(minted.json()["token"])


def test_a_signed_request_reaches_the_function_with_payload_2(api: dict[str, Any]) -> None:
    answer = request("GET", f"{api['url']}/ranking/S1?numResults=5", credentials=CREDENTIALS)
    assert answer.status == 201, answer.body
    assert answer.headers["X-Echo"] == "1"
    event = answer.json()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /ranking/{userId}"
    assert event["pathParameters"] == {"userId": "S1"}
    assert event["queryStringParameters"] == {"numResults": "5"}
    assert event["requestContext"]["apiId"] == api["id"]
    assert event["requestContext"]["stage"] == "$default"
    assert event["requestContext"]["authorizer"]["iam"]["accessKey"] == "testing"


def test_an_unsigned_or_badly_signed_request_is_refused_403(api: dict[str, Any]) -> None:
    unsigned = request("GET", f"{api['url']}/ranking/S1")
    assert (unsigned.status, unsigned.json()) == (403, {"message": "Forbidden"})
    wrong = request(
        "GET", f"{api['url']}/ranking/S1", credentials=Credentials("testing", "not-the-secret")
    )
    assert wrong.status == 403
    assert "signature" in wrong.json()["message"]
    unknown = request("GET", f"{api['url']}/ranking/S1", credentials=Credentials("AKIANO", "x"))
    assert unknown.status == 403


def test_jwt_routes_check_issuer_audience_and_scopes(aws: Emulator, api: dict[str, Any]) -> None:
    url = f"{api['url']}/teacher/A1"
    good = token(aws, iss=ISSUER, aud="students", sub="T1", scope="teacher")
    answer = request("GET", url, token=good)
    assert answer.status == 201, answer.body
    jwt = answer.json()["requestContext"]["authorizer"]["jwt"]
    assert (jwt["claims"]["sub"], jwt["scopes"]) == ("T1", ["teacher"])
    wrong_scope = token(aws, iss=ISSUER, aud="students", sub="S1", scope="student")
    assert request("GET", url, token=wrong_scope).status == 403
    assert request("GET", url, token=token(aws, iss="https://evil", aud="students")).status == 401
    assert request("GET", url, token=token(aws, iss=ISSUER, aud="other")).status == 401
    expired = token(aws, iss=ISSUER, aud="students", scope="teacher", exp=1)
    assert request("GET", url, token=expired).status == 401
    assert request("GET", url).status == 401
    assert request("GET", url, token=good[:-2] + "xx").status == 401


def test_default_route_plain_answers_and_unknown_apis(aws: Emulator, api: dict[str, Any]) -> None:
    plain = request("GET", f"{api['url']}/anything?raw")
    assert (plain.status, plain.json()) == (200, {"plain": True})
    gone = request("GET", f"{local_url(aws.endpoint, 'nosuchapi')}/x")
    assert (gone.status, gone.json()) == (404, {"message": "Not Found"})


def test_api_gateway_needs_the_functions_permission(api: dict[str, Any]) -> None:
    """The permission allows GET only: a POST reaches the $default route, and API Gateway
    cannot invoke the function (500, as on AWS)."""
    answer = request("POST", f"{api['url']}/anything", {"a": 1})
    assert (answer.status, answer.json()) == (500, {"message": "Internal Server Error"})


def test_each_request_writes_an_access_log_line(aws: Emulator, api: dict[str, Any]) -> None:
    request("GET", f"{api['url']}/ranking/S1")
    events = client(aws, "logs").filter_log_events(logGroupName="/access/echo")["events"]
    lines = [json.loads(e["message"]) for e in events]
    assert lines == [{"route": "GET /ranking/{userId}", "status": "403"}]
