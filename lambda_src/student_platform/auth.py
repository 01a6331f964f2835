"""Who is calling: the identity API Gateway's authorizer put in the request, never the body.

- ``requestContext.authorizer.iam`` (route authorization ``AWS_IAM``, the default): a
  SigV4-signed AWS principal, a back-end service. Which routes it may call is its IAM policy
  (``execute-api:Invoke`` on the route ARNs, one route per event type), so within a route it
  acts for anyone (:attr:`Caller.is_admin`).
- ``requestContext.authorizer.jwt`` (route authorization ``JWT``): an end user. ``sub`` is the
  acting id; roles come from the token's scopes (``scope`` claim, space separated, or the
  context's ``scopes`` list) through ``AUTH_SCOPES`` (JSON ``{"student": "<scope>",
  "teacher": "<scope>", "admin": "<scope>"}``, default: the bare role names); a teacher's
  classes from the ``classes`` (or ``custom:classes``) claim, comma or space separated.
- neither (a public route, or a direct invocation without API Gateway): anonymous, refused.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

STUDENT: Final = "student"
TEACHER: Final = "teacher"
ADMIN: Final = "admin"
ROLES: Final = (STUDENT, TEACHER, ADMIN)
_SEPARATORS: Final = re.compile(r"[,\s]+")


class AccessDeniedError(Exception):
    """The caller may not do this: ``status`` 401 (no identity) or 403."""

    def __init__(self, message: str, status: int = 403, field: str = "caller") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@dataclass(frozen=True)
class Caller:
    kind: str  # "iam" | "jwt" | "anonymous"
    subject: str | None = None
    roles: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.kind == "iam" or ADMIN in self.roles

    def require_identity(self) -> None:
        if self.kind == "anonymous" or (self.kind == "jwt" and not self.subject):
            raise AccessDeniedError("the request carries no caller identity", 401)

    def may_act_as(self, role: str, acting_id: object) -> bool:
        """Admin, or ``role`` acting for itself (``acting_id`` is the caller's own id)."""
        return self.is_admin or (role in self.roles and acting_id == self.subject)


def scope_roles(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """scope string -> role, from ``AUTH_SCOPES`` (role -> scope)."""
    configured: Any = {}
    raw = environ.get("AUTH_SCOPES", "").strip()
    if raw:
        configured = json.loads(raw)
    return {str(configured.get(role, role)): role for role in ROLES}


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return [word for word in _SEPARATORS.split(value) if word]
    if isinstance(value, list):
        return [word for item in value for word in _words(item)]
    return []


def caller_from(event: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> Caller:
    """The caller of an HTTP API (payload 2.0) request, from its authorizer context."""
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, Mapping) else None
    if not isinstance(authorizer, Mapping):
        return Caller("anonymous")
    iam = authorizer.get("iam")
    if isinstance(iam, Mapping) and iam.get("userArn"):
        arn = str(iam["userArn"])
        if ":assumed-role/" in arn:  # the role, not the session: retries may use another one
            arn = arn.rsplit("/", 1)[0]
        return Caller("iam", arn)
    jwt = authorizer.get("jwt")
    if not isinstance(jwt, Mapping):
        return Caller("anonymous")
    claims = jwt.get("claims")
    claims = claims if isinstance(claims, Mapping) else {}
    scopes = set(_words(claims.get("scope"))) | set(_words(jwt.get("scopes")))
    mapping = scope_roles(environ)
    subject = claims.get("sub")
    return Caller(
        "jwt",
        subject if isinstance(subject, str) and subject else None,
        frozenset(mapping[scope] for scope in scopes if scope in mapping),
        frozenset(_words(claims.get("classes")) + _words(claims.get("custom:classes"))),
    )
