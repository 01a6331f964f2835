"""Teardown: delete what the pipeline created in Personalize when the environment is destroyed.

Handler: ``training.app.cleanup_handler``, invoked by modules/ranking-pipeline's
``aws_lambda_invocation`` (``lifecycle_scope = "CRUD"``): on create and update it does
nothing; on delete (``tf.action == "delete"``) it removes, in the order Personalize
requires, the campaigns of the dataset group's solutions (and the campaign named
``<prefix>-student-ranking``), the solutions (with their versions), event trackers,
filters, datasets (with their import jobs), the dataset group ``<prefix>-student-ranking``
and the schemas ``<prefix>-student-ranking-*``. Deletes are asynchronous on AWS: each
round deletes what can be deleted, then waits ``poll_seconds`` and lists again, until
nothing is left. If something is still there when the function is about to time out, it
raises ``CleanupTimeoutError`` naming what is left, so ``terraform destroy`` fails with it
(re-run the destroy once the named resources are gone).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from botocore.exceptions import ClientError

from student_platform.aws import cached_client
from training.common import base_name, int_env, logger, paginate, require_env

# Errors that mean "not yet" (a dependent resource is still being deleted) or "already gone".
_RETRYABLE: Final = frozenset({"ResourceInUseException", "ResourceNotFoundException"})
DEFAULT_POLL_SECONDS: Final = 5
SAFETY_MARGIN_SECONDS: Final = 10


class CleanupTimeoutError(RuntimeError):
    """Personalize resources were still present when the time ran out."""


@dataclass
class Inventory:
    """What the pipeline owns in Personalize, in deletion order."""

    campaigns: list[str] = field(default_factory=list)
    solutions: list[str] = field(default_factory=list)
    event_trackers: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    dataset_groups: list[str] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)

    def arns(self) -> list[str]:
        return [
            *self.campaigns,
            *self.solutions,
            *self.event_trackers,
            *self.filters,
            *self.datasets,
            *self.dataset_groups,
            *self.schemas,
        ]


def inventory(personalize: Any, name_prefix: str) -> Inventory:
    base = base_name(name_prefix)
    found = Inventory()
    groups = [
        g["datasetGroupArn"]
        for g in paginate(personalize, "list_dataset_groups", "datasetGroups")
        if g.get("name") == base
    ]
    found.dataset_groups = groups
    for group in groups:
        for solution in paginate(personalize, "list_solutions", "solutions", datasetGroupArn=group):
            found.solutions.append(solution["solutionArn"])
            found.campaigns.extend(
                c["campaignArn"]
                for c in paginate(
                    personalize, "list_campaigns", "campaigns", solutionArn=solution["solutionArn"]
                )
            )
        found.event_trackers.extend(
            t["eventTrackerArn"]
            for t in paginate(
                personalize, "list_event_trackers", "eventTrackers", datasetGroupArn=group
            )
        )
        found.filters.extend(
            f["filterArn"]
            for f in paginate(personalize, "list_filters", "Filters", datasetGroupArn=group)
        )
        found.datasets.extend(
            d["datasetArn"]
            for d in paginate(personalize, "list_datasets", "datasets", datasetGroupArn=group)
        )
    named = [
        c["campaignArn"]
        for c in paginate(personalize, "list_campaigns", "campaigns")
        if c.get("name") == base and c["campaignArn"] not in found.campaigns
    ]
    found.campaigns.extend(named)
    found.schemas = [
        s["schemaArn"]
        for s in paginate(personalize, "list_schemas", "schemas")
        if str(s.get("name", "")).startswith(f"{base}-")
    ]
    return found


def _delete(call: Callable[..., Any], **params: str) -> bool:
    """True if the delete was accepted (or the resource is already gone)."""
    try:
        call(**params)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code not in _RETRYABLE:
            raise
        return code == "ResourceNotFoundException"
    return True


def delete_round(personalize: Any, found: Inventory) -> int:
    """Ask Personalize to delete everything in ``found`` (in order); the number accepted."""
    calls: list[tuple[Callable[..., Any], str, list[str]]] = [
        (personalize.delete_campaign, "campaignArn", found.campaigns),
        (personalize.delete_solution, "solutionArn", found.solutions),
        (personalize.delete_event_tracker, "eventTrackerArn", found.event_trackers),
        (personalize.delete_filter, "filterArn", found.filters),
        (personalize.delete_dataset, "datasetArn", found.datasets),
        (personalize.delete_dataset_group, "datasetGroupArn", found.dataset_groups),
        (personalize.delete_schema, "schemaArn", found.schemas),
    ]
    accepted = 0
    for call, key, arns in calls:
        for arn in arns:
            if _delete(call, **{key: arn}):
                accepted += 1
    return accepted


def cleanup(
    personalize: Any,
    name_prefix: str,
    *,
    remaining_seconds: Callable[[], float],
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Delete until nothing of ``name_prefix`` is left; ``CleanupTimeoutError`` if time runs out.

    Each round deletes what can be deleted and lists again at once (the emulator deletes
    immediately); only if something is left does it wait ``poll_seconds`` for the next."""
    deleted: set[str] = set()
    rounds = 0
    found = inventory(personalize, name_prefix)
    while found.arns():
        if rounds:
            if remaining_seconds() < poll_seconds + SAFETY_MARGIN_SECONDS:
                raise CleanupTimeoutError(
                    f"Personalize cleanup of {base_name(name_prefix)} did not finish in time; "
                    f"still present: {', '.join(found.arns())}. Wait for them to be deleted "
                    "(or delete them) and run the destroy again."
                )
            sleep(poll_seconds)
            found = inventory(personalize, name_prefix)
            if not found.arns():
                break
        deleted.update(found.arns())
        delete_round(personalize, found)
        rounds += 1
        found = inventory(personalize, name_prefix)
    logger.info("Personalize cleanup done", deleted=len(deleted), rounds=rounds)
    return {"deleted": sorted(deleted), "rounds": rounds}


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Input: what ``aws_lambda_invocation`` sends, with ``tf.action`` create|update|delete."""
    tf = event.get("tf")
    action = str(tf.get("action", "")) if isinstance(tf, Mapping) else ""
    if action != "delete":
        return {"action": action or "none", "deleted": []}
    result = cleanup(
        cached_client("personalize"),
        require_env("NAME_PREFIX"),
        remaining_seconds=lambda: context.get_remaining_time_in_millis() / 1000,
        poll_seconds=int_env("CLEANUP_POLL_SECONDS", DEFAULT_POLL_SECONDS),
    )
    return {"action": action, **result}
