"""``GET /ranking/{userId}[?type=class|material|quiz]``: recommendations for a student (HTTP
API, payload v2), of every item type or of one.

Handler: ``ranking.app.lambda_handler``. The published ranking (SSM parameter written by the
training pipeline's Publish step) decides the source:

- ``mode: campaign`` -> Personalize ``GetRecommendations`` (or ``GetPersonalizedRanking`` of a
  candidate list when ``RANKING_RECIPE`` is personalized-ranking), with the type's
  ``typeFilters`` ARN as ``filterArn`` when a type is asked, ``source: personalize``;
- ``mode: batch`` -> ``<userIndexUri><userId>.json`` (a type: ``<typeUserIndexUris[type]>``)
  written by the Publish step from the batch inference output(s), ``source: batch``;
- no parameter yet, a Personalize/S3 error, or no result for the user -> the most popular
  items (of the type) from the popularity object the pipeline publishes nightly (one
  GetObject, cached; never a table scan), ``source: fallback-popularity`` + ``reason``.

``rank()`` is the whole logic with injected clients (tests, benchmarks); the handler only
validates input and shapes the HTTP response.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, Generic, TypeVar

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ranking.engagement import (
    InvalidEngagementDocumentError,
    class_ranking,
    engagement_key,
    parse_document,
)
from ranking.popularity import (
    ITEM_TYPES,
    InvalidPopularityDocumentError,
    Popularity,
    parse_popularity,
)
from student_platform.auth import TEACHER, AccessDeniedError, Caller, caller_from
from student_platform.aws import CLIENT_CONFIG, cached_client
from student_platform.http import (
    ID_PATTERN,
    BadRequestError,
    as_response,
    error_response,
    is_id,
    json_response,
    not_found,
)

logger = Logger(service="ranking-api")

MAX_NUM_RESULTS: Final = 100
MAX_CANDIDATES: Final = 500  # GetPersonalizedRanking inputList limit
SOURCE_PERSONALIZE: Final = "personalize"
SOURCE_BATCH: Final = "batch"
SOURCE_FALLBACK: Final = "fallback-popularity"
# The API path must answer within API Gateway's 30 s: fail fast, then fall back.
RUNTIME_CLIENT_CONFIG: Final = CLIENT_CONFIG.merge(
    Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2, "mode": "standard"})
)

T = TypeVar("T")


class InvalidRankingParameterError(ValueError):
    """The SSM parameter exists but is not a valid ranking configuration."""


@dataclass(frozen=True)
class RankingSettings:
    parameter_name: str
    popularity_bucket: str | None = None
    popularity_key: str | None = None
    fallback_limit: int = 10
    personalized_ranking: bool = False
    candidates_limit: int = 100
    parameter_max_age: float = 60.0
    popularity_max_age: float = 300.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RankingSettings:
        env = os.environ if environ is None else environ
        return cls(
            parameter_name=env["RANKING_PARAMETER_NAME"],
            popularity_bucket=env.get("POPULARITY_BUCKET") or None,
            popularity_key=env.get("POPULARITY_KEY") or None,
            fallback_limit=_bounded(env.get("FALLBACK_LIMIT"), 10, MAX_NUM_RESULTS),
            personalized_ranking="personalized-ranking" in env.get("RANKING_RECIPE", ""),
            candidates_limit=_bounded(env.get("RANKING_CANDIDATES_LIMIT"), 100, MAX_CANDIDATES),
            parameter_max_age=float(env.get("PARAMETER_CACHE_SECONDS") or 60),
            popularity_max_age=float(env.get("POPULARITY_CACHE_SECONDS") or 300),
        )


def _bounded(raw: str | None, default: int, maximum: int) -> int:
    if not raw:
        return default
    return max(1, min(int(raw), maximum))


MODE_NONE = "none"


@dataclass(frozen=True)
class RankingConfig:
    """The value of the ranking SSM parameter (see training/publish.py)."""

    mode: str
    solution_version_arn: str | None = None
    campaign_arn: str | None = None
    output_uri: str | None = None
    user_index_uri: str | None = None
    updated_at: str | None = None
    # {item type: Personalize filter ARN} / {item type: per-user index of the type's batch job}
    type_filters: Mapping[str, str] = field(default_factory=dict)
    type_user_index_uris: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: str) -> RankingConfig | None:
        """The published ranking; None for `{"mode": "none"}`, the value the ranking-pipeline
        module creates the parameter with before the first training run."""
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise InvalidRankingParameterError("ranking parameter is not JSON") from exc
        if not isinstance(data, Mapping):
            raise InvalidRankingParameterError("ranking parameter is not a JSON object")
        if data.get("mode") == MODE_NONE:
            return None
        config = cls(
            mode=str(data.get("mode")),
            solution_version_arn=data.get("solutionVersionArn"),
            campaign_arn=data.get("campaignArn"),
            output_uri=data.get("outputUri"),
            user_index_uri=data.get("userIndexUri"),
            updated_at=data.get("updatedAt"),
            type_filters=_type_map(data, "typeFilters"),
            type_user_index_uris=_type_map(data, "typeUserIndexUris"),
        )
        if config.mode == "campaign" and not config.campaign_arn:
            raise InvalidRankingParameterError("mode campaign without campaignArn")
        if config.mode == "batch" and not config.user_index_uri:
            raise InvalidRankingParameterError("mode batch without userIndexUri")
        if config.mode not in ("campaign", "batch"):
            raise InvalidRankingParameterError(f"unknown mode {config.mode!r}")
        return config


def _type_map(data: Mapping[str, Any], name: str) -> dict[str, str]:
    """``data[name]``: {item type: non-empty string}; absent is {}; anything else is invalid."""
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
    ):
        raise InvalidRankingParameterError(f"{name} must map item types to strings")
    return dict(value)


class TtlCache(Generic[T]):
    """A tiny thread-safe TTL cache (per warm Lambda container); caches None results too."""

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, T]] = {}

    def get(self, key: str, loader: Callable[[], T]) -> T:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.max_age:
                return entry[1]
        value = loader()
        with self._lock:
            self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass
class Caches:
    parameter: TtlCache[RankingConfig | None] = field(default_factory=lambda: TtlCache(60.0))
    popularity: TtlCache[Popularity | None] = field(default_factory=lambda: TtlCache(300.0))

    def clear(self) -> None:
        self.parameter.clear()
        self.popularity.clear()


CACHES: Final = Caches()


def load_ranking_config(ssm: Any, name: str) -> RankingConfig | None:
    """The published ranking, or None when the pipeline has not published one yet."""
    try:
        raw = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ParameterNotFound":
            return None
        raise
    return RankingConfig.parse(raw)


class PopularityUnavailableError(Exception):
    """No usable popularity object: the fallback answers an empty list with this reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_popularity(s3: Any, bucket: str, key: str) -> Popularity | None:
    """The published popularity, None when the pipeline has not published it yet (NoSuchKey).

    InvalidPopularityDocumentError for a corrupt object; other S3 errors propagate (503)."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        if _error_code(exc) in ("NoSuchKey", "404"):
            return None
        raise
    return parse_popularity(body)


def popularity(s3: Any, settings: RankingSettings, caches: Caches) -> Popularity:
    """The cached popularity object; PopularityUnavailableError when there is none."""
    bucket, key = settings.popularity_bucket, settings.popularity_key
    if not bucket or not key:
        raise PopularityUnavailableError("no popularity object configured")
    try:
        found = caches.popularity.get(f"{bucket}/{key}", lambda: load_popularity(s3, bucket, key))
    except InvalidPopularityDocumentError as exc:
        logger.error("Invalid popularity object", error=str(exc))
        raise PopularityUnavailableError(f"invalid popularity object: {exc}") from exc
    if found is None:
        raise PopularityUnavailableError("no popularity published yet")
    return found


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response["Error"].get("Code", "ClientError"))
    return type(exc).__name__


def personalize_items(
    runtime: Any,
    config: RankingConfig,
    user_id: str,
    num_results: int,
    candidates: list[str] | None,
    *,
    filter_arn: str | None = None,
) -> list[dict[str, Any]]:
    extra = {"filterArn": filter_arn} if filter_arn else {}
    if candidates is not None:
        ranked = runtime.get_personalized_ranking(
            campaignArn=config.campaign_arn, userId=user_id, inputList=candidates, **extra
        )["personalizedRanking"]
    else:
        ranked = runtime.get_recommendations(
            campaignArn=config.campaign_arn, userId=user_id, numResults=num_results, **extra
        )["itemList"]
    return [_item(entry) for entry in ranked[:num_results]]


def _item(entry: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"itemId": str(entry["itemId"])}
    if entry.get("score") is not None:
        item["score"] = entry["score"]
    return item


def batch_items(uri: str, s3: Any, user_id: str, num_results: int) -> list[Any]:
    """The user's entry of a per-user batch index (NoSuchKey if the user is not in it)."""
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    body = s3.get_object(Bucket=bucket, Key=f"{prefix}{user_id}.json")["Body"].read()
    entry = json.loads(body)
    return [_item(item) for item in entry.get("items", [])[:num_results]]


