"""HTTP requests to API Gateway URLs, SigV4-signed for `execute-api` as AWS callers sign
them (botocore's signer), or with a bearer token, or unsigned. The same code talks to a
real deployment and to the emulator's local invoke URLs (`iackit.emulator.apigw`)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TIMEOUT = 30.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


def request(
    method: str,
    url: str,
    body: Any = None,
    *,
    credentials: Credentials | None = None,
    region: str = "us-east-1",
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request; `credentials` signs it (SigV4, service `execute-api`), `token` sends
    `Authorization: Bearer`. A JSON-serialisable `body` is sent as JSON."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if credentials is not None:
        prepared = AWSRequest(method=method, url=url, data=data, headers=sent)
        SigV4Auth(credentials, "execute-api", region).add_auth(prepared)
        sent = dict(prepared.headers.items())
    call = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310
    try:
        with urllib.request.urlopen(call, timeout=TIMEOUT) as answer:  # noqa: S310
            return Response(answer.status, dict(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as refused:
        return Response(refused.code, dict(refused.headers.items()), refused.read())
