"""HTTP APIs served locally: the invoke URL of every HTTP API stage on the emulator's port.

moto 5.2.5 stores API Gateway v2 APIs, routes, integrations, authorizers and stages but
serves none of them. Here a request to

    {emulator}/_aws/execute-api/{api_id}/{path}            ($default stage)
    {emulator}/_aws/execute-api/{api_id}/{stage}/{path}    (a named stage)

is handled as API Gateway handles one for `https://{api_id}.execute-api.{region}.amazonaws.com`:

- the stage and route are chosen as AWS does (the most specific route key: literal
  segments before `{param}`, before `{proxy+}`; a method before `ANY`; `$default` last);
- the route's authorization: `AWS_IAM` needs a SigV4 signature for `execute-api` made with
  credentials this emulator knows (`sigv4.py`), else 403; `JWT` needs a token from the
  emulator's test issuer whose `iss`, audience and expiry match the authorizer and that
  carries one of the route's scopes (`jwt.py`), else 401/403;
- the Lambda integration: API Gateway must be allowed to invoke the function (a resource
  policy statement for `apigateway.amazonaws.com` whose `AWS:SourceArn` matches
  `{execution_arn}/{stage}/{METHOD}{path}`), else 500 as on AWS; the function's deployed
  zip runs with the payload format 2.0 event, and its answer is mapped back to HTTP
  (`statusCode`/`headers`/`body`/`cookies`, or any other value as a JSON 200);
- a function error or timeout is a 500 `{"message":"Internal Server Error"}`;
- one access log line per request in the stage's access log group, in its format.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from iackit.emulator import sigv4
from iackit.emulator.jwt import TokenError, authorize, scopes_of

PREFIX = "/_aws/execute-api/"
_FUNCTION_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[^:/]+:\d{12}:function:[^/:]+(?::[^/]+)?")
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def local_url(endpoint: str, api_id: str, stage: str = "$default") -> str:
    """The local invoke URL of a stage (no trailing slash)."""
    base = f"{endpoint.rstrip('/')}{PREFIX}{api_id}"
    return base if stage == "$default" else f"{base}/{stage}"


@dataclass
class Matched:
    """The API, stage and route a request reached."""

    api: Any
    account: str
    region: str
    stage: str
    route: Any
    path: str  # without the stage


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    integration_status: int | None = None
    error: str = ""


def _message(status: int, message: str) -> Answer:
    body = json.dumps({"message": message}).encode()
    return Answer(status, {"Content-Type": "application/json"}, body, error=message)


def _find_api(api_id: str) -> tuple[Any, str, str] | None:
    from moto.apigatewayv2.models import apigatewayv2_backends  # noqa: PLC0415

    for account, regions in apigatewayv2_backends.items():
        for region, backend in regions.items():
            if api_id in backend.apis:
                return backend.apis[api_id], account, region
    return None


def _split_stage(api: Any, rest: str) -> tuple[str, str] | None:
    """(stage name, path) for the part of the URL after the API id."""
    first = rest.lstrip("/").split("/", 1)[0]
    if first and first != "$default" and first in api.stages:
        path = rest.lstrip("/")[len(first) :]
        return first, path or "/"
    if "$default" in api.stages:
        return "$default", rest or "/"
    return None


def _segments_match(want: list[str], have: list[str]) -> tuple[int, int, int] | None:
    """(literal segments, parameters, 1 unless greedy) if the route path matches."""
    literal = params = 0
    for index, segment in enumerate(want):
        if segment.startswith("{") and segment.endswith("+}"):
            greedy_ok = index == len(want) - 1 and len(have) > index
            return (literal, params, 0) if greedy_ok else None
        if index >= len(have) or not (segment.startswith("{") or segment == have[index]):
            return None
        params += segment.startswith("{")
        literal += not segment.startswith("{")
    return (literal, params, 1) if len(have) == len(want) else None


def _specificity(route_key: str, method: str, path: str) -> tuple[int, ...] | None:
    """How well `route_key` matches (greater is more specific), or None."""
    if route_key == "$default":
        return (0,)
    route_method, _, route_path = route_key.partition(" ")
    if route_method not in (method, "ANY"):
        return None
    found = _segments_match(
        [s for s in route_path.split("/") if s], [s for s in path.split("/") if s]
    )
    return None if found is None else (1, *found, int(route_method != "ANY"))


def match_route(routes: Iterable[Any], method: str, path: str) -> Any | None:
    scored = [(_specificity(r.route_key, method, path), r) for r in routes]
    found = [(score, route) for score, route in scored if score is not None]
    return max(found, key=lambda pair: pair[0])[1] if found else None


def path_parameters(route_key: str, path: str) -> dict[str, str]:
    if route_key == "$default":
        return {}
    want = [s for s in route_key.partition(" ")[2].split("/") if s]
    have = [s for s in path.split("/") if s]
    found: dict[str, str] = {}
    for index, segment in enumerate(want):
        if segment.endswith("+}"):
            found[segment[1:-2]] = "/".join(have[index:])
        elif segment.startswith("{"):
            found[segment[1:-1]] = have[index]
    return found


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = str(environ[key])
    return headers


def _query(raw: str) -> dict[str, str]:
    from urllib.parse import parse_qsl  # noqa: PLC0415

    values: dict[str, list[str]] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        values.setdefault(key, []).append(value)
    return {key: ",".join(v) for key, v in values.items()}


def _event(
    environ: dict[str, Any], body: bytes, at: Matched, authorizer: dict[str, Any] | None
) -> dict[str, Any]:
    api, stage, route, path = at.api, at.stage, at.route, at.path
    headers = _headers(environ)
    now = datetime.now(UTC)
    cookies = headers.pop("cookie", "")
    content_type = headers.get("content-type", "")
    text = not body or content_type.startswith(_TEXT_TYPES) or "form-urlencoded" in content_type
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": raw_path,
        "rawQueryString": environ.get("QUERY_STRING", ""),
        "headers": headers,
        "requestContext": {
            "accountId": at.account,
            "apiId": api.api_id,
            "domainName": headers.get("host", ""),
            "domainPrefix": api.api_id,
            "http": {
                "method": environ["REQUEST_METHOD"],
                "path": raw_path,
                "protocol": environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"),
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route.route_key,
            "stage": stage,
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": not text,
    }
    if cookies:
        event["cookies"] = [c.strip() for c in cookies.split(";") if c.strip()]
    if query := _query(environ.get("QUERY_STRING", "")):
        event["queryStringParameters"] = query
    if params := path_parameters(route.route_key, path):
        event["pathParameters"] = params
    if body:
        event["body"] = body.decode("utf-8", "replace") if text else base64.b64encode(body).decode()
    if authorizer is not None:
        event["requestContext"]["authorizer"] = authorizer
    return event


def _authorize(environ: dict[str, Any], body: bytes, at: Matched) -> dict[str, Any] | Answer | None:
    """The `requestContext.authorizer` value, or the refusal."""
    api, account, route = at.api, at.account, at.route
    kind = (route.authorization_type or "NONE").upper()
    if kind == "AWS_IAM":
        try:
            caller = sigv4.verify(environ, body, account)
        except sigv4.SignatureError as refusal:
            return _message(403, str(refusal))
        return {
            "iam": {
                "accessKey": caller.access_key,
                "accountId": caller.account_id,
                "callerId": caller.access_key,
                "cognitoIdentity": None,
                "principalOrgId": None,
                "userArn": caller.user_arn,
                "userId": caller.access_key,
            }
        }
    if kind == "JWT":
        authorizer = api.authorizers.get(route.authorizer_id)
        if authorizer is None:
            return _message(500, "Internal Server Error")
        config = authorizer.jwt_config or {}
        source = (authorizer.identity_source or ["$request.header.Authorization"])[0]
        header = source.rsplit(".", 1)[-1].upper().replace("-", "_")
        try:
            claims = authorize(
                str(environ.get(f"HTTP_{header}", "")),
                str(config.get("issuer", "")),
                [str(a) for a in config.get("audience", [])],
                list(route.authorization_scopes or []),
            )
        except TokenError as refusal:
            return _message(refusal.status, str(refusal))
        strings = {k: v if isinstance(v, str) else json.dumps(v) for k, v in claims.items()}
        return {"jwt": {"claims": strings, "scopes": scopes_of(claims) or None}}
    return None


def _with_account(arn: str, account: str) -> str:
    """Under `skip_requesting_account_id` the provider builds execute-api ARNs without an
    account id; like `patches/tagging.py`, an account-less ARN is read as this account's."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "execute-api" and not parts[4]:
        parts[4] = account
    return ":".join(parts)


