"""What the emulator serves besides the AWS APIs: the local invoke URLs of HTTP APIs and
the endpoints tests and `make up` use to act as AWS would on its own.

| route | what |
|---|---|
| `ANY /_aws/execute-api/{api_id}/...` | an HTTP API stage as API Gateway serves it (`apigw.py`) |
| `POST /_iackit/scheduler/fire` | fire a schedule now: `{"name", "group"}` (`scheduler.py`) |
| `POST /_iackit/jwt` | a token from the emulator's test issuer: the claims wanted (`jwt.py`) |

Everything else goes to moto (through the retry-answering dispatcher of `patches/retries.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from iackit.emulator import apigw, jwt, scheduler
from iackit.emulator.patches.retries import dispatch_answering_retries_once

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit


def _body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(min(length, MAX_BODY + 1)) if length > 0 else b""


def _json(start_response: Any, status: int, document: Any) -> list[bytes]:
    body = json.dumps(document).encode()
    start_response(
        apigw.status_line(status),
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def _execute_api(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = _body(environ)
    if len(body) > MAX_BODY:
        return _json(start_response, 413, {"message": "Request Entity Too Large"})
    answer = apigw.serve(environ, body)
    headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
    start_response(
        apigw.status_line(answer.status), [*headers, ("Content-Length", str(len(answer.body)))]
    )
    return [answer.body]


def _fire(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    try:
        request = json.loads(_body(environ) or b"{}")
        name = str(request["name"])
    except (ValueError, KeyError, TypeError):
        return _json(start_response, 400, {"message": 'expected {"name": ..., "group": ...}'})
    try:
        fired = scheduler.fire(
            str(request.get("account", ACCOUNT_ID)),
            str(request.get("region", REGION)),
            str(request.get("group") or "default"),
            name,
        )
    except scheduler.FireError as refusal:
        return _json(start_response, refusal.status, {"message": str(refusal)})
    return _json(start_response, 200, fired.as_json())


def _mint(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    try:
        claims = json.loads(_body(environ) or b"{}")
    except ValueError:
        claims = None
    if not isinstance(claims, dict):
        return _json(start_response, 400, {"message": "expected a JSON object of claims"})
    return _json(start_response, 200, {"token": jwt.mint(claims)})


_ROUTES: dict[tuple[str, str], Callable[[dict[str, Any], Any], list[bytes]]] = {
    ("POST", "/_iackit/scheduler/fire"): _fire,
    ("POST", "/_iackit/jwt"): _mint,
}


def dispatch(
    self: DomainDispatcherApplication, environ: dict[str, Any], start_response: Any
) -> Iterable[bytes]:
    path = str(environ.get("PATH_INFO", ""))
    if path.startswith(apigw.PREFIX):
        return _execute_api(environ, start_response)
    handler = _ROUTES.get((str(environ.get("REQUEST_METHOD")), path))
    if handler is not None:
        return handler(environ, start_response)
    return dispatch_answering_retries_once(self, environ, start_response)


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (DomainDispatcherApplication, "__call__", dispatch),
]
