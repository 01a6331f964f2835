"""Amazon Personalize on the emulator: the control plane and the runtime, served by moto.

moto 5.2.5 implements only Personalize schemas. This package replaces the routes of moto's
`personalize` backend (`PATCHES`: the backend's URL paths) with its own handlers:

- `POST /` with `X-Amz-Target: AmazonPersonalize.<Operation>` (JSON 1.1): the control
  plane in `control.py` (dataset groups, schemas, datasets, import jobs, filters, recipes,
  solutions, solution versions, campaigns, batch inference jobs, event trackers);
- `POST /recommendations`, `POST /personalize-ranking` (rest-json, `personalize-runtime`,
  whose requests are signed as `personalize` and so reach the same backend): the runtime.

State lives on moto's `PersonalizeBackend` instance of the account and region, so
`/moto-api/reset` forgets it. Import jobs and batch inference jobs read and write moto's S3
in process. An operation this package does not emulate answers 400
`InvalidInputException` naming it (never a 500 an SDK would retry).
What it proves and what it does not: docs/emulator.md, "Personalize".
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Final

from moto.core.responses import BaseResponse
from moto.personalize.models import PersonalizeBackend, personalize_backends
from moto.s3.models import s3_backends

from iackit.emulator.personalize.control import (
    CONTROL_OPERATIONS,
    PersonalizeError,
    PersonalizeState,
    snake,
)

_LOCK: Final = threading.RLock()
_RUNTIME_PATHS: Final = {
    "/recommendations": "get_recommendations",
    "/personalize-ranking": "get_personalized_ranking",
}


def _s3_reader(account: str) -> Any:
    def read(bucket_name: str, key: str) -> list[tuple[str, bytes]]:
        backend = s3_backends[account]["aws"]
        bucket = backend.get_bucket(bucket_name)  # raises for a missing bucket
        names = (
            [key]
            if key in bucket.keys
            else sorted(k for k in bucket.keys if k.startswith(key) and not k.endswith("/"))
        )
        found: list[tuple[str, bytes]] = []
        for name in names:
            obj = backend.get_object(bucket_name, name)
            if obj is not None:
                found.append((name, bytes(obj.value)))
        return found

    def safe_read(bucket_name: str, key: str) -> list[tuple[str, bytes]]:
        try:
            return read(bucket_name, key)
        except Exception:  # a missing bucket or key reads as no data
            return []

    return safe_read


def _s3_writer(account: str) -> Any:
    def write(bucket_name: str, key: str, body: bytes) -> None:
        s3_backends[account]["aws"].put_object(bucket_name, key, body)

    return write


def state_for(account: str, region: str) -> PersonalizeState:
    backend = personalize_backends[account][region]
    state = backend.__dict__.get("_iackit_state")
    if state is None:
        state = PersonalizeState(
            account=account,
            region=region,
            read_s3=_s3_reader(account),
            write_s3=_s3_writer(account),
        )
        backend.__dict__["_iackit_state"] = state
    return state


def _answer(status: int, body: dict[str, Any], error: str | None = None) -> Any:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if error:
        headers["x-amzn-ErrorType"] = error
    return status, headers, json.dumps(body)


def handle(request: Any, full_url: str, headers: Any) -> Any:
    """The one handler of every Personalize route (control plane and runtime)."""
    response = BaseResponse(service_name="personalize")
    response.setup_class(request, full_url, headers)
    path = re.sub(r"/+$", "", response.parsed_url.path) or "/"
    if path in _RUNTIME_PATHS:
        action = _RUNTIME_PATHS[path]
    else:
        target = response.headers.get("X-Amz-Target") or response.headers.get("x-amz-target")
        action = snake(str(target or "").rsplit(".", 1)[-1])
        if action not in CONTROL_OPERATIONS:
            return _answer(
                400,
                {"__type": "InvalidInputException", "message": f"{target} is not emulated"},
                "InvalidInputException",
            )
    try:
        params = json.loads(response.body or "{}")
        if not isinstance(params, dict):
            raise ValueError("not an object")
    except ValueError:
        return _answer(
            400,
            {
                "__type": "InvalidInputException",
                "message": "The request body is not a JSON object.",
            },
            "InvalidInputException",
        )
    with _LOCK:
        state = state_for(response.current_account, response.region)
        state.settle()
        try:
            return _answer(200, getattr(state, action)(params))
        except PersonalizeError as exc:
            return _answer(400, {"__type": exc.code, "message": exc.message}, exc.code)
        finally:
            state.clock.advance()


def url_paths(self: PersonalizeBackend) -> dict[str, Any]:
    """Replaces `BaseBackend.url_paths` for Personalize: our handler on every route."""
    return {"/$": handle, "/recommendations$": handle, "/personalize-ranking$": handle}


PATCHES: list[tuple[Any, str, Any]] = [
    (PersonalizeBackend, "url_paths", property(url_paths)),
]
