"""The emulated Personalize control plane: resources, their lifecycles, their errors.

One `PersonalizeState` per account and region, kept on moto's (schemas-only)
`PersonalizeBackend` instance, so `/moto-api/reset` forgets it with everything else. Every
operation takes the request's JSON parameters and returns the JSON answer AWS documents
(the botocore service model's output shape) or raises `PersonalizeError` with AWS's error
code. Asynchronous resources move `CREATE PENDING` → `CREATE IN_PROGRESS` → `ACTIVE` (or
`CREATE FAILED` with a `failureReason`) one step per `delay()` seconds of wall time or per
tick of the state's `ReadClock` (a request that showed a client a status), whichever comes
first: a client that polls sees every status once and never waits on the clock, and one
that does not poll still finds its resources settled. Both clocks are the state's, so
resources still settle in creation order. Deletes are immediate.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from iackit.emulator.personalize import model

PENDING: Final = "CREATE PENDING"
IN_PROGRESS: Final = "CREATE IN_PROGRESS"
ACTIVE: Final = "ACTIVE"
FAILED: Final = "CREATE FAILED"

NAME_RE: Final = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$")
DATASET_TYPES: Final = {
    "interactions": "INTERACTIONS",
    "users": "USERS",
    "items": "ITEMS",
    "actions": "ACTIONS",
    "action_interactions": "ACTION_INTERACTIONS",
}
MIN_INTERACTIONS: Final = 1000
MIN_USERS: Final = 25
MIN_INTERACTIONS_PER_USER: Final = 2

# recipe name -> (recipeType, UPDATE training allowed). The User-Personalization recipe and
# the legacy HRNN-Coldstart recipe are the only ones CreateSolutionVersion accepts UPDATE for.
RECIPES: Final = {
    "aws-user-personalization": ("USER_PERSONALIZATION", True),
    "aws-user-personalization-v2": ("USER_PERSONALIZATION", False),
    "aws-hrnn-coldstart": ("USER_PERSONALIZATION", True),
    "aws-popularity-count": ("USER_PERSONALIZATION", False),
    "aws-personalized-ranking": ("PERSONALIZED_RANKING", False),
    "aws-personalized-ranking-v2": ("PERSONALIZED_RANKING", False),
    "aws-similar-items": ("RELATED_ITEMS", False),
    "aws-sims": ("RELATED_ITEMS", False),
}


def delay() -> float:
    """Seconds per lifecycle step (`IACKIT_PERSONALIZE_DELAY`, default 0.05)."""
    try:
        return max(0.0, float(os.environ.get("IACKIT_PERSONALIZE_DELAY", "0.05")))
    except ValueError:
        return 0.05


class PersonalizeError(Exception):
    """An error answer: HTTP 400 with `__type` = `code` (the service model's error shapes)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(arn: str) -> PersonalizeError:
    return PersonalizeError("ResourceNotFoundException", f"Could not find resource: {arn}")


def in_use(message: str) -> PersonalizeError:
    return PersonalizeError("ResourceInUseException", message)


def invalid(message: str) -> PersonalizeError:
    return PersonalizeError("InvalidInputException", message)


@dataclass
class ReadClock:
    """Ticks once per request that showed a client a status (Describe, List), when that
    request ends: within one request every resource is read at the same tick."""

    ticks: int = 0
    read: bool = False

    def advance(self) -> None:
        if self.read:
            self.ticks, self.read = self.ticks + 1, False


@dataclass
class Resource:
    """One Personalize resource; `fields` are its Describe members (status excluded)."""

    arn: str
    fields: dict[str, Any]
    created: float = field(default_factory=time.time)
    asynchronous: bool = True
    failure: str | None = None
    settled: float | None = None  # when it left IN_PROGRESS
    clock: ReadClock = field(default_factory=ReadClock)  # the state's
    created_tick: int = -1  # the clock's tick at creation (set from `clock`)
    on_active: Callable[[], str | None] | None = None  # returns a failure reason or None

    def __post_init__(self) -> None:
        if self.created_tick < 0:
            self.created_tick = self.clock.ticks

    def status(self, now: float | None = None) -> str:
        """The status at `now`; internal checks call this, and it reads nothing."""
        if not self.asynchronous:
            return ACTIVE
        now = now or time.time()
        step = delay()
        steps = max(
            self.clock.ticks - self.created_tick,
            int((now - self.created) // step) if step > 0 else 2,
        )
        if steps == 0:
            return PENDING
        if steps == 1:
            return IN_PROGRESS
        if self.settled is None:
            self.settled = now
            if self.on_active is not None and self.failure is None:
                self.failure = self.on_active()
        return FAILED if self.failure else ACTIVE

    def describe(self, *, with_status: bool = True) -> dict[str, Any]:
        """The Describe answer; with its status, the request is a read (see ReadClock)."""
        body = {k: v for k, v in self.fields.items() if v is not None}
        body["creationDateTime"] = self.created
        body["lastUpdatedDateTime"] = self.created
        if with_status and self.asynchronous:
            status = self.status()
            self.clock.read = True
            body["status"] = status
            body["lastUpdatedDateTime"] = self.settled or self.created
            if status == FAILED and self.failure:
                body["failureReason"] = self.failure
        return body

    def summary(self, keys: Iterable[str]) -> dict[str, Any]:
        full = self.describe()
        return {
            k: full[k]
            for k in (*keys, "creationDateTime", "lastUpdatedDateTime", "status", "failureReason")
            if k in full
        }


@dataclass
class PersonalizeState:
    account: str
    region: str
    # kind -> arn -> resource; kinds: dataset-group, schema, dataset, dataset-import-job,
    # filter, solution, solution-version, campaign, batch-inference-job, event-tracker
    resources: dict[str, dict[str, Resource]] = field(default_factory=dict)
    records: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # dataset arn -> rows
    models: dict[str, model.Model] = field(default_factory=dict)  # solution version arn -> model
    clock: ReadClock = field(default_factory=ReadClock)
    read_s3: Callable[[str, str], list[tuple[str, bytes]]] | None = None
    write_s3: Callable[[str, str, bytes], None] | None = None

    # ------------------------------------------------------------------ helpers
    def settle(self) -> None:
        """Bring every resource's lifecycle up to now (import jobs commit, versions train),
        oldest first, so what a job does happens in creation order whoever reads it."""
        for resource in sorted(iter_all(self), key=lambda r: r.created):
            resource.status()

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:personalize:{self.region}:{self.account}:{kind}/{name}"

    def kind(self, kind: str) -> dict[str, Resource]:
        return self.resources.setdefault(kind, {})

    def get(self, kind: str, arn: Any) -> Resource:
        if not isinstance(arn, str) or not arn:
            raise invalid(f"Provide a valid {kind} ARN.")
        found = self.kind(kind).get(arn)
        if found is None:
            raise not_found(arn)
        return found

    def active(self, kind: str, arn: Any, what: str) -> Resource:
        resource = self.get(kind, arn)
        status = resource.status()
        if status != ACTIVE:
            raise in_use(f"{what} {arn} is not in ACTIVE state (status: {status}).")
        return resource

    def add(
        self,
        kind: str,
        name: Any,
        fields: dict[str, Any],
        arn: str | None = None,
        *,
        asynchronous: bool = True,
    ) -> Resource:
        if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 63:
            raise invalid(
                f"Name {name!r} is invalid: 1 to 63 characters, [a-zA-Z0-9][a-zA-Z0-9-_]*."
            )
        arn = arn or self.arn(kind, name)
        if arn in self.kind(kind):
            raise PersonalizeError(
                "ResourceAlreadyExistsException", f"Resource already exists: {arn}"
            )
        resource = Resource(arn=arn, fields=fields, asynchronous=asynchronous, clock=self.clock)
        self.kind(kind)[arn] = resource
        return resource

    def children(self, kind: str, key: str, parent: str) -> list[Resource]:
        return [r for r in self.kind(kind).values() if r.fields.get(key) == parent]

    @staticmethod
    def page(items: list[dict[str, Any]], params: dict[str, Any], key: str) -> dict[str, Any]:
        size = int(params.get("maxResults") or 100)
        if not 1 <= size <= 100:
            raise invalid("maxResults must be between 1 and 100.")
        token = params.get("nextToken")
        start = int(token) if isinstance(token, str) and token.isdigit() else 0
        answer: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            answer["nextToken"] = str(start + size)
        return answer

    def listing(
        self,
        kind: str,
        params: dict[str, Any],
        key: str,
        keys: Iterable[str],
        parent: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        found = list(self.kind(kind).values())
        if parent is not None and params.get(parent[1]):
            found = [r for r in found if r.fields.get(parent[0]) == params[parent[1]]]
        found.sort(key=lambda r: r.created, reverse=True)
        return self.page([r.summary(keys) for r in found], params, key)

    # ------------------------------------------------------------------ dataset groups
    def create_dataset_group(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("kmsKeyArn") and not p.get("roleArn"):
            raise invalid("A roleArn is required when kmsKeyArn is provided.")
        r = self.add(
            "dataset-group",
            p.get("name"),
            {
                "name": p.get("name"),
                "roleArn": p.get("roleArn"),
                "kmsKeyArn": p.get("kmsKeyArn"),
                "domain": p.get("domain"),
            },
        )
        r.fields["datasetGroupArn"] = r.arn
        return {"datasetGroupArn": r.arn} | ({"domain": p["domain"]} if p.get("domain") else {})

    def describe_dataset_group(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"datasetGroup": self.get("dataset-group", p.get("datasetGroupArn")).describe()}

    def list_dataset_groups(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "dataset-group", p, "datasetGroups", ("name", "datasetGroupArn", "domain")
        )

    def delete_dataset_group(self, p: dict[str, Any]) -> dict[str, Any]:
        group = self.get("dataset-group", p.get("datasetGroupArn"))
        for kind in ("dataset", "solution", "filter", "event-tracker"):
            if self.children(kind, "datasetGroupArn", group.arn):
                raise in_use(f"Dataset group {group.arn} has {kind} resources; delete them first.")
        del self.kind("dataset-group")[group.arn]
        return {}

    # ------------------------------------------------------------------ schemas
    def create_schema(self, p: dict[str, Any]) -> dict[str, Any]:
        text = p.get("schema")
        fields = model.schema_fields(text)
        if fields is None:
            raise invalid("The schema is not a valid Avro record schema (type record, fields).")
        r = self.add(
            "schema",
            p.get("name"),
            {"name": p.get("name"), "schema": text, "domain": p.get("domain")},
            asynchronous=False,
        )
        r.fields["schemaArn"] = r.arn
        return {"schemaArn": r.arn}

    def describe_schema(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"schema": self.get("schema", p.get("schemaArn")).describe(with_status=False)}

    def list_schemas(self, p: dict[str, Any]) -> dict[str, Any]:
        found = sorted(self.kind("schema").values(), key=lambda r: r.created, reverse=True)
        rows = [
            {k: v for k, v in r.describe(with_status=False).items() if k != "schema"} for r in found
        ]
        return self.page(rows, p, "schemas")

    def delete_schema(self, p: dict[str, Any]) -> dict[str, Any]:
        schema = self.get("schema", p.get("schemaArn"))
        if self.children("dataset", "schemaArn", schema.arn):
            raise in_use(f"Schema {schema.arn} is used by a dataset.")
        del self.kind("schema")[schema.arn]
        return {}

    # ------------------------------------------------------------------ datasets
    def create_dataset(self, p: dict[str, Any]) -> dict[str, Any]:
        group = self.active("dataset-group", p.get("datasetGroupArn"), "Dataset group")
        schema = self.get("schema", p.get("schemaArn"))
        dataset_type = DATASET_TYPES.get(str(p.get("datasetType", "")).lower())
        if dataset_type is None:
            raise invalid(f"Invalid datasetType {p.get('datasetType')!r}.")
        group_name = group.fields["name"]
        arn = self.arn("dataset", f"{group_name}/{dataset_type}")
        if arn in self.kind("dataset"):
            raise PersonalizeError(
                "ResourceAlreadyExistsException",
                f"Dataset of type {dataset_type} already exists in {group.arn}",
            )
        r = self.add(
            "dataset",
            p.get("name"),
            {
                "name": p.get("name"),
                "datasetArn": arn,
                "datasetGroupArn": group.arn,
                "datasetType": dataset_type,
                "schemaArn": schema.arn,
            },
            arn,
        )
        self.records[arn] = []
        return {"datasetArn": r.arn}

    def describe_dataset(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"dataset": self.get("dataset", p.get("datasetArn")).describe()}

    def list_datasets(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "dataset",
            p,
            "datasets",
            ("name", "datasetArn", "datasetType"),
            ("datasetGroupArn", "datasetGroupArn"),
        )

    def delete_dataset(self, p: dict[str, Any]) -> dict[str, Any]:
        dataset = self.get("dataset", p.get("datasetArn"))
        for job in self.children("dataset-import-job", "datasetArn", dataset.arn):
            if job.status() in (PENDING, IN_PROGRESS):
                raise in_use(f"Dataset {dataset.arn} has an import job in progress.")
        del self.kind("dataset")[dataset.arn]
        self.records.pop(dataset.arn, None)
        for job in self.children("dataset-import-job", "datasetArn", dataset.arn):
            del self.kind("dataset-import-job")[job.arn]
        return {}

    # ------------------------------------------------------------------ import jobs
    def create_dataset_import_job(self, p: dict[str, Any]) -> dict[str, Any]:
        dataset = self.active("dataset", p.get("datasetArn"), "Dataset")
        location = (p.get("dataSource") or {}).get("dataLocation")
        mode = p.get("importMode") or "FULL"
        if mode not in ("FULL", "INCREMENTAL"):
            raise invalid(f"Invalid importMode {mode!r}: FULL or INCREMENTAL.")
        if not isinstance(location, str) or not location.startswith("s3://"):
            raise invalid("Invalid Data location.")
        running = [
            j
            for j in self.kind("dataset-import-job").values()
            if j.status() in (PENDING, IN_PROGRESS)
        ]
        if len(running) >= 5:
            raise PersonalizeError(
                "LimitExceededException",
                "More than 5 resources with PENDING or IN_PROGRESS status.",
            )
        r = self.add(
            "dataset-import-job",
            p.get("jobName"),
            {
                "jobName": p.get("jobName"),
                "datasetArn": dataset.arn,
                "dataSource": {"dataLocation": location},
                "roleArn": p.get("roleArn"),
                "importMode": mode,
                "publishAttributionMetricsToS3": False,
            },
        )
        r.fields["datasetImportJobArn"] = r.arn
        # Read and validate now (the data as it is when the job starts); commit when ACTIVE.
        rows, failure = self._load(dataset, location)
        r.failure = failure

        def commit() -> str | None:
            key = {"USERS": "USER_ID", "ITEMS": "ITEM_ID"}.get(dataset.fields["datasetType"])
            if mode == "FULL":
                self.records[dataset.arn] = list(rows)
            elif key is None:  # interactions have no ID: INCREMENTAL appends
                self.records.setdefault(dataset.arn, []).extend(rows)
            else:  # users and items: a record with the same ID is replaced
                merged = {r.get(key, ""): r for r in self.records.get(dataset.arn, [])}
                merged.update({r.get(key, ""): r for r in rows})
                self.records[dataset.arn] = list(merged.values())
            return None

        r.on_active = commit
        return {"datasetImportJobArn": r.arn}

    def _load(self, dataset: Resource, location: str) -> tuple[list[dict[str, str]], str | None]:
        label = dataset.fields["datasetType"].lower()
        prefix = f"Failed to create a data import job for {label} dataset."
        schema = self.kind("schema").get(dataset.fields["schemaArn"])
        columns = model.schema_fields(schema.fields["schema"] if schema else None) or []
        bucket, _, key = location[len("s3://") :].partition("/")
        try:
            objects = self.read_s3(bucket, key) if self.read_s3 else []
        except KeyError:
            objects = []
        objects = [(k, body) for k, body in objects if key.endswith(".csv") or k.endswith(".csv")]
        if not bucket or not objects:
            return [], f"{prefix} Invalid Data location."
        rows: list[dict[str, str]] = []
        for object_key, body in objects:
            try:
                reader = csv.DictReader(io.StringIO(body.decode("utf-8")))
                header = [h.strip() for h in reader.fieldnames or []]
                missing = [c.name for c in columns if c.required and c.name not in header]
                if missing:
                    return (
                        [],
                        f"{prefix} Input CSV is missing the following columns: "
                        f"[{', '.join(missing)}].",
                    )
                for number, raw in enumerate(reader, start=2):
                    row = {(k or "").strip(): (v or "") for k, v in raw.items()}
                    for column in columns:
                        problem = column.check(row.get(column.name, ""))
                        if problem:
                            return [], (
                                f"{prefix} {object_key} line {number}: column "
                                f"{column.name} {problem}."
                            )
                    rows.append(row)
            except (UnicodeDecodeError, csv.Error) as exc:
                return [], f"{prefix} {object_key} is not a UTF-8 CSV file: {exc}."
        return rows, None

    def describe_dataset_import_job(self, p: dict[str, Any]) -> dict[str, Any]:
        job = self.get("dataset-import-job", p.get("datasetImportJobArn"))
        return {"datasetImportJob": job.describe()}

    def list_dataset_import_jobs(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "dataset-import-job",
            p,
            "datasetImportJobs",
            ("datasetImportJobArn", "jobName", "importMode"),
            ("datasetArn", "datasetArn"),
        )

    # ------------------------------------------------------------------ filters
    def create_filter(self, p: dict[str, Any]) -> dict[str, Any]:
        group = self.active("dataset-group", p.get("datasetGroupArn"), "Dataset group")
        expression = p.get("filterExpression")
        try:
            model.parse_filter(expression)
        except ValueError as exc:
            raise invalid(f"Invalid filter expression: {exc}") from exc
        r = self.add(
            "filter",
            p.get("name"),
            {"name": p.get("name"), "datasetGroupArn": group.arn, "filterExpression": expression},
        )
        r.fields["filterArn"] = r.arn
        return {"filterArn": r.arn}

    def describe_filter(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"filter": self.get("filter", p.get("filterArn")).describe()}

    def list_filters(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "filter",
            p,
            "Filters",
            ("name", "filterArn", "datasetGroupArn"),
            ("datasetGroupArn", "datasetGroupArn"),
        )

    def delete_filter(self, p: dict[str, Any]) -> dict[str, Any]:
        del self.kind("filter")[self.get("filter", p.get("filterArn")).arn]
        return {}

    # ------------------------------------------------------------------ recipes
    def recipe(self, arn: Any) -> tuple[str, str, bool]:
        name = arn.rsplit("/", 1)[-1] if isinstance(arn, str) else ""
        if (
            not isinstance(arn, str)
            or arn != f"arn:aws:personalize:::recipe/{name}"
            or name not in RECIPES
        ):
            raise not_found(str(arn))
        recipe_type, update = RECIPES[name]
        return name, recipe_type, update

    def describe_recipe(self, p: dict[str, Any]) -> dict[str, Any]:
        name, recipe_type, _ = self.recipe(p.get("recipeArn"))
        return {
            "recipe": {
                "name": name,
                "recipeArn": p["recipeArn"],
                "status": ACTIVE,
                "recipeType": recipe_type,
                "description": f"{name} (emulated)",
                "algorithmArn": f"arn:aws:personalize:::algorithm/{name}",
                "creationDateTime": 1546300800.0,
                "lastUpdatedDateTime": 1546300800.0,
            }
        }

    def list_recipes(self, p: dict[str, Any]) -> dict[str, Any]:
        rows = [
            {
                "name": n,
                "recipeArn": f"arn:aws:personalize:::recipe/{n}",
                "status": ACTIVE,
                "creationDateTime": 1546300800.0,
                "lastUpdatedDateTime": 1546300800.0,
            }
            for n in sorted(RECIPES)
        ]
        return self.page(rows, p, "recipes")

    # ------------------------------------------------------------------ solutions
    def create_solution(self, p: dict[str, Any]) -> dict[str, Any]:
        group = self.active("dataset-group", p.get("datasetGroupArn"), "Dataset group")
        recipe_arn = (
            p.get("recipeArn") or "arn:aws:personalize:::recipe/aws-user-personalization-v2"
        )
        self.recipe(recipe_arn)
        if not any(
            d.fields["datasetType"] == "INTERACTIONS"
            for d in self.children("dataset", "datasetGroupArn", group.arn)
        ):
            raise invalid(f"Dataset group {group.arn} has no interactions dataset.")
        r = self.add(
            "solution",
            p.get("name"),
            {
                "name": p.get("name"),
                "recipeArn": recipe_arn,
                "datasetGroupArn": group.arn,
                "performHPO": bool(p.get("performHPO", False)),
                "performAutoML": False,
                "performAutoTraining": bool(p.get("performAutoTraining", True)),
                "performIncrementalUpdate": bool(p.get("performIncrementalUpdate", False)),
                "eventType": p.get("eventType"),
                "solutionConfig": p.get("solutionConfig"),
            },
        )
        r.fields["solutionArn"] = r.arn
        return {"solutionArn": r.arn}

    def describe_solution(self, p: dict[str, Any]) -> dict[str, Any]:
        solution = self.get("solution", p.get("solutionArn"))
        body = solution.describe()
        versions = sorted(
            self.children("solution-version", "solutionArn", solution.arn), key=lambda v: v.created
        )
        if versions:
            body["latestSolutionVersion"] = versions[-1].summary(
                ("solutionVersionArn", "trainingMode", "trainingType")
            )
        return {"solution": body}

    def list_solutions(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "solution",
            p,
            "solutions",
            ("name", "solutionArn", "recipeArn"),
            ("datasetGroupArn", "datasetGroupArn"),
        )

    def delete_solution(self, p: dict[str, Any]) -> dict[str, Any]:
        solution = self.get("solution", p.get("solutionArn"))
        versions = self.children("solution-version", "solutionArn", solution.arn)
        for version in versions:
            if self.children("campaign", "solutionVersionArn", version.arn) or any(
                (c.fields.get("pendingUpdate") or {}).get("solutionVersionArn") == version.arn
                for c in self.kind("campaign").values()
            ):
                raise in_use(f"Solution {solution.arn} has a campaign; delete it first.")
            if version.status() in (PENDING, IN_PROGRESS):
                raise in_use(f"Solution {solution.arn} has a solution version in progress.")
        for version in versions:
            del self.kind("solution-version")[version.arn]
            self.models.pop(version.arn, None)
        del self.kind("solution")[solution.arn]
        return {}

    # ------------------------------------------------------------------ solution versions
    def create_solution_version(self, p: dict[str, Any]) -> dict[str, Any]:
        solution = self.active("solution", p.get("solutionArn"), "Solution")
        mode = p.get("trainingMode") or "FULL"
        recipe_name, recipe_type, update_capable = self.recipe(solution.fields["recipeArn"])
        versions = self.children("solution-version", "solutionArn", solution.arn)
        if mode not in ("FULL", "UPDATE", "AUTOTRAIN"):
            raise invalid(f"Invalid trainingMode {mode!r}.")
        if mode == "UPDATE":
            if not update_capable:
                raise invalid(
                    f"trainingMode UPDATE is not supported for recipe {recipe_name}: "
                    "only User-Personalization and HRNN-Coldstart accept it."
                )
            if not any(
                v.fields["trainingMode"] == "FULL" and v.status() == ACTIVE for v in versions
            ):
                raise invalid(
                    "trainingMode UPDATE requires an ACTIVE solution version trained with FULL."
                )
        if any(v.status() in (PENDING, IN_PROGRESS) for v in versions):
            raise in_use(f"Solution {solution.arn} already has a solution version in progress.")
        version_id = uuid.uuid4().hex[:8]
        name = p.get("name") or version_id
        arn = f"{solution.arn}/{version_id}"
        r = self.add(
            "solution-version",
            name,
            {
                "name": name,
                "solutionVersionArn": arn,
                "solutionArn": solution.arn,
                "recipeArn": solution.fields["recipeArn"],
                "datasetGroupArn": solution.fields["datasetGroupArn"],
                "performHPO": solution.fields["performHPO"],
                "performAutoML": False,
                "performIncrementalUpdate": solution.fields["performIncrementalUpdate"],
                "trainingMode": mode,
                "trainingType": "MANUAL",
                "trainingHours": 0.0,
                "solutionConfig": solution.fields.get("solutionConfig"),
                "eventType": solution.fields.get("eventType"),
            },
            arn,
        )

        def train() -> str | None:
            interactions, items = self.group_data(solution.fields["datasetGroupArn"])
            reason = model.minimums_failure(
                interactions, MIN_INTERACTIONS, MIN_USERS, MIN_INTERACTIONS_PER_USER
            )
            if reason is None:
                self.models[arn] = model.train(interactions, items, recipe_type)
            return reason

        r.on_active = train
        return {"solutionVersionArn": r.arn}

    def group_data(self, group_arn: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        rows: dict[str, list[dict[str, str]]] = {}
        for dataset in self.children("dataset", "datasetGroupArn", group_arn):
            rows[dataset.fields["datasetType"]] = self.records.get(dataset.arn, [])
        return rows.get("INTERACTIONS", []), rows.get("ITEMS", [])

    def describe_solution_version(self, p: dict[str, Any]) -> dict[str, Any]:
        version = self.get("solution-version", p.get("solutionVersionArn"))
        return {"solutionVersion": version.describe()}

    def list_solution_versions(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("solutionArn"):
            self.get("solution", p["solutionArn"])
        return self.listing(
            "solution-version",
            p,
            "solutionVersions",
            ("solutionVersionArn", "trainingMode", "trainingType"),
            ("solutionArn", "solutionArn"),
        )

    # ------------------------------------------------------------------ campaigns
    def _tps(self, p: dict[str, Any]) -> int:
        tps = p.get("minProvisionedTPS", 1)
        if not isinstance(tps, int) or tps < 1:
            raise invalid("minProvisionedTPS must be an integer of at least 1.")
        return tps

    def create_campaign(self, p: dict[str, Any]) -> dict[str, Any]:
        version = self.active("solution-version", p.get("solutionVersionArn"), "Solution version")
        r = self.add(
            "campaign",
            p.get("name"),
            {
                "name": p.get("name"),
                "solutionVersionArn": version.arn,
                "minProvisionedTPS": self._tps(p),
                "campaignConfig": p.get("campaignConfig"),
            },
        )
        r.fields["campaignArn"] = r.arn
        return {"campaignArn": r.arn}

    def campaign(self, arn: Any) -> Resource:
        """The campaign, with a finished update folded into its deployed fields."""
        campaign = self.get("campaign", arn)
        update = campaign.fields.get("pendingUpdate")
        if update is not None and update["resource"].status() == ACTIVE:
            campaign.fields["solutionVersionArn"] = update["solutionVersionArn"]
            campaign.fields["minProvisionedTPS"] = update["minProvisionedTPS"]
            if update.get("campaignConfig") is not None:
                campaign.fields["campaignConfig"] = update["campaignConfig"]
        return campaign

    def describe_campaign(self, p: dict[str, Any]) -> dict[str, Any]:
        campaign = self.campaign(p.get("campaignArn"))
        body = campaign.describe()
        body.pop("pendingUpdate", None)
        update = campaign.fields.get("pendingUpdate")
        if update is not None:
            summary = update["resource"].describe()
            summary.update({k: update[k] for k in ("solutionVersionArn", "minProvisionedTPS")})
            if update.get("campaignConfig") is not None:
                summary["campaignConfig"] = update["campaignConfig"]
            body["latestCampaignUpdate"] = summary
            body["lastUpdatedDateTime"] = summary["lastUpdatedDateTime"]
        return {"campaign": body}

    def update_campaign(self, p: dict[str, Any]) -> dict[str, Any]:
        campaign = self.campaign(p.get("campaignArn"))
        update = campaign.fields.get("pendingUpdate")
        if campaign.status() != ACTIVE or (
            update is not None and update["resource"].status() in (PENDING, IN_PROGRESS)
        ):
            raise in_use(f"Campaign {campaign.arn} is being created or updated.")
        target = p.get("solutionVersionArn") or campaign.fields["solutionVersionArn"]
        version = self.active("solution-version", target, "Solution version")
        if (
            version.fields["solutionArn"]
            != self.get("solution-version", campaign.fields["solutionVersionArn"]).fields[
                "solutionArn"
            ]
        ):
            raise invalid("The solution version must belong to the campaign's solution.")
        campaign.fields["pendingUpdate"] = {
            "resource": Resource(arn=campaign.arn, fields={}, clock=self.clock),
            "solutionVersionArn": version.arn,
            "minProvisionedTPS": self._tps(p)
            if "minProvisionedTPS" in p
            else campaign.fields["minProvisionedTPS"],
            "campaignConfig": p.get("campaignConfig"),
        }
        return {"campaignArn": campaign.arn}

    def list_campaigns(self, p: dict[str, Any]) -> dict[str, Any]:
        found = sorted(self.kind("campaign").values(), key=lambda r: r.created, reverse=True)
        if p.get("solutionArn"):
            found = [
                c
                for c in found
                if c.fields["solutionVersionArn"].startswith(p["solutionArn"] + "/")
            ]
        return self.page([c.summary(("name", "campaignArn")) for c in found], p, "campaigns")

    def delete_campaign(self, p: dict[str, Any]) -> dict[str, Any]:
        del self.kind("campaign")[self.get("campaign", p.get("campaignArn")).arn]
        return {}

    # ------------------------------------------------------------------ batch inference
    def create_batch_inference_job(self, p: dict[str, Any]) -> dict[str, Any]:
        version = self.active("solution-version", p.get("solutionVersionArn"), "Solution version")
        source = ((p.get("jobInput") or {}).get("s3DataSource") or {}).get("path")
        destination = ((p.get("jobOutput") or {}).get("s3DataDestination") or {}).get("path")
        if not isinstance(source, str) or not source.startswith("s3://"):
            raise invalid("jobInput.s3DataSource.path must be an s3:// path.")
        if (
            not isinstance(destination, str)
            or not destination.startswith("s3://")
            or not destination.endswith("/")
        ):
            raise invalid("jobOutput.s3DataDestination.path must be an s3:// folder ending in /.")
        num = p.get("numResults", 25)
        if not isinstance(num, int) or not 1 <= num <= 500:
            raise invalid("numResults must be between 1 and 500.")
        filter_arn = p.get("filterArn")
        if filter_arn:
            self.active("filter", filter_arn, "Filter")
        r = self.add(
            "batch-inference-job",
            p.get("jobName"),
            {
                "jobName": p.get("jobName"),
                "solutionVersionArn": version.arn,
                "filterArn": filter_arn,
                "numResults": num,
                "jobInput": p.get("jobInput"),
                "jobOutput": p.get("jobOutput"),
                "roleArn": p.get("roleArn"),
                "batchInferenceJobMode": p.get("batchInferenceJobMode") or "BATCH_INFERENCE",
                "batchInferenceJobConfig": p.get("batchInferenceJobConfig"),
            },
        )
        r.fields["batchInferenceJobArn"] = r.arn

        def run() -> str | None:
            return self._batch(version.arn, source, destination, num, filter_arn)

        r.on_active = run
        return {"batchInferenceJobArn": r.arn}

    def _batch(
        self, version_arn: str, source: str, destination: str, num: int, filter_arn: str | None
    ) -> str | None:
        bucket, _, key = source[len("s3://") :].partition("/")
        try:
            objects = self.read_s3(bucket, key) if self.read_s3 else []
        except KeyError:
            objects = []
        if not objects:
            return f"Input file not found: {source}"
        out_bucket, _, out_prefix = destination[len("s3://") :].partition("/")
        trained = self.models[version_arn]
        flt = self._filter(filter_arn)
        for object_key, body in objects:
            lines: list[str] = []
            for number, line in enumerate(body.decode("utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    request = json.loads(line)
                except ValueError:
                    return f"{object_key} line {number} is not JSON."
                output, error = self._batch_line(trained, request, num, flt)
                lines.append(json.dumps({"input": request, "output": output, "error": error}))
            name = object_key.rsplit("/", 1)[-1]
            if self.write_s3 is None:
                return "No S3 to write to."
            self.write_s3(out_bucket, f"{out_prefix}{name}.out", ("\n".join(lines) + "\n").encode())
        return None

    def _batch_line(
        self, trained: model.Model, request: Any, num: int, flt: model.Filter | None
    ) -> tuple[dict[str, Any] | None, str | None]:
        if not isinstance(request, dict) or not request.get("userId"):
            return None, "userId is required."
        user = str(request["userId"])
        if trained.recipe_type == "PERSONALIZED_RANKING":
            items = request.get("itemList")
            if not isinstance(items, list) or not items:
                return None, "itemList is required for personalized ranking."
            ranked = trained.rank(user, [str(i) for i in items], flt, {})
            return {
                "recommendedItems": [i for i, _ in ranked],
                "scores": [s for _, s in ranked],
            }, None
        recs = trained.recommend(user, num, flt, {})
        return {"recommendedItems": [i for i, _ in recs], "scores": [s for _, s in recs]}, None

    def _filter(self, filter_arn: str | None) -> model.Filter | None:
        if not filter_arn:
            return None
        return model.parse_filter(self.get("filter", filter_arn).fields["filterExpression"])

    def describe_batch_inference_job(self, p: dict[str, Any]) -> dict[str, Any]:
        job = self.get("batch-inference-job", p.get("batchInferenceJobArn"))
        return {"batchInferenceJob": job.describe()}

    def list_batch_inference_jobs(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "batch-inference-job",
            p,
            "batchInferenceJobs",
            ("batchInferenceJobArn", "jobName", "solutionVersionArn", "batchInferenceJobMode"),
            ("solutionVersionArn", "solutionVersionArn"),
        )

    # ------------------------------------------------------------------ event trackers
    def create_event_tracker(self, p: dict[str, Any]) -> dict[str, Any]:
        group = self.active("dataset-group", p.get("datasetGroupArn"), "Dataset group")
        if self.children("event-tracker", "datasetGroupArn", group.arn):
            raise PersonalizeError(
                "ResourceAlreadyExistsException",
                f"Dataset group {group.arn} already has an event tracker.",
            )
        tracking_id = str(uuid.uuid4())
        r = self.add(
            "event-tracker",
            p.get("name"),
            {
                "name": p.get("name"),
                "accountId": self.account,
                "trackingId": tracking_id,
                "datasetGroupArn": group.arn,
            },
        )
        r.fields["eventTrackerArn"] = r.arn
        return {"eventTrackerArn": r.arn, "trackingId": tracking_id}

    def describe_event_tracker(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"eventTracker": self.get("event-tracker", p.get("eventTrackerArn")).describe()}

    def list_event_trackers(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.listing(
            "event-tracker",
            p,
            "eventTrackers",
            ("name", "eventTrackerArn"),
            ("datasetGroupArn", "datasetGroupArn"),
        )

    def delete_event_tracker(self, p: dict[str, Any]) -> dict[str, Any]:
        del self.kind("event-tracker")[self.get("event-tracker", p.get("eventTrackerArn")).arn]
        return {}

    # ------------------------------------------------------------------ runtime
    def runtime_campaign(self, arn: Any) -> tuple[model.Model, Resource]:
        campaign = self.campaign(arn)
        if campaign.status() != ACTIVE:
            raise in_use(f"Campaign {campaign.arn} is not ACTIVE.")
        trained = self.models.get(campaign.fields["solutionVersionArn"])
        if trained is None:
            raise not_found(campaign.fields["solutionVersionArn"])
        return trained, campaign

    def runtime_filter(self, p: dict[str, Any]) -> model.Filter | None:
        if not p.get("filterArn"):
            return None
        self.active("filter", p["filterArn"], "Filter")
        return self._filter(p["filterArn"])

    def get_recommendations(self, p: dict[str, Any]) -> dict[str, Any]:
        trained, _ = self.runtime_campaign(p.get("campaignArn"))
        if trained.recipe_type == "PERSONALIZED_RANKING":
            raise invalid(
                "GetRecommendations is not supported for a PERSONALIZED_RANKING "
                "campaign; use GetPersonalizedRanking."
            )
        num = p.get("numResults", 25)
        if not isinstance(num, int) or not 0 <= num <= 500:
            raise invalid("numResults must be between 0 and 500.")
        if trained.recipe_type == "USER_PERSONALIZATION" and not p.get("userId"):
            raise invalid("userId is required for this campaign.")
        values = p.get("filterValues") or {}
        recs = trained.recommend(
            str(p.get("userId") or ""),
            num or 25,
            self.runtime_filter(p),
            values,
            item=p.get("itemId"),
        )
        return {
            "itemList": [{"itemId": i, "score": s} for i, s in recs],
            "recommendationId": f"RID-{uuid.uuid4()}",
        }

    def get_personalized_ranking(self, p: dict[str, Any]) -> dict[str, Any]:
        trained, _ = self.runtime_campaign(p.get("campaignArn"))
        if trained.recipe_type != "PERSONALIZED_RANKING":
            raise invalid(
                "GetPersonalizedRanking needs a campaign of a PERSONALIZED_RANKING recipe."
            )
        items = p.get("inputList")
        if not isinstance(items, list) or not items or len(items) > 500:
            raise invalid("inputList must have 1 to 500 item IDs.")
        if not p.get("userId"):
            raise invalid("userId is required.")
        ranked = trained.rank(
            str(p["userId"]),
            [str(i) for i in items],
            self.runtime_filter(p),
            p.get("filterValues") or {},
        )
        return {
            "personalizedRanking": [{"itemId": i, "score": s} for i, s in ranked],
            "recommendationId": f"RID-{uuid.uuid4()}",
        }


CONTROL_OPERATIONS: Final = {
    name: name
    for name in (
        "create_dataset_group",
        "describe_dataset_group",
        "list_dataset_groups",
        "delete_dataset_group",
        "create_schema",
        "describe_schema",
        "list_schemas",
        "delete_schema",
        "create_dataset",
        "describe_dataset",
        "list_datasets",
        "delete_dataset",
        "create_dataset_import_job",
        "describe_dataset_import_job",
        "list_dataset_import_jobs",
        "create_filter",
        "describe_filter",
        "list_filters",
        "delete_filter",
        "describe_recipe",
        "list_recipes",
        "create_solution",
        "describe_solution",
        "list_solutions",
        "delete_solution",
        "create_solution_version",
        "describe_solution_version",
        "list_solution_versions",
        "create_campaign",
        "describe_campaign",
        "update_campaign",
        "list_campaigns",
        "delete_campaign",
        "create_batch_inference_job",
        "describe_batch_inference_job",
        "list_batch_inference_jobs",
        "create_event_tracker",
        "describe_event_tracker",
        "list_event_trackers",
        "delete_event_tracker",
    )
}


def snake(action: str) -> str:
    """`CreateDatasetGroup` -> `create_dataset_group`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def iter_all(state: PersonalizeState) -> Iterator[Resource]:
    for resources in state.resources.values():
        yield from resources.values()
