"""Helpers shared by the training steps: names, the run context, Personalize statuses."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, Literal

from aws_lambda_powertools import Logger

logger = Logger(service="ranking-training")

DEFAULT_RECIPE_ARN: Final = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
PERSONALIZED_RANKING_V2_ARN: Final = "arn:aws:personalize:::recipe/aws-personalized-ranking-v2"

# trainingMode=UPDATE is only accepted for these recipes (botocore personalize model,
# CreateSolutionVersion.trainingMode: "User-Personalization recipe or the legacy
# HRNN-Coldstart recipe"). The v2 recipes are not listed, so they always train FULL.
UPDATE_CAPABLE_RECIPES: Final = frozenset({"aws-user-personalization", "aws-hrnn-coldstart"})

# Personalize names: ^[a-zA-Z0-9][a-zA-Z0-9\-_]*, 1..63 characters.
NAME_MAX: Final = 63
_NAME_BAD_CHARS: Final = re.compile(r"[^A-Za-z0-9_-]")

Status = Literal["ACTIVE", "PENDING", "FAILED"]
ACTIVE: Final[Status] = "ACTIVE"
PENDING: Final[Status] = "PENDING"
FAILED: Final[Status] = "FAILED"

# The three datasets of the dataset group: key used in the state, Personalize
# datasetType and the schema file under schemas/.
DATASET_TYPES: Final = ("INTERACTIONS", "USERS", "ITEMS")
PERSONALIZE_DATASET_TYPE: Final = {
    "INTERACTIONS": "Interactions",
    "USERS": "Users",
    "ITEMS": "Items",
}


# ITEM_TYPE of the Items dataset; one Personalize filter per type (training.datasets).
ITEM_TYPE_CLASS: Final = "class"
ITEM_TYPES: Final = (ITEM_TYPE_CLASS, "material", "quiz")


class ConfigError(RuntimeError):
    """A required environment variable or input field is missing or invalid."""


def require_env(name: str, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is required")
    return value


def optional_env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    value = env.get(name, "").strip()
    return value or None


def int_env(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"environment variable {name} must be an integer, got {raw!r}") from exc


def require_input(event: Mapping[str, Any], *path: str) -> str:
    """The non-empty string at ``event[path[0]][path[1]]...`` (ConfigError if absent)."""
    node: Any = event
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    if not isinstance(node, str) or not node:
        raise ConfigError(f"input {'.'.join(path)} is required")
    return node


def resource_name(*parts: str) -> str:
    """A valid Personalize name from ``parts`` joined with '-', hashed if over 63 chars."""
    name = _NAME_BAD_CHARS.sub("-", "-".join(p for p in parts if p)).strip("-_")
    if not name:
        raise ConfigError("empty Personalize resource name")
    if len(name) <= NAME_MAX:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: NAME_MAX - 9].rstrip('-_')}-{digest}"


def base_name(name_prefix: str) -> str:
    """``<prefix>-student-ranking``: the dataset group and campaign name."""
    return resource_name(name_prefix, "student-ranking")


def recipe_short_name(recipe_arn: str) -> str:
    """``aws-user-personalization-v2`` from ``arn:aws:personalize:::recipe/aws-user-...``."""
    return recipe_arn.rsplit("/", 1)[-1]


def solution_name(name_prefix: str, recipe_arn: str) -> str:
    """One solution per recipe, so switching recipes never mutates the other's solution."""
    return resource_name(
        name_prefix, "student-ranking", recipe_short_name(recipe_arn).removeprefix("aws-")
    )


def normalize_status(status: str | None) -> Status:
    """Map Personalize's ``CREATE PENDING``/``ACTIVE``/``CREATE FAILED``/... to 3 states."""
    value = (status or "").upper()
    if value == "ACTIVE":
        return ACTIVE
    if "FAILED" in value or "STOP" in value or value.startswith("DELETE"):
        return FAILED
    return PENDING


@dataclass(frozen=True)
class RunContext:
    """Per-execution parameters, derived once by the export step and passed along."""

    run_id: str  # 20250101T020000Z: suffix of job names, unique per execution second
    run_date: str  # 2025-01-01: partition of the exported files
    force_full: bool  # weekly trigger or explicit input: FULL training
    trigger: str  # nightly | weekly | manual
    recipe_arn: str | None  # input override of the RECIPE_ARN environment variable

    def as_dict(self) -> dict[str, Any]:
        return {
            "runId": self.run_id,
            "runDate": self.run_date,
            "forceFull": self.force_full,
            "trigger": self.trigger,
            "recipeArn": self.recipe_arn,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunContext:
        try:
            return cls(
                run_id=str(data["runId"]),
                run_date=str(data["runDate"]),
                force_full=bool(data.get("forceFull", False)),
                trigger=str(data.get("trigger", "nightly")),
                recipe_arn=data.get("recipeArn") or None,
            )
        except KeyError as exc:
            raise ConfigError(f"run context is missing {exc.args[0]}") from exc

    @property
    def day(self) -> date:
        return date.fromisoformat(self.run_date)


def parse_start_time(value: str | None, now: datetime | None = None) -> datetime:
    """``$$.Execution.StartTime`` (ISO 8601, e.g. ``2025-01-01T02:00:00.123Z``) as UTC."""
    if not value:
        return (now or datetime.now(UTC)).astimezone(UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def run_context_from_event(event: Mapping[str, Any], now: datetime | None = None) -> RunContext:
    """The run context from the state machine's first Task input.

    ``event["input"]`` is the execution input: a scheduler payload (``{"trigger": ...}``,
    ``{"forceFull": true}``, ``{"recipeArn": ...}``) or an EventBridge
    ``ranking.requestUpdate`` event (``detail.trigger``: nightly | weekly | manual).
    """
    started = parse_start_time(event.get("executionStartTime"), now)
    raw_input = event.get("input")
    data: Mapping[str, Any] = raw_input if isinstance(raw_input, Mapping) else {}
    detail = data.get("detail")
    detail_map: Mapping[str, Any] = detail if isinstance(detail, Mapping) else {}
    trigger = str(detail_map.get("trigger") or data.get("trigger") or "nightly")
    force_full = bool(data.get("forceFull", False)) or trigger == "weekly"
    recipe = data.get("recipeArn")
    return RunContext(
        run_id=started.strftime("%Y%m%dT%H%M%SZ"),
        run_date=started.date().isoformat(),
        force_full=force_full,
        trigger=trigger,
        recipe_arn=str(recipe) if recipe else None,
    )


def paginate(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item under ``key`` of every page of a Personalize ``List*`` operation."""
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``("bucket", "key/prefix")`` from ``s3://bucket/key/prefix``."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bucket, key


def utc_now_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