def answer(
    user_id: str, source: str, items: list[Any], item_type: str | None, **extra: Any
) -> dict[str, Any]:
    """The response body: ``items`` and, as the seed's sample answered, the same list as
    ``recommendations`` (Personalize's ``itemList`` shape: ``[{itemId, score}]``); ``type`` is
    the item type served (null: every type)."""
    return {
        "userId": user_id,
        "source": source,
        "type": item_type,
        "items": items,
        "recommendations": items,
        **extra,
    }


def fallback(
    user_id: str,
    num_results: int,
    reason: str,
    *,
    item_type: str | None,
    s3: Any,
    settings: RankingSettings,
    caches: Caches,
) -> dict[str, Any]:
    """The most popular items (of ``item_type``) from the published popularity object; an
    empty list, the reason saying why, when there is none yet."""
    try:
        items = popularity(s3, settings, caches).ranked(item_type).scored(num_results)
    except PopularityUnavailableError as exc:
        items, reason = [], f"{reason}; {exc.reason}"
    logger.info("Popularity fallback", reason=reason, item_type=item_type)
    return answer(user_id, SOURCE_FALLBACK, items, item_type, reason=reason)


class FallbackError(Exception):
    """Personalize/batch cannot answer: serve the popularity ranking with this reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def published_config(ssm: Any, settings: RankingSettings, caches: Caches) -> RankingConfig:
    try:
        config = caches.parameter.get(
            settings.parameter_name, lambda: load_ranking_config(ssm, settings.parameter_name)
        )
    except InvalidRankingParameterError as exc:
        logger.warning("Invalid ranking parameter", error=str(exc))
        raise FallbackError(f"invalid ranking parameter: {exc}") from exc
    except (ClientError, BotoCoreError) as exc:
        logger.warning("Ranking parameter unavailable", error=str(exc))
        raise FallbackError(f"ranking parameter unavailable: {_error_code(exc)}") from exc
    if config is None:
        raise FallbackError("no ranking published yet")
    return config


def batch_ranking(
    s3: Any, config: RankingConfig, user_id: str, limit: int, item_type: str | None
) -> dict[str, Any]:
    """The user's entry of the batch output: of the type's own batch job when a type is asked
    (batch outputs are never filtered after the fact, so types never mix)."""
    uri = config.type_user_index_uris.get(item_type) if item_type else config.user_index_uri
    if not uri:
        raise FallbackError(f"no batch output published for type {item_type}")
    try:
        items = batch_items(uri, s3, user_id, limit)
    except (ClientError, BotoCoreError) as exc:
        code = _error_code(exc)
        if code in ("NoSuchKey", "404"):
            raise FallbackError("user not in batch output") from exc
        logger.warning("Batch output unavailable", error=str(exc))
        raise FallbackError(f"batch output error: {code}") from exc
    return answer(user_id, SOURCE_BATCH, items, item_type)


def type_filter(config: RankingConfig, item_type: str | None) -> str | None:
    """The Personalize filter of ``item_type`` from the parameter's ``typeFilters``."""
    if item_type is None:
        return None
    filter_arn = config.type_filters.get(item_type)
    if not filter_arn:
        raise FallbackError(f"no filter published for type {item_type}")
    return filter_arn