def _allowed(fn: Any, backend: Any, source_arn: str, account: str) -> bool:
    """Whether the function's resource policy lets API Gateway invoke it from `source_arn`."""
    try:
        policy = json.loads(json.loads(backend.get_policy(fn.function_name, None))["Policy"])
    except Exception:
        return False
    for statement in policy.get("Statement", []):
        principal = statement.get("Principal", {})
        service = principal.get("Service") if isinstance(principal, dict) else principal
        if statement.get("Effect") != "Allow" or service != "apigateway.amazonaws.com":
            continue
        action = statement.get("Action")
        if action not in ("lambda:InvokeFunction", "lambda:*"):
            continue
        condition = (statement.get("Condition") or {}).get("ArnLike", {})
        pattern = condition.get("AWS:SourceArn") or condition.get("aws:SourceArn")
        if pattern is None or fnmatch.fnmatchcase(source_arn, _with_account(pattern, account)):
            return True
    return False


def _response(result: Any) -> Answer:
    """Payload format 2.0: a dict with `statusCode` is the response, anything else JSON."""
    if not (isinstance(result, dict) and "statusCode" in result):
        text = result if isinstance(result, str) else json.dumps(result)
        return Answer(200, {"Content-Type": "application/json"}, text.encode(), 200)
    headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
    headers.setdefault("Content-Type", "application/json")
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    answer = Answer(int(result["statusCode"]), headers, body, 200)
    for cookie in result.get("cookies") or []:
        answer.headers.setdefault("Set-Cookie", str(cookie))
    return answer


