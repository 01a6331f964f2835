"""The emulator's test token issuer, for HTTP API routes with a JWT authorizer.

On AWS a JWT authorizer fetches the issuer's signing keys (OIDC discovery) and checks a
token's signature, `iss`, `aud` (or `client_id`), `exp`/`nbf` and, per route, its scopes.
Offline there is no identity provider to ask, so the emulator is its own: `POST
/_iackit/jwt` with the claims wanted (`iss`, `aud`, `sub`, `scope`, optionally `exp`)
answers a token signed with a key that lives only as long as the emulator process
(HS256). The authorizer then checks everything AWS checks, except that the signature is
verified with that key whatever `iss` says: a test issuer the emulator trusts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

_KEY = secrets.token_bytes(32)
DEFAULT_LIFETIME = 3600


class TokenError(Exception):
    """The token is refused: API Gateway answers `status` with `{"message": ...}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def mint(claims: dict[str, Any]) -> str:
    """A signed token with `claims` (`iat` and `exp` added unless given)."""
    now = int(time.time())
    body = {"iat": now, "exp": now + DEFAULT_LIFETIME, **claims}
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "iackit-emulator"}).encode())
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    signature = hmac.new(_KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _decode(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError(401, "Unauthorized")
    header, payload, signature = parts
    expected = hmac.new(_KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    try:
        valid = hmac.compare_digest(expected, _unb64(signature))
        claims = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        raise TokenError(401, "Unauthorized") from None
    if not valid or not isinstance(claims, dict):
        raise TokenError(401, "Unauthorized")
    return claims


def scopes_of(claims: dict[str, Any]) -> list[str]:
    scope = claims.get("scope", claims.get("scp", ""))
    return scope.split() if isinstance(scope, str) else [str(s) for s in scope or []]


def authorize(
    header_value: str, issuer: str, audiences: list[str], route_scopes: list[str]
) -> dict[str, Any]:
    """The token's claims if it passes the authorizer and the route's scopes, else
    TokenError (401 without a valid token, 403 for a valid token without a needed scope)."""
    token = header_value.removeprefix("Bearer ").strip()
    if not token:
        raise TokenError(401, "Unauthorized")
    claims = _decode(token)
    now = time.time()
    if claims.get("iss") != issuer:
        raise TokenError(401, "Unauthorized")
    audience = claims.get("aud", claims.get("client_id"))
    given = audience if isinstance(audience, list) else [audience]
    if not set(map(str, given)) & set(audiences):
        raise TokenError(401, "Unauthorized")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= now:
        raise TokenError(401, "Unauthorized")
    if isinstance(claims.get("nbf"), int | float) and claims["nbf"] > now:
        raise TokenError(401, "Unauthorized")
    if route_scopes and not set(scopes_of(claims)) & set(route_scopes):
        raise TokenError(403, "Forbidden")
    return claims