def campaign_ranking(
    runtime: Any,
    config: RankingConfig,
    user_id: str,
    limit: int,
    candidates: list[str] | None,
    *,
    item_type: str | None = None,
) -> dict[str, Any]:
    filter_arn = type_filter(config, item_type)
    try:
        items = personalize_items(
            runtime, config, user_id, limit, candidates, filter_arn=filter_arn
        )
    except (ClientError, BotoCoreError) as exc:
        logger.warning("Personalize error", error=str(exc))
        raise FallbackError(f"personalize error: {_error_code(exc)}") from exc
    if not items:
        raise FallbackError("personalize returned no items")
    return answer(user_id, SOURCE_PERSONALIZE, items, item_type)


def rank(
    user_id: str,
    num_results: int | None = None,
    *,
    settings: RankingSettings,
    ssm: Any,
    personalize_runtime: Any,
    s3: Any,
    caches: Caches = CACHES,
    candidates: list[str] | None = None,
    item_type: str | None = None,
) -> dict[str, Any]:
    """The ranking response body for ``user_id`` (see the module doc for the sources);
    ``item_type`` (one of ``ITEM_TYPES``, validated by the caller) asks for one type.

    Raises ClientError/BotoCoreError only when reading the popularity object fails (not when
    it is missing: the fallback then answers an empty list with its reason).
    """
    limit = num_results or settings.fallback_limit
    caches.parameter.max_age = settings.parameter_max_age
    caches.popularity.max_age = settings.popularity_max_age
    try:
        config = published_config(ssm, settings, caches)
        if config.mode == "batch":
            return batch_ranking(s3, config, user_id, limit, item_type)
        if settings.personalized_ranking and candidates is None:
            candidates = popular_candidates(s3, settings, caches, item_type)
        return campaign_ranking(
            personalize_runtime,
            config,
            user_id,
            limit,
            candidates if settings.personalized_ranking else None,
            item_type=item_type,
        )
    except FallbackError as exc:
        return fallback(
            user_id,
            limit,
            exc.reason,
            item_type=item_type,
            s3=s3,
            settings=settings,
            caches=caches,
        )


