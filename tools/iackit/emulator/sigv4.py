"""Signature Version 4 checks for requests the emulator serves itself (HTTP API routes with
AWS_IAM authorization), as API Gateway makes them: the signature is recomputed from the
request with the secret of the access key it names, and any difference is a 403.

Known keys: the emulator's dummy credentials (`EMULATOR_ENV`), access keys created through
IAM and credentials returned by STS (AssumeRole and friends) on this emulator.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;\-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


@dataclass(frozen=True)
class Caller:
    """Who signed: what API Gateway puts in `requestContext.authorization.iam`."""

    access_key: str
    account_id: str
    user_arn: str


class SignatureError(Exception):
    """The request is not signed, or not signed correctly (API Gateway answers 403)."""


def _known_secrets(account_id: str) -> dict[str, tuple[str, str]]:
    """access key -> (secret, principal ARN) for every credential this emulator issued."""
    from moto.iam.models import iam_backends  # noqa: PLC0415
    from moto.sts.models import sts_backends  # noqa: PLC0415

    from iackit.emulator import EMULATOR_ENV  # noqa: PLC0415

    known = {
        EMULATOR_ENV["AWS_ACCESS_KEY_ID"]: (
            EMULATOR_ENV["AWS_SECRET_ACCESS_KEY"],
            f"arn:aws:iam::{account_id}:root",
        )
    }
    iam = iam_backends[account_id]["global"]
    for user in iam.users.values():
        for key in user.access_keys:
            known[key.access_key_id] = (key.secret_access_key, user.arn)
    for role in sts_backends[account_id]["global"].assumed_roles:
        known[role.access_key_id] = (role.secret_access_key, role.arn)
    return known


def _header(environ: dict[str, Any], name: str) -> str:
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return str(environ.get(key, ""))
    if key == "HOST":
        return str(environ.get("HTTP_HOST", ""))
    return str(environ.get(f"HTTP_{key}", ""))


def _canonical_query(query: str) -> str:
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    encoded = [
        (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~")) for k, v in pairs
    ]
    return "&".join(f"{k}={v}" for k, v in sorted(encoded))


def _signature(secret: str, scope: tuple[str, str, str], string_to_sign: str) -> str:
    date, region, service = scope
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def verify(environ: dict[str, Any], body: bytes, account_id: str) -> Caller:
    """The caller of a SigV4-signed request, or SignatureError with API Gateway's message."""
    match = _AUTHORIZATION.match(environ.get("HTTP_AUTHORIZATION", ""))
    if match is None:
        raise SignatureError("Forbidden")
    if match["service"] != "execute-api":
        raise SignatureError(
            f"Credential should be scoped to correct service: 'execute-api'. "
            f"(was '{match['service']}')"
        )
    secret_and_arn = _known_secrets(account_id).get(match["key"])
    if secret_and_arn is None:
        raise SignatureError("The security token included in the request is invalid.")
    secret, principal = secret_and_arn
    signed = match["headers"].split(";")
    amz_date = _header(environ, "x-amz-date")
    if not amz_date.startswith(match["date"]):
        raise SignatureError("Date in Credential scope does not match YYYYMMDD from ISO-8601.")
    headers = "".join(f"{name}:{' '.join(_header(environ, name).split())}\n" for name in signed)
    payload = _header(environ, "x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    query = _canonical_query(environ.get("QUERY_STRING", ""))
    raw_path = urllib.parse.quote(environ.get("PATH_INFO", "/"), safe="/~")
    scope = (match["date"], match["region"], match["service"])
    # SDKs encode the (already encoded) path once more for every service but S3; curl's
    # --aws-sigv4 does not: either form is accepted.
    for path in dict.fromkeys((urllib.parse.quote(raw_path, safe="/~"), raw_path)):
        canonical = "\n".join(
            [environ.get("REQUEST_METHOD", "GET"), path, query, headers, ";".join(signed), payload]
        )
        string_to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256",
                amz_date,
                "/".join((*scope, "aws4_request")),
                hashlib.sha256(canonical.encode()).hexdigest(),
            ]
        )
        if hmac.compare_digest(_signature(secret, scope, string_to_sign), match["signature"]):
            return Caller(match["key"], account_id, principal)
    raise SignatureError(
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method."
    )
