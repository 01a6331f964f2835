"""Every service: an SDK retry of a call that succeeded gets the first answer again.

The AWS SDKs resend a call whose answer they did not get, with the same
`amz-sdk-invocation-id` and `amz-sdk-request: attempt=N`. For an answer the server logged as
200 that can only be a transport error on the client's side; it happens a few times per run
(6 in one full test run, 2 in one `make up` + `make down`, mostly reads, once a CreateTable
that failed an apply). moto would run the call again, so a retried CreateTable that had
succeeded failed the apply with "Table already exists". Here moto's request dispatcher
answers a retry of a call whose first attempt succeeded (2xx/3xx, not GET or HEAD) with that
first answer again, and the log names the call; a call without those headers, a new
invocation, or a retry after a refusal or a 5xx runs as usual.
"""

from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_dispatch = DomainDispatcherApplication.__call__
_ATTEMPT = re.compile(r"attempt=(\d+)")
_SIGNING_SERVICE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]+)/")
# Successful answers by SDK invocation id: far more than the calls in flight, bounded.
_ANSWERED: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
_ANSWERED_LOCK = threading.Lock()
ANSWERED_CAPACITY = 1024
ANSWERED_MAX_BODY = 256 * 1024


def _attempt(environ: dict[str, Any]) -> int:
    match = _ATTEMPT.search(environ.get("HTTP_AMZ_SDK_REQUEST", ""))
    return int(match.group(1)) if match else 1


def _call_name(environ: dict[str, Any]) -> str:
    """`X-Amz-Target`, or the signing scope's service and the query protocol's `Action=`
    (the body is read here and put back for moto)."""
    if target := environ.get("HTTP_X_AMZ_TARGET"):
        return str(target)
    scope = _SIGNING_SERVICE.search(environ.get("HTTP_AUTHORIZATION", ""))
    call = f"{scope.group(1) if scope else '?'} {environ.get('PATH_INFO')}"
    length = environ.get("CONTENT_LENGTH")
    if not length or "form-urlencoded" not in environ.get("CONTENT_TYPE", ""):
        return call
    body = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)
    action = re.search(rb"(?:^|&)Action=([A-Za-z0-9]+)", body)
    return f"{call} {action.group(1).decode()}" if action else call


def dispatch_answering_retries_once(
    self: DomainDispatcherApplication, environ: dict[str, Any], start_response: Any
) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/moto-api/reset":
        with _ANSWERED_LOCK:
            _ANSWERED.clear()
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "")
    if not invocation or environ.get("REQUEST_METHOD") in {"GET", "HEAD", "OPTIONS"}:
        return _dispatch(self, environ, start_response)
    attempt = _attempt(environ)
    if attempt > 1:
        with _ANSWERED_LOCK:
            answered = _ANSWERED.get(invocation)
        call = _call_name(environ)
        if answered is None:
            print(f"emulator: attempt {attempt} of {call} ({invocation}) runs", flush=True)
        else:
            status, headers, body = answered
            print(
                f"emulator: attempt {attempt} of {call} ({invocation}) "
                f"gets the first attempt's answer again: {status}",
                flush=True,
            )
            start_response(status, headers)
            return [body]
    seen: dict[str, Any] = {}

    def remember_status(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        seen.update(status=status, headers=list(headers))
        return start_response(status, headers, *exc)

    answer = _dispatch(self, environ, remember_status)
    try:
        body = b"".join(answer)
    finally:
        getattr(answer, "close", lambda: None)()
    status = seen.get("status", "")
    # Only calls that took effect: after a refusal or a 5xx the retry must run again.
    if status[:1] in {"2", "3"} and len(body) <= ANSWERED_MAX_BODY:
        with _ANSWERED_LOCK:
            _ANSWERED[invocation] = (status, seen["headers"], body)
            while len(_ANSWERED) > ANSWERED_CAPACITY:
                _ANSWERED.popitem(last=False)
    return [body]


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (DomainDispatcherApplication, "__call__", dispatch_answering_retries_once),
]