def popular_candidates(
    s3: Any, settings: RankingSettings, caches: Caches, item_type: str | None
) -> list[str]:
    """The ``candidates_limit`` most popular items (of the type) for GetPersonalizedRanking."""
    try:
        ranked = popularity(s3, settings, caches).ranked(item_type)
    except PopularityUnavailableError as exc:
        raise FallbackError(f"no candidate items to rank ({exc.reason})") from exc
    candidates = [item_id for item_id, _ in ranked.items[: settings.candidates_limit]]
    if not candidates:
        raise FallbackError("no candidate items to rank")
    return candidates


# --- HTTP -----------------------------------------------------------------------------------


NUM_RESULTS_MESSAGE: Final = f"numResults must be an integer between 1 and {MAX_NUM_RESULTS}"
MAX_ITEM_IDS_LENGTH: Final = MAX_CANDIDATES * 65


def _query(event: Mapping[str, Any]) -> Mapping[str, Any]:
    query = event.get("queryStringParameters")
    return query if isinstance(query, Mapping) else {}


def parse_num_results(query: Mapping[str, Any]) -> int | None:
    """``numResults``: 1..MAX_NUM_RESULTS in ASCII digits (``²`` or ``٣`` are not numbers)."""
    raw = query.get("numResults")
    if raw is None:
        return None
    if not isinstance(raw, str) or not (1 <= len(raw) <= 3) or not raw.isascii():
        raise BadRequestError("numResults", NUM_RESULTS_MESSAGE)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_NUM_RESULTS:
        raise BadRequestError("numResults", NUM_RESULTS_MESSAGE)
    return int(raw)


