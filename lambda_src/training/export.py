"""Step 1: export DynamoDB data to S3 as Personalize CSV files, then start the Glue crawler.

It also publishes the nightly engagement ranking of every class (``training.engagement``)
and the popularity ranking of the items, overall and per item type (``training.popularity``,
the ranking API's fallback) from the same scans, whatever the data guard decides.

Handler: ``training.app.export_handler``. Also the data guard: the result's ``status``
is ``NOT_ENOUGH_DATA`` when the thresholds are not met (the state machine then ends in
its ``SkippedNotEnoughData`` Succeed state), else ``READY``.

Rows are streamed: DynamoDB scan pages are written row by row to temporary files (``/tmp``)
and uploaded with a (multipart) managed upload, so memory holds one page plus one counter
per user and per item, never the rows.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, Final

from botocore.exceptions import ClientError

from student_platform.aws import cached_client
from training.common import (
    DEFAULT_RECIPE_ARN,
    ITEM_TYPE_CLASS,
    ITEM_TYPES,
    ConfigError,
    RunContext,
    int_env,
    logger,
    optional_env,
    recipe_short_name,
    require_env,
    run_context_from_event,
    utc_now_iso,
)
from training.engagement import Engagement, engagement_prefix, members, publish_rankings
from training.popularity import popularity_document, popularity_key, publish_popularity

INTERACTIONS_HEADER: Final = ("USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE")
USERS_HEADER: Final = ("USER_ID", "LANGUAGE", "CLASS_ID")
ITEMS_HEADER: Final = (
    "ITEM_ID",
    "ITEM_TYPE",
    "SUBJECT",
    "LEVEL",
    "ACTIVITY_COUNT",
    "CREATION_TIMESTAMP",
)
DEFAULT_EVENT_TYPES: Final = ("enrolled", "submitAssignment", "viewMaterial", "takeQuiz")
# Values above this are epoch milliseconds (1e11 s is the year 5138).
MILLIS_THRESHOLD: Final = 100_000_000_000
# GetPersonalizedRanking / batch ranking accept at most 500 candidate items.
MAX_RANKING_CANDIDATES: Final = 500
STATUS_READY: Final = "READY"
STATUS_NOT_ENOUGH_DATA: Final = "NOT_ENOUGH_DATA"


@dataclass(frozen=True)
class GuardThresholds:
    min_interactions: int = 1000
    min_active_users: int = 25
    min_interactions_per_user: int = 2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GuardThresholds:
        return cls(
            min_interactions=int_env("MIN_INTERACTIONS", 1000, environ),
            min_active_users=int_env("MIN_ACTIVE_USERS", 25, environ),
            min_interactions_per_user=int_env("MIN_INTERACTIONS_PER_USER", 2, environ),
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "minInteractions": self.min_interactions,
            "minActiveUsers": self.min_active_users,
            "minInteractionsPerUser": self.min_interactions_per_user,
        }


@dataclass(frozen=True)
class ExportSettings:
    interactions_table: str
    students_table: str
    class_activity_table: str
    bucket: str
    export_prefix: str = "personalize/export/"
    batch_prefix: str = "personalize/batch/"
    kms_key_arn: str | None = None
    crawler_name: str | None = None
    watermark_parameter: str | None = None
    recipe_arn: str = DEFAULT_RECIPE_ARN
    event_types: tuple[str, ...] = DEFAULT_EVENT_TYPES
    thresholds: GuardThresholds = field(default_factory=GuardThresholds)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ExportSettings:
        event_types = optional_env("ALLOWED_EVENT_TYPES", environ)
        return cls(
            interactions_table=require_env("INTERACTIONS_TABLE_NAME", environ),
            students_table=require_env("STUDENTS_TABLE_NAME", environ),
            class_activity_table=require_env("CLASS_ACTIVITY_TABLE_NAME", environ),
            bucket=require_env("DATA_BUCKET", environ),
            export_prefix=_as_prefix(
                optional_env("EXPORT_PREFIX", environ) or "personalize/export/"
            ),
            batch_prefix=_as_prefix(optional_env("BATCH_PREFIX", environ) or "personalize/batch/"),
            kms_key_arn=optional_env("DATA_KMS_KEY_ARN", environ),
            crawler_name=optional_env("GLUE_CRAWLER_NAME", environ),
            watermark_parameter=optional_env("WATERMARK_PARAMETER_NAME", environ),
            recipe_arn=optional_env("RECIPE_ARN", environ) or DEFAULT_RECIPE_ARN,
            event_types=tuple(t.strip() for t in event_types.split(",") if t.strip())
            if event_types
            else DEFAULT_EVENT_TYPES,
            thresholds=GuardThresholds.from_env(environ),
        )


def _as_prefix(prefix: str) -> str:
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


@dataclass(frozen=True)
class Interaction:
    user_id: str
    item_id: str
    timestamp: int
    event_type: str


@dataclass
class ExportCounts:
    interactions: int = 0
    skipped_interactions: int = 0
    delta_interactions: int = 0
    users: int = 0
    users_with_min_interactions: int = 0
    students: int = 0
    items: int = 0
    items_by_type: dict[str, int] = field(default_factory=dict)
    batch_users: int = 0
    max_timestamp: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "interactions": self.interactions,
            "skippedInteractions": self.skipped_interactions,
            "deltaInteractions": self.delta_interactions,
            "users": self.users,
            "usersWithMinInteractions": self.users_with_min_interactions,
            "students": self.students,
            "items": self.items,
            "itemsByType": dict(self.items_by_type),
            "batchUsers": self.batch_users,
        }


# --- reading DynamoDB ---------------------------------------------------------------------


def scan_items(
    dynamodb: Any, table: str, attributes: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    """Raw (typed) items of ``table``, page by page, projecting ``{placeholder: attribute}``."""
    paginator = dynamodb.get_paginator("scan")
    pages = paginator.paginate(
        TableName=table,
        ProjectionExpression=", ".join(attributes),
        ExpressionAttributeNames=dict(attributes),
    )
    for page in pages:
        yield from page.get("Items", [])


def _string(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    if not isinstance(value, Mapping):
        return None
    raw = value.get("S", value.get("N"))
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def _integer(item: Mapping[str, Any], name: str) -> int | None:
    raw = _string(item, name)
    if raw is None:
        return None
    try:
        number = int(Decimal(raw))
    except (InvalidOperation, ValueError):
        return None
    return number // 1000 if number >= MILLIS_THRESHOLD else number


def parse_interaction(
    item: Mapping[str, Any], event_types: tuple[str, ...] = DEFAULT_EVENT_TYPES
) -> Interaction | None:
    """An Interactions table item as a Personalize row, or None if it is unusable."""
    user_id = _string(item, "studentId")
    item_id = _string(item, "itemId")
    event_type = _string(item, "eventType")
    timestamp = _integer(item, "timestamp")
    if not user_id or not item_id or event_type not in event_types:
        return None
    if timestamp is None or timestamp <= 0:
        return None
    return Interaction(user_id, item_id, timestamp, event_type)


def iter_interactions(dynamodb: Any, table: str) -> Iterator[dict[str, Any]]:
    return scan_items(
        dynamodb,
        table,
        {"#u": "studentId", "#i": "itemId", "#e": "eventType", "#t": "timestamp", "#v": "eventId"},
    )


# --- writing S3 ----------------------------------------------------------------------------


class SpoolFile:
    """A text spool in a temporary file (``/tmp`` on Lambda), uploaded when complete."""

    def __init__(self) -> None:
        self.text: IO[str] = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in close()
            mode="w", encoding="utf-8", newline="", suffix=".spool", delete=False
        )
        self.path = Path(self.text.name)

    def upload(
        self, s3: Any, bucket: str, key: str, content_type: str, kms_key_arn: str | None
    ) -> str:
        """Upload (a managed, multipart when large, transfer) and return the s3:// URI."""
        self.text.close()
        extra: dict[str, str] = {"ContentType": content_type}
        if kms_key_arn:
            extra["ServerSideEncryption"] = "aws:kms"
            extra["SSEKMSKeyId"] = kms_key_arn
        s3.upload_file(str(self.path), bucket, key, ExtraArgs=extra)
        return f"s3://{bucket}/{key}"

    def close(self) -> None:
        self.text.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> SpoolFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_watermark(ssm: Any, parameter: str | None) -> int | None:
    """The max TIMESTAMP of the last imported interactions (None: never imported)."""
    if not parameter:
        return None
    try:
        value = ssm.get_parameter(Name=parameter)["Parameter"]["Value"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ParameterNotFound":
            return None
        raise
    try:
        return int(json.loads(value)["maxTimestamp"])
    except (ValueError, KeyError, TypeError):
        logger.warning("Ignoring malformed watermark parameter", parameter=parameter)
        return None


def start_crawler(glue: Any, crawler_name: str | None) -> str:
    if not crawler_name:
        return "DISABLED"
    try:
        glue.start_crawler(Name=crawler_name)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "CrawlerRunningException":
            logger.info("Crawler already running", crawler=crawler_name)
            return "ALREADY_RUNNING"
        raise
    return "STARTED"


def evaluate_guard(counts: ExportCounts, thresholds: GuardThresholds) -> tuple[str, str | None]:
    """``(READY, None)`` or ``(NOT_ENOUGH_DATA, why)``."""
    reasons = []
    if counts.interactions < thresholds.min_interactions:
        reasons.append(f"{counts.interactions} interactions < {thresholds.min_interactions}")
    if counts.users_with_min_interactions < thresholds.min_active_users:
        reasons.append(
            f"{counts.users_with_min_interactions} users with >= "
            f"{thresholds.min_interactions_per_user} interactions < {thresholds.min_active_users}"
        )
    if reasons:
        return STATUS_NOT_ENOUGH_DATA, "; ".join(reasons)
    return STATUS_READY, None


# --- the export ----------------------------------------------------------------------------


def _key(settings: ExportSettings, dataset: str, run: RunContext, filename: str) -> str:
    return f"{settings.export_prefix}{dataset}/run_date={run.run_date}/{filename}"


def _export_interactions(
    settings: ExportSettings,
    run: RunContext,
    dynamodb: Any,
    s3: Any,
    *,
    watermark: int | None,
    counts: ExportCounts,
    engagement: Engagement,
) -> tuple[Counter[str], Counter[str], dict[str, str]]:
    per_user: Counter[str] = Counter()
    per_item: Counter[str] = Counter()
    with SpoolFile() as full, SpoolFile() as delta:
        full_writer = csv.writer(full.text, lineterminator="\n")
        delta_writer = csv.writer(delta.text, lineterminator="\n")
        full_writer.writerow(INTERACTIONS_HEADER)
        delta_writer.writerow(INTERACTIONS_HEADER)
        for raw in iter_interactions(dynamodb, settings.interactions_table):
            student, item = _string(raw, "studentId"), _string(raw, "itemId")
            if student and item:
                engagement.add_interaction(
                    student, item, _string(raw, "eventType"), _string(raw, "eventId")
                )
            row = parse_interaction(raw, settings.event_types)
            if row is None:
                counts.skipped_interactions += 1
                continue
            values = (row.user_id, row.item_id, row.timestamp, row.event_type)
            full_writer.writerow(values)
            counts.interactions += 1
            per_user[row.user_id] += 1
            per_item[row.item_id] += 1
            if counts.max_timestamp is None or row.timestamp > counts.max_timestamp:
                counts.max_timestamp = row.timestamp
            if watermark is None or row.timestamp > watermark:
                delta_writer.writerow(values)
                counts.delta_interactions += 1
        uris = {
            "interactions": full.upload(
                s3,
                settings.bucket,
                _key(settings, "interactions", run, "interactions.csv"),
                "text/csv",
                settings.kms_key_arn,
            ),
            "interactionsDelta": delta.upload(
                s3,
                settings.bucket,
                _key(settings, "interactions-delta", run, "interactions-delta.csv"),
                "text/csv",
                settings.kms_key_arn,
            ),
        }
    counts.users = len(per_user)
    counts.users_with_min_interactions = sum(
        1 for n in per_user.values() if n >= settings.thresholds.min_interactions_per_user
    )
    return per_user, per_item, uris


def _export_users(
    settings: ExportSettings,
    run: RunContext,
    dynamodb: Any,
    s3: Any,
    counts: ExportCounts,
    *,
    engagement: Engagement,
) -> tuple[set[str], str]:
    students: set[str] = set()
    with SpoolFile() as spool:
        writer = csv.writer(spool.text, lineterminator="\n")
        writer.writerow(USERS_HEADER)
        attributes = {"#u": "studentId", "#l": "language", "#c": "classId", "#m": "classIds"}
        for item in scan_items(dynamodb, settings.students_table, attributes):
            user_id = _string(item, "studentId")
            if not user_id:
                continue
            students.add(user_id)
            for class_id in members(item):
                engagement.add_member(class_id, user_id)
            writer.writerow((user_id, _string(item, "language"), _string(item, "classId")))
        counts.students = len(students)
        uri = spool.upload(
            s3,
            settings.bucket,
            _key(settings, "users", run, "users.csv"),
            "text/csv",
            settings.kms_key_arn,
        )
    return students, uri


@dataclass
class _ItemAggregate:
    item_type: str = ITEM_TYPE_CLASS
    subject: str | None = None
    level: str | None = None
    activities: int = 0
    created: int | None = None

    def add(self, item: Mapping[str, Any]) -> None:
        self.subject = self.subject or _string(item, "subject")
        self.level = self.level or _string(item, "level")
        created = _integer(item, "createdAt")
        if created is not None and (self.created is None or created < self.created):
            self.created = created


def _export_items(
    settings: ExportSettings,
    run: RunContext,
    dynamodb: Any,
    s3: Any,
    counts: ExportCounts,
    *,
    engagement: Engagement,
    item_types: dict[str, str],
) -> str:
    """Items = every class of ClassActivity (ITEM_TYPE class, ACTIVITY_COUNT its rows) plus
    every material / quiz its catalog rows name (``activityType`` material | quiz,
    ``itemId``; ACTIVITY_COUNT 0, SUBJECT / LEVEL from the row, else from the class)."""
    classes: dict[str, _ItemAggregate] = {}
    typed: dict[str, _ItemAggregate] = {}
    owner: dict[str, str] = {}
    attributes = {
        "#k": "classId",
        "#s": "subject",
        "#l": "level",
        "#c": "createdAt",
        "#a": "activityType",
        "#i": "itemId",
        "#u": "studentId",
        "#e": "eventId",
    }
    for item in scan_items(dynamodb, settings.class_activity_table, attributes):
        class_id = _string(item, "classId")
        if not class_id:
            continue
        engagement.add_class(class_id)
        agg = classes.setdefault(class_id, _ItemAggregate())
        agg.activities += 1
        kind, item_id = _string(item, "activityType"), _string(item, "itemId")
        if kind in ITEM_TYPES and kind != ITEM_TYPE_CLASS and item_id:
            typed.setdefault(item_id, _ItemAggregate(item_type=kind)).add(item)
            owner[item_id] = class_id
            engagement.add_catalog_item(class_id, item_id)
            continue
        agg.add(item)
        student, event_id = _string(item, "studentId"), _string(item, "eventId")
        if student and event_id:
            engagement.add_activity(class_id, student, event_id, kind)
    counts.items = len(classes) + len(typed)
    item_types.update({class_id: ITEM_TYPE_CLASS for class_id in classes})
    item_types.update({item_id: agg.item_type for item_id, agg in typed.items()})
    counts.items_by_type = Counter(
        [ITEM_TYPE_CLASS] * len(classes) + [t.item_type for t in typed.values()]
    )
    with SpoolFile() as spool:
        writer = csv.writer(spool.text, lineterminator="\n")
        writer.writerow(ITEMS_HEADER)
        for class_id in sorted(classes):
            agg = classes[class_id]
            writer.writerow(
                (class_id, agg.item_type, agg.subject, agg.level, agg.activities, agg.created)
            )
        for item_id in sorted(typed):
            agg, parent = typed[item_id], classes[owner[item_id]]
            writer.writerow(
                (
                    item_id,
                    agg.item_type,
                    agg.subject or parent.subject,
                    agg.level or parent.level,
                    0,
                    agg.created,
                )
            )
        return spool.upload(
            s3,
            settings.bucket,
            _key(settings, "items", run, "items.csv"),
            "text/csv",
            settings.kms_key_arn,
        )


def _write_batch_input(
    settings: ExportSettings,
    run: RunContext,
    s3: Any,
    *,
    users: set[str],
    per_item: Counter[str],
    counts: ExportCounts,
) -> str:
    """JSON lines for CreateBatchInferenceJob: ``{"userId"}`` (+ ``itemList`` for ranking)."""
    recipe = run.recipe_arn or settings.recipe_arn
    candidates: list[str] | None = None
    if "personalized-ranking" in recipe_short_name(recipe):
        candidates = [item for item, _ in per_item.most_common(MAX_RANKING_CANDIDATES)]
    with SpoolFile() as spool:
        for user_id in sorted(users):
            line: dict[str, Any] = {"userId": user_id}
            if candidates is not None:
                line["itemList"] = candidates
            spool.text.write(json.dumps(line, separators=(",", ":")) + "\n")
        counts.batch_users = len(users)
        key = f"{settings.batch_prefix}input/{run.run_id}/users.jsonl"
        return spool.upload(s3, settings.bucket, key, "application/jsonl", settings.kms_key_arn)


def export(
    settings: ExportSettings,
    run: RunContext,
    *,
    dynamodb: Any,
    s3: Any,
    ssm: Any,
    glue: Any,
) -> dict[str, Any]:
    """Export the three datasets (+ batch input), start the crawler, apply the data guard."""
    counts = ExportCounts()
    engagement = Engagement()
    watermark = read_watermark(ssm, settings.watermark_parameter)
    # ClassActivity first: its catalog maps materials and quizzes to their class.
    item_types: dict[str, str] = {}
    items_uri = _export_items(
        settings, run, dynamodb, s3, counts, engagement=engagement, item_types=item_types
    )
    per_user, per_item, files = _export_interactions(
        settings, run, dynamodb, s3, watermark=watermark, counts=counts, engagement=engagement
    )
    students, files["users"] = _export_users(
        settings, run, dynamodb, s3, counts, engagement=engagement
    )
    files["items"] = items_uri
    files["batchInput"] = _write_batch_input(
        settings, run, s3, users=students | set(per_user), per_item=per_item, counts=counts
    )
    published = publish_rankings(
        s3,
        settings.bucket,
        engagement_prefix(settings.batch_prefix),
        engagement.rankings(),
        run_id=run.run_id,
        updated_at=utc_now_iso(),
        kms_key_arn=settings.kms_key_arn,
    )
    popular = publish_popularity(
        s3,
        settings.bucket,
        popularity_key(settings.batch_prefix),
        popularity_document(per_item, item_types, run_id=run.run_id, updated_at=utc_now_iso()),
        settings.kms_key_arn,
    )
    crawler = start_crawler(glue, settings.crawler_name)
    status, reason = evaluate_guard(counts, settings.thresholds)
    result: dict[str, Any] = {
        "status": status,
        "run": run.as_dict(),
        "counts": counts.as_dict(),
        "thresholds": settings.thresholds.as_dict(),
        "watermark": {"previous": watermark, "current": counts.max_timestamp},
        "files": files,
        "engagement": published,
        "popularity": popular,
        "crawler": crawler,
    }
    if reason:
        result["reason"] = reason
    logger.info("Export finished", status=status, counts=result["counts"], reason=reason)
    return result


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        settings = ExportSettings.from_env()
    except ConfigError:
        logger.exception("Invalid configuration")
        raise
    run = run_context_from_event(event)
    logger.append_keys(run_id=run.run_id)
    return export(
        settings,
        run,
        dynamodb=cached_client("dynamodb"),
        s3=cached_client("s3"),
        ssm=cached_client("ssm"),
        glue=cached_client("glue"),
    )
