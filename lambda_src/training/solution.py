"""Step 4: ensure the solution, create a solution version (training), check its status.

Handlers: ``training.app.ensure_solution_handler``,
``training.app.create_solution_version_handler``,
``training.app.solution_version_status_handler``.

Training mode: ``UPDATE`` nightly only for recipes that accept it (``aws-user-personalization``
and the legacy ``aws-hrnn-coldstart``, per the CreateSolutionVersion API reference) and only
once an ACTIVE FULL version exists; ``FULL`` otherwise, on the weekly day
(``FULL_TRAINING_WEEKDAY``, 0=Monday .. 6=Sunday), and when the run asks for it
(``forceFull`` / weekly trigger). ``aws-user-personalization-v2`` and
``aws-personalized-ranking-v2`` therefore always train FULL.
"""

from __future__ import annotations

from typing import Any, Final

from student_platform.aws import cached_client
from training.common import (
    ACTIVE,
    DEFAULT_RECIPE_ARN,
    FAILED,
    PENDING,
    UPDATE_CAPABLE_RECIPES,
    RunContext,
    int_env,
    logger,
    normalize_status,
    optional_env,
    paginate,
    recipe_short_name,
    require_env,
    require_input,
    resource_name,
    solution_name,
)

DEFAULT_FULL_TRAINING_WEEKDAY: Final = 6  # Sunday


def resolve_recipe(run: RunContext, default: str | None = None) -> str:
    return run.recipe_arn or default or DEFAULT_RECIPE_ARN


def ensure_solution(
    personalize: Any, *, name_prefix: str, dataset_group_arn: str, recipe_arn: str
) -> dict[str, Any]:
    """The solution of this recipe in the dataset group; created (without auto-training,
    the pipeline trains) if missing. ``status`` PENDING until it is ACTIVE."""
    name = solution_name(name_prefix, recipe_arn)
    for summary in paginate(
        personalize, "list_solutions", "solutions", datasetGroupArn=dataset_group_arn
    ):
        if summary.get("name") == name:
            status = normalize_status(summary.get("status"))
            result: dict[str, Any] = {
                "solutionArn": summary["solutionArn"],
                "recipeArn": recipe_arn,
                "status": status,
                "created": False,
            }
            if status == FAILED:
                result["failureReason"] = f"solution {name}: {summary.get('status')}"
            return result
    arn = personalize.create_solution(
        name=name,
        datasetGroupArn=dataset_group_arn,
        recipeArn=recipe_arn,
        performAutoTraining=False,
    )["solutionArn"]
    logger.info("Created solution", solution_arn=arn, recipe_arn=recipe_arn)
    return {"solutionArn": arn, "recipeArn": recipe_arn, "status": PENDING, "created": True}


def choose_training_mode(
    recipe_arn: str, run: RunContext, has_active_full: bool, full_weekday: int
) -> str:
    if recipe_short_name(recipe_arn) not in UPDATE_CAPABLE_RECIPES:
        return "FULL"
    if run.force_full or run.day.weekday() == full_weekday or not has_active_full:
        return "FULL"
    return "UPDATE"


def create_solution_version(
    personalize: Any,
    *,
    name_prefix: str,
    solution_arn: str,
    recipe_arn: str,
    run: RunContext,
    full_weekday: int = DEFAULT_FULL_TRAINING_WEEKDAY,
) -> dict[str, Any]:
    """Start training, or return the version already training (never two at once)."""
    versions = list(
        paginate(
            personalize, "list_solution_versions", "solutionVersions", solutionArn=solution_arn
        )
    )
    in_progress = [v for v in versions if normalize_status(v.get("status")) == PENDING]
    if in_progress:
        current = in_progress[0]
        logger.info("Reusing solution version in progress", arn=current["solutionVersionArn"])
        return {
            "solutionVersionArn": current["solutionVersionArn"],
            "trainingMode": current.get("trainingMode", "FULL"),
            "created": False,
        }
    has_active_full = any(
        normalize_status(v.get("status")) == ACTIVE and v.get("trainingMode", "FULL") == "FULL"
        for v in versions
    )
    mode = choose_training_mode(recipe_arn, run, has_active_full, full_weekday)
    arn = personalize.create_solution_version(
        name=resource_name(name_prefix, "sv", run.run_id),
        solutionArn=solution_arn,
        trainingMode=mode,
    )["solutionVersionArn"]
    logger.info("Started training", solution_version_arn=arn, training_mode=mode)
    return {"solutionVersionArn": arn, "trainingMode": mode, "created": True}


def solution_version_status(personalize: Any, solution_version_arn: str) -> dict[str, Any]:
    version = personalize.describe_solution_version(solutionVersionArn=solution_version_arn)[
        "solutionVersion"
    ]
    status = normalize_status(version.get("status"))
    result: dict[str, Any] = {"solutionVersionArn": solution_version_arn, "status": status}
    if status == FAILED:
        result["failureReason"] = version.get("failureReason") or version.get("status")
    return result


@logger.inject_lambda_context(log_event=False)
def ensure_solution_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"run": {...}, "datasets": <EnsureDatasets result>}``."""
    run = RunContext.from_dict(event.get("run", {}))
    return ensure_solution(
        cached_client("personalize"),
        name_prefix=require_env("NAME_PREFIX"),
        dataset_group_arn=require_input(event, "datasets", "datasetGroupArn"),
        recipe_arn=resolve_recipe(run, optional_env("RECIPE_ARN")),
    )


@logger.inject_lambda_context(log_event=False)
def create_solution_version_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"run": {...}, "solution": <EnsureSolution result>}``."""
    run = RunContext.from_dict(event.get("run", {}))
    return create_solution_version(
        cached_client("personalize"),
        name_prefix=require_env("NAME_PREFIX"),
        solution_arn=require_input(event, "solution", "solutionArn"),
        recipe_arn=require_input(event, "solution", "recipeArn"),
        run=run,
        full_weekday=int_env("FULL_TRAINING_WEEKDAY", DEFAULT_FULL_TRAINING_WEEKDAY),
    )


@logger.inject_lambda_context(log_event=False)
def solution_version_status_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Input: ``{"solutionVersion": <CreateSolutionVersion result>}``."""
    return solution_version_status(
        cached_client("personalize"), require_input(event, "solutionVersion", "solutionVersionArn")
    )