def parse_candidates(query: Mapping[str, Any]) -> list[str] | None:
    """``itemIds=a,b,c``: the candidates for personalized-ranking (optional)."""
    raw = query.get("itemIds")
    if raw is None:
        return None
    message = (
        f"itemIds must be 1..{MAX_CANDIDATES} comma-separated ids matching {ID_PATTERN.pattern}"
    )
    if not isinstance(raw, str) or len(raw) > MAX_ITEM_IDS_LENGTH:
        raise BadRequestError("itemIds", message)
    items = [part.strip() for part in raw.split(",") if part.strip()]
    if not items or len(items) > MAX_CANDIDATES or not all(is_id(i) for i in items):
        raise BadRequestError("itemIds", message)
    return list(dict.fromkeys(items))


TYPE_MESSAGE: Final = f"type must be one of {', '.join(ITEM_TYPES)}"


def parse_item_type(query: Mapping[str, Any]) -> str | None:
    """``type``: exactly one of ``ITEM_TYPES`` (a repeated ``type`` arrives comma-joined and is
    refused), None when absent (every type)."""
    raw = query.get("type")
    if raw is None:
        return None
    if not isinstance(raw, str) or raw not in ITEM_TYPES:
        raise BadRequestError("type", TYPE_MESSAGE)
    return raw


def parse_user_id(event: Mapping[str, Any]) -> str:
    parameters = event.get("pathParameters")
    user_id = parameters.get("userId") if isinstance(parameters, Mapping) else None
    if not is_id(user_id):
        raise BadRequestError("userId", f"userId must match {ID_PATTERN.pattern}")
    return str(user_id)


def authorize(caller: Caller, user_id: str) -> None:
    """A caller reads only their own ranking, unless admin (IAM callers are services)."""
    caller.require_identity()
    if not caller.is_admin and caller.subject != user_id:
        raise AccessDeniedError(
            "a caller may only read their own ranking (or needs the admin scope)", field="userId"
        )


@cache
def _runtime_client(_endpoint: str | None, _region: str | None) -> Any:
    return boto3.client("personalize-runtime", config=RUNTIME_CLIENT_CONFIG)


def personalize_runtime_client() -> Any:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    return _runtime_client(os.environ.get("AWS_ENDPOINT_URL"), region)


def serve(event: Mapping[str, Any]) -> dict[str, Any]:
    """``GET /ranking/{userId}``: validate, authorize, rank; the HTTP answer as a dict."""
    try:
        user_id = parse_user_id(event)
        query = _query(event)
        num_results = parse_num_results(query)
        candidates = parse_candidates(query)
        item_type = parse_item_type(query)
        authorize(caller_from(event), user_id)
    except BadRequestError as exc:
        return exc.response()
    except AccessDeniedError as exc:
        return error_response(exc.status, exc.message, field=exc.field)
    try:
        body = rank(
            user_id,
            num_results,
            settings=RankingSettings.from_env(),
            ssm=cached_client("ssm"),
            personalize_runtime=personalize_runtime_client(),
            s3=cached_client("s3"),
            candidates=candidates,
            item_type=item_type,
        )
    except (ClientError, BotoCoreError):
        logger.exception("Ranking unavailable (the popularity object cannot be read)")
        return error_response(503, "ranking unavailable")
    return json_response(200, body)


def _class_request(event: Mapping[str, Any]) -> tuple[str, str, int | None]:
    """(classId, object key, numResults) of an authorized request; ValueError (400),
    BadRequestError or AccessDeniedError otherwise."""
    parameters = event.get("pathParameters")
    class_id = parameters.get("classId") if isinstance(parameters, Mapping) else None
    key = engagement_key(os.environ.get("ENGAGEMENT_KEY_PREFIX", ""), str(class_id or ""))
    num_results = parse_num_results(_query(event))
    caller = caller_from(event)
    caller.require_identity()
    if not (caller.is_admin or (TEACHER in caller.roles and class_id in caller.classes)):
        raise AccessDeniedError("only the class's teachers and admins", field="classId")
    return str(class_id), key, num_results


