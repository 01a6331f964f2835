"""modules/event-publisher-api on the emulator: the API, routes, stage, function, permissions
and the publisher's policy read back, the deployed publisher invoked (it publishes; bad
requests get their 4xx), idempotency and destroy. One apply, with the secure default AWS_IAM:
the JWT variant is planned (tftest.yaml, modules/event-publisher-api/tests/). The PutEvents
statement names the example's bus, unknown until apply: it is checked on the policy read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from botocore.credentials import Credentials

from iackit.emulator import Emulator, local_api_url
from iackit.lambda_events import http_request
from iackit.paths import REPO_ROOT
from iackit.signed_http import request
from tests.harness.assertions import as_list, assert_no_changes
from tests.harness.deployed import inline_policy, invoke

EXAMPLE = "modules/event-publisher-api/examples/basic"
PACKAGE = str(REPO_ROOT / "build/lambda/publisher.zip")
APPLY_VARS = {"package_path": PACKAGE, "name_prefix": "pubapi"}
Boto = Callable[[str], Any]
# The types API clients may publish, each source its own types only (the catalog's pairs):
# one route each (ranking.* only from the pipeline).
PAIRS = {
    "api.assignment": ["student.submitAssignment"],
    "api.student": ["student.enrolled", "student.registered"],
    "api.teacher": ["teacher.sendAnnouncement"],
}
TYPES = sorted(t for types in PAIRS.values() for t in types)
ENROLL = {"studentId": "S1", "classId": "A1"}


@pytest.mark.apply
def test_apply_creates_the_api_then_converges_and_destroys(
    applied: Callable[..., Any], boto: Boto, emulator: Emulator
) -> None:
    with applied(EXAMPLE, APPLY_VARS) as (ws, out):
        api_gw = boto("apigatewayv2")
        api_id = out["api_id"]
        api = api_gw.get_api(ApiId=api_id)
        assert api["Name"] == "pubapi-student-events-api"
        assert api["ProtocolType"] == "HTTP"

        routes = sorted(api_gw.get_routes(ApiId=api_id)["Items"], key=lambda r: r["RouteKey"])
        assert [(r["RouteKey"], r["AuthorizationType"]) for r in routes] == [
            (f"POST /events/{t}", "AWS_IAM") for t in TYPES
        ]
        assert [r["RouteId"] for r in routes] == [out["route_ids"][t] for t in TYPES]
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

        logs = boto("logs")
        groups = logs.describe_log_groups(logGroupNamePrefix=out["access_log_group_name"])
        assert [(g["retentionInDays"], g.get("kmsKeyId")) for g in groups["logGroups"]] == [
            (7, out["kms_key_arn"])
        ]

        lam = boto("lambda")
        fn = lam.get_function(FunctionName=out["function_name"])["Configuration"]
        assert fn["Handler"] == "publisher.app.lambda_handler"
        assert fn["Environment"]["Variables"]["EVENT_BUS_NAME"] == out["bus_name"]
        policy = json.loads(lam.get_policy(FunctionName=out["function_name"])["Policy"])
        assert {s["Principal"]["Service"] for s in policy["Statement"]} == {
            "apigateway.amazonaws.com"
        }
        sources = sorted(s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in policy["Statement"])
        assert [arn.split(f":{api_id}/", 1)[1] for arn in sources] == [
            f"*/POST/events/{t}" for t in TYPES
        ]

        # The publisher may put events on its bus only, and no statement has a wildcard action.
        inline = inline_policy(boto, out["role_name"], "pubapi-event-publisher-least-privilege")
        puts = [s for s in inline["Statement"] if s["Action"] == "events:PutEvents"]
        assert {s["Resource"] for s in puts} == {out["bus_arn"]}
        # ... and only the client event types (never ranking.*), each with its own source:
        # one statement per source, so no source can carry another source's type.
        pairs: dict[str, list[str]] = {}
        for s in puts:
            (source,) = as_list(s["Condition"]["StringEquals"]["events:source"])
            pairs[source] = sorted(as_list(s["Condition"]["StringEquals"]["events:detail-type"]))
        assert pairs == PAIRS
        assert len(puts) == len(PAIRS)
        assert not [a for s in inline["Statement"] for a in as_list(s["Action"]) if "*" in a]

        _assert_the_route_reaches_the_deployed_publisher(
            local_api_url(emulator.endpoint, out["api_endpoint"])
        )
        _assert_the_deployed_publisher_answers(boto, out["function_name"])

        assert_no_changes(ws.plan(APPLY_VARS))


def _answer(boto: Boto, function: str, event_type: str, body: Any, **kw: Any) -> Any:
    request = http_request("POST", f"/events/{event_type}", None, body, **kw)
    response = invoke(boto, function, request)
    return response["statusCode"], json.loads(response["body"])


def _assert_the_route_reaches_the_deployed_publisher(url: str) -> None:
    """Through the API's local URL, as a client calls it: unsigned is refused by the IAM
    route (403), a signed POST reaches the deployed function and publishes (202)."""
    assert request("POST", f"{url}/events/student.enrolled", ENROLL).status == 403
    credentials = Credentials("testing", "testing")
    signed = request("POST", f"{url}/events/student.enrolled", ENROLL, credentials=credentials)
    assert signed.status == 202, signed.body
    assert UUID(signed.json()["eventIds"][0])


def _assert_the_deployed_publisher_answers(boto: Boto, function: str) -> None:
    """The deployed zip and layer, invoked with API Gateway's payload 2.0 request and
    authorizer contexts the example's IAM route cannot produce (a JWT student, none): it
    publishes to the example's bus (the event id is PutEvents' answer), and rejects bad
    requests with the documented 4xx shape."""
    status, body = _answer(boto, function, "student.enrolled", ENROLL)
    assert status == 202, body
    (event_id,) = body["eventIds"]
    assert UUID(event_id)
    status, body = _answer(boto, function, "student.unknown", {"studentId": "S1"})
    assert (status, body["field"]) == (400, "type"), body
    assert body["error"].startswith("unknown event type 'student.unknown'")
    status, body = _answer(boto, function, "student.enrolled", {"studentId": "S1"})
    assert (status, body) == (
        400,
        {"error": "detail.classId is required", "field": "detail.classId"},
    )
    # The identity is the authorizer's: a student (JWT) enrolling someone else, and a
    # request without any identity, are refused by the deployed code.
    student = {"jwt": {"claims": {"sub": "S2", "scope": "student"}, "scopes": None}}
    status, body = _answer(boto, function, "student.enrolled", ENROLL, authorizer=student)
    assert (status, body["field"]) == (403, "detail.studentId"), body
    status, body = _answer(boto, function, "student.enrolled", ENROLL, authorizer=None)
    assert status == 401, body
    # A client retry with the same Idempotency-Key publishes nothing twice (the deployed
    # code and its table): the same event id comes back, marked as a replay.
    keyed = http_request("POST", "/events/student.enrolled", None, ENROLL)
    keyed["headers"]["idempotency-key"] = "apply-test-1"
    first = json.loads(invoke(boto, function, keyed)["body"])
    again = json.loads(invoke(boto, function, keyed)["body"])
    assert again == {"eventIds": first["eventIds"], "replayed": True}
