"""Authorization matrix (issue 16): caller x event type x target -> allowed or denied, through
the publisher's and the ranking API's handlers with API Gateway authorizer contexts (AWS_IAM:
``authorizer.iam``; JWT: ``authorizer.jwt`` claims and scopes; public route: none)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iackit.lambda_events import IAM_AUTHORIZER, http_request
from publisher.app import handle
from publisher.publish import RetryPolicy
from ranking import app as ranking_app
from student_platform.auth import caller_from

pytestmark = pytest.mark.unit


def jwt(sub: str | None, scope: str, **claims: Any) -> dict[str, Any]:
    all_claims = {"iss": "https://issuer.example", "scope": scope, **claims}
    if sub is not None:
        all_claims["sub"] = sub
    return {"jwt": {"claims": all_claims, "scopes": None}}


CALLERS: dict[str, dict[str, Any] | None] = {
    "iam-service": dict(IAM_AUTHORIZER),
    "student-S1": jwt("S1", "student"),
    "student-S2": jwt("S2", "student"),
    "teacher-T1(A1)": jwt("T1", "teacher", classes="A1,C3"),
    "teacher-T2(B2)": jwt("T2", "teacher", **{"custom:classes": "B2"}),
    "admin": jwt("ops-1", "openid admin"),
    "no-scope-S1": jwt("S1", "openid"),
    "jwt-without-sub": jwt(None, "admin"),
    "anonymous": None,
}

ANNOUNCE = "teacher.sendAnnouncement"
TARGETS: dict[str, tuple[str, dict[str, Any]]] = {
    "enroll S1": ("student.enrolled", {"studentId": "S1", "classId": "A1"}),
    "submit S1": (
        "student.submitAssignment",
        {"studentId": "S1", "fileUrl": "https://files.example.com/S1/a.pdf"},
    ),
    "announce T1->A1": (ANNOUNCE, {"teacherId": "T1", "content": "x", "classId": "A1"}),
    "announce T1->B2": (ANNOUNCE, {"teacherId": "T1", "content": "x", "classId": "B2"}),
    "announce T1->all": (ANNOUNCE, {"teacherId": "T1", "content": "x"}),
    "retrain": ("ranking.requestUpdate", {"trigger": "manual"}),
}  # fmt: skip

# caller -> the status for each target, in TARGETS order.
A, D, U, X = 202, 403, 401, 403  # allowed, denied, unauthenticated, internal type
MATRIX: dict[str, tuple[int, ...]] = {
    #                  enroll  submit  T1->A1  T1->B2  T1->all  retrain
    "iam-service":     (A,     A,      A,      A,      A,       X),
    "student-S1":      (A,     A,      D,      D,      D,       X),
    "student-S2":      (D,     D,      D,      D,      D,       X),
    "teacher-T1(A1)":  (D,     D,      A,      D,      D,       X),
    "teacher-T2(B2)":  (D,     D,      D,      D,      D,       X),
    "admin":           (A,     A,      A,      A,      A,       X),
    "no-scope-S1":     (D,     D,      D,      D,      D,       X),
    "jwt-without-sub": (U,     U,      U,      U,      U,       U),
    "anonymous":       (U,     U,      U,      U,      U,       U),
}  # fmt: skip


class RecordingEvents:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        self.entries.extend(Entries)
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "e"} for _ in Entries]}


CASES = [
    pytest.param(caller, target, MATRIX[caller][i], id=f"{caller} / {target}")
    for caller in CALLERS
    for i, target in enumerate(TARGETS)
]


@pytest.mark.parametrize("route", ["per-type", "{type}"])
@pytest.mark.parametrize(("caller", "target", "expected"), CASES)
def test_publisher_authorization_matrix(
    caller: str, target: str, expected: int, route: str
) -> None:
    detail_type, detail = TARGETS[target]
    if route == "per-type":  # POST /events/student.enrolled: no path parameter
        request = http_request(
            "POST", f"/events/{detail_type}", None, detail, authorizer=CALLERS[caller]
        )
    else:
        request = http_request(
            "POST", "/events/{type}", {"type": detail_type}, detail, authorizer=CALLERS[caller]
        )
    events = RecordingEvents()

    response = handle(request, "bus", events, RetryPolicy(max_attempts=1))

    body = json.loads(response["body"])
    assert response["statusCode"] == expected, body
    assert len(events.entries) == (1 if expected == 202 else 0)
    if expected != 202:
        assert body["field"]


def test_the_identity_comes_from_the_authorizer_not_the_body() -> None:
    # A student naming another student in the body is refused whatever the body says.
    detail = {"studentId": "S2", "classId": "A1"}
    request = http_request(
        "POST", "/events/student.enrolled", None, detail, authorizer=CALLERS["student-S1"]
    )
    response = handle(request, "bus", RecordingEvents(), RetryPolicy(max_attempts=1))
    assert response["statusCode"] == 403
    assert json.loads(response["body"])["field"] == "detail.studentId"


def test_scope_names_follow_auth_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "AUTH_SCOPES", json.dumps({"student": "platform/student", "admin": "platform/admin"})
    )
    event = http_request("GET", "/x", None, authorizer=jwt("S1", "platform/student student"))
    caller = caller_from(event)
    assert caller.roles == frozenset({"student"})
    assert not caller_from(http_request("GET", "/x", None, authorizer=jwt("S1", "admin"))).is_admin


# --- ranking: userId bound to the caller unless admin ---------------------------------------

RANKING: dict[str, int] = {
    "iam-service": 200,
    "student-S1": 200,
    "student-S2": 403,
    "teacher-T1(A1)": 403,
    "teacher-T2(B2)": 403,
    "admin": 200,
    "no-scope-S1": 200,  # their own ranking needs no scope
    "jwt-without-sub": 401,
    "anonymous": 401,
}


@pytest.mark.parametrize(("caller", "expected"), RANKING.items())
def test_ranking_reads_only_the_callers_own_ranking(
    caller: str, expected: int, monkeypatch: pytest.MonkeyPatch, lambda_context: Any
) -> None:
    served: list[str] = []
    monkeypatch.setenv("RANKING_PARAMETER_NAME", "/p")
    monkeypatch.setenv("INTERACTIONS_TABLE_NAME", "t")
    monkeypatch.setattr(ranking_app, "cached_client", lambda name: None)
    monkeypatch.setattr(ranking_app, "personalize_runtime_client", lambda: None)

    def fake_rank(user_id: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        served.append(user_id)
        return {"userId": user_id, "items": []}

    monkeypatch.setattr(ranking_app, "rank", fake_rank)
    request = http_request("GET", "/ranking/{userId}", {"userId": "S1"}, authorizer=CALLERS[caller])

    response = ranking_app.lambda_handler(request, lambda_context)

    assert response["statusCode"] == expected, response["body"]
    assert served == (["S1"] if expected == 200 else [])