def _integrate(at: Matched, event: dict[str, Any]) -> Answer:
    from moto.awslambda.models import lambda_backends  # noqa: PLC0415

    from iackit.emulator.lambda_runtime import log, service  # noqa: PLC0415

    api, account, region, stage, path = at.api, at.account, at.region, at.stage, at.path
    integration_id = (at.route.target or "").removeprefix("integrations/")
    integration = api.integrations.get(integration_id)
    match = _FUNCTION_ARN.search(getattr(integration, "integration_uri", "") or "")
    if match is None:
        return _message(500, "Internal Server Error")
    backend = lambda_backends[account][region]
    try:
        fn = service.lambda_function(match.group(0))
    except Exception:
        return _message(500, "Internal Server Error")
    execution_arn = f"arn:aws:execute-api:{region}:{account}:{api.api_id}"
    source_arn = f"{execution_arn}/{stage}/{event['requestContext']['http']['method']}{path}"
    if not _allowed(fn, backend, source_arn, account):
        log(
            f"API {api.api_id}: no permission for apigateway.amazonaws.com to invoke "
            f"{fn.function_name} from {source_arn}"
        )
        return _message(500, "Internal Server Error")
    result = service.run(fn, json.dumps(event).encode())
    if not result.ok:
        answer = _message(500, "Internal Server Error")
        answer.integration_status = 200
        answer.error = result.error_message
        return answer
    try:
        return _response(json.loads(result.payload or b"null"))
    except (ValueError, TypeError, KeyError):
        answer = _message(500, "Internal Server Error")
        answer.error = "The Lambda function returned a malformed response"
        return answer


def _access_log(api: Any, account: str, region: str, stage: str, fields: dict[str, Any]) -> None:
    settings = getattr(api.stages.get(stage), "access_log_settings", None) or {}
    arn, template = settings.get("destinationArn"), settings.get("format")
    if not arn or not template:
        return
    from moto.logs.models import logs_backends  # noqa: PLC0415

    group = arn.split(":log-group:", 1)[-1].removesuffix(":*")
    line = re.sub(
        r"\$context\.[A-Za-z0-9_.]+", lambda m: str(fields.get(m.group(0), "-")), template
    )
    backend = logs_backends[account][region]
    if group not in backend.groups:
        return
    stream = f"{api.api_id}_{stage}"
    if stream not in backend.groups[group].streams:
        backend.create_log_stream(group, stream)
    backend.put_log_events(group, stream, [{"timestamp": int(time.time() * 1000), "message": line}])


def serve(environ: dict[str, Any], body: bytes) -> Answer:
    """The answer API Gateway would give to this request for a local invoke URL."""
    api_id, _, rest = environ.get("PATH_INFO", "")[len(PREFIX) :].partition("/")
    found = _find_api(api_id)
    if found is None or found[0].protocol_type != "HTTP":
        return _message(404, "Not Found")
    api, account, region = found
    stage_and_path = _split_stage(api, "/" + rest)
    if stage_and_path is None:
        return _message(404, "Not Found")
    stage, path = stage_and_path
    method = environ.get("REQUEST_METHOD", "GET")
    route = match_route(api.routes.values(), method, path)
    started = time.monotonic()
    fields: dict[str, Any] = {
        "$context.requestTime": datetime.now(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "$context.identity.sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"),
        "$context.identity.userAgent": environ.get("HTTP_USER_AGENT", "-"),
        "$context.path": path if stage == "$default" else f"/{stage}{path}",
        "$context.stage": stage,
        "$context.httpMethod": method,
    }
    if route is None:
        answer = _message(404, "Not Found")
    else:
        fields["$context.routeKey"] = route.route_key
        at = Matched(api, account, region, stage, route, path)
        authorizer = _authorize(environ, body, at)
        if isinstance(authorizer, Answer):
            answer = authorizer
            fields["$context.authorizer.error"] = answer.error
        else:
            if authorizer and "iam" in authorizer:
                fields["$context.identity.caller"] = authorizer["iam"]["callerId"]
            event = _event(environ, body, at, authorizer)
            fields["$context.requestId"] = event["requestContext"]["requestId"]
            answer = _integrate(at, event)
            fields["$context.integrationLatency"] = int((time.monotonic() - started) * 1000)
    fields.setdefault("$context.requestId", str(uuid.uuid4()))
    answer.headers.setdefault("apigw-requestid", str(fields["$context.requestId"]))
    fields.update(
        {
            "$context.status": answer.status,
            "$context.responseLength": len(answer.body),
            "$context.integrationStatus": answer.integration_status or "-",
            "$context.error.message": answer.error or "-",
            "$context.integrationErrorMessage": answer.error or "-",
        }
    )
    _access_log(api, account, region, stage, fields)
    return answer


def status_line(status: int) -> str:
    return f"{status} {_STATUS_TEXT.get(status, 'Unknown')}"