def _published_class_ranking(bucket: str, key: str, class_id: str, limit: int | None) -> Any:
    try:
        body = cached_client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
        return json_response(200, class_ranking(parse_document(body), class_id, limit))
    except ClientError as exc:
        if _error_code(exc) in {"NoSuchKey", "404"}:
            message = f"no engagement published for class {class_id}"
            return error_response(404, message, field="classId")
        logger.exception("Engagement ranking unavailable")
    except (BotoCoreError, InvalidEngagementDocumentError):
        logger.exception("Engagement ranking unavailable")
    return error_response(503, "class ranking unavailable")


def serve_class_ranking(event: Mapping[str, Any]) -> dict[str, Any]:
    """``GET /classes/{classId}/ranking``: the class's students by engagement, from the one
    object the nightly pipeline published for the class (a GetObject, never a scan). Only
    the class's teachers (token ``classes`` claim) and admins (IAM callers are services)."""
    bucket = os.environ.get("ENGAGEMENT_BUCKET", "")
    if not bucket:
        return error_response(404, "class rankings are not enabled", field="path")
    try:
        class_id, key, num_results = _class_request(event)
    except BadRequestError as exc:  # before ValueError, which it is
        return exc.response()
    except ValueError as exc:  # engagement_key: the classId
        return error_response(400, str(exc), field="classId")
    except AccessDeniedError as exc:
        return error_response(exc.status, exc.message, field=exc.field)
    return dict(_published_class_ranking(bucket, key, class_id, num_results))


# --- routes (Powertools APIGatewayHttpResolver) -----------------------------------------------

app = APIGatewayHttpResolver()


@app.get(
    "/ranking/<userId>",
    summary="Ranked recommendations for a student (classes, materials, quizzes)",
    description=(
        "Query: `numResults` (1-100, ASCII digits), `itemIds` (candidates, comma-separated), "
        "`type` (`class`, `material` or `quiz`: only items of that type; absent: every type). "
        "A JWT caller reads only their own ranking (`sub` = userId) unless admin."
    ),
    responses={
        200: {
            "description": (
                "`{userId, source, type, items, recommendations, reason?}`: `source` is "
                "`personalize` (campaign), `batch` or `fallback-popularity` (then `reason` says "
                "why; `items` is empty while no popularity is published); `type` is the item "
                "type served, null for every type"
            )
        },
        400: {"description": "Invalid userId, numResults, itemIds or type: `{error, field}`"},
        401: {"description": "No caller identity"},
        403: {"description": "Another user's ranking without the admin scope"},
        503: {"description": "Ranking unavailable (the popularity object cannot be read)"},
    },
    operation_id="get_ranking",
    tags=["ranking"],
)
def _get_ranking(userId: str) -> Response[Any]:  # noqa: N803 - the route's path parameter
    # The decoded path parameter API Gateway passes is validated, not the raw path segment.
    return as_response(serve(app.current_event.raw_event))


@app.get(
    "/classes/<classId>/ranking",
    summary="A class's students ranked by engagement",
    description=(
        "Computed nightly by the pipeline from Interactions and ClassActivity. Query: "
        "`numResults` (1-100). The class's teachers (token `classes` claim) and admins only."
    ),
    responses={
        200: {"description": "`{classId, source: engagement, updatedAt, students}`"},
        400: {"description": "Invalid classId or numResults: `{error, field}`"},
        401: {"description": "No caller identity"},
        403: {"description": "Not a teacher of the class, nor admin"},
        404: {"description": "No engagement published for the class"},
        503: {"description": "The published object cannot be read"},
    },
    operation_id="get_class_ranking",
    tags=["ranking"],
)
def _get_class_ranking(classId: str) -> Response[Any]:  # noqa: N803 - the path parameter
    return as_response(serve_class_ranking(app.current_event.raw_event))


@app.not_found
def _not_found(_exc: Exception) -> Response[Any]:
    event = app.current_event
    return as_response(not_found(event.http_method, event.path))


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
