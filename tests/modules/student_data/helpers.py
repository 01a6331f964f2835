"""Test helpers shared by the student-data, data-lake, ranking-pipeline and ranking-api tests.

- `BadInputBatches`: bad-input cases checked with few `terraform plan` runs. Terraform
  reports every failing variable validation of a run, so cases that set different variables
  share one plan; a case marked `alone` (a precondition, or a variable another case also
  sets) gets its own. Each case stays its own pytest item, asserting that its message is in
  the (cached) error of its batch.
- `applied_except`: like the harness's `applied`, but leaves out the resources the emulator
  cannot create (`-target` on every other resource for apply and the idempotency plan),
  then destroys everything and runs the harness's destroy check.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from iackit.tf import PlanResult, TerraformError, Workspace, _resource_type
from tests.harness.assertions import assert_destroyed


@dataclass(frozen=True)
class Case:
    overrides: Mapping[str, Any]
    message: str
    alone: bool = False

    @property
    def id(self) -> str:
        return ",".join(f"{k}={v!r}" for k, v in self.overrides.items())[:80]


@dataclass
class BadInputBatches:
    cases: Sequence[Case]
    _batches: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[int, int] = field(default_factory=dict)
    _errors: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for position, case in enumerate(self.cases):
            target = None
            if not case.alone:
                for number, batch in enumerate(self._batches):
                    if not batch["alone"] and not set(batch["vars"]) & set(case.overrides):
                        target = number
                        break
            if target is None:
                self._batches.append({"vars": {}, "alone": case.alone})
                target = len(self._batches) - 1
            self._batches[target]["vars"].update(case.overrides)
            self._index[position] = target

    def error_for(self, case: Case, plan: Callable[[dict[str, Any]], object], base: dict) -> str:
        """The normalised error text of the plan of the batch holding `case`."""
        number = self._index[self.cases.index(case)]
        if number not in self._errors:
            try:
                plan({**base, **self._batches[number]["vars"]})
            except TerraformError as error:
                self._errors[number] = " ".join(str(error).split())
            else:
                self._errors[number] = ""
        return self._errors[number]

    @property
    def plan_count(self) -> int:
        return len(self._batches)


def target_flags(plan: PlanResult, excluded_types: Set[str], excluded: Set[str]) -> str:
    """`-target` flags for every managed resource of `plan` but the excluded ones."""
    addresses = sorted(
        rc["address"]
        for rc in plan.resource_changes
        if rc["mode"] == "managed"
        and _resource_type(rc["address"]) not in excluded_types
        and rc["address"] not in excluded
    )
    return " ".join(shlex.quote(f"-target={address}") for address in addresses)


@contextmanager
def applied_except(
    workspace: Callable[..., Workspace],
    source: str,
    variables: Mapping[str, Any],
    *,
    excluded_types: Set[str] = frozenset(),
    excluded: Set[str] = frozenset(),
    destroy_without_refresh: bool = False,
) -> Iterator[tuple[Workspace, dict[str, Any], Callable[[], PlanResult]]]:
    """Apply all but the excluded resources; yield (workspace, outputs, targeted re-plan).

    `destroy_without_refresh`: `terraform destroy` first refreshes with a *normal* plan,
    which would also plan the excluded resources (e.g. validate a state machine definition
    against an emulator that cannot); `-refresh=false` skips that (the state is fresh).
    """
    ws = workspace(source)
    flags = target_flags(ws.plan(dict(variables)), set(excluded_types), set(excluded))
    ws.tf.env["TF_CLI_ARGS_apply"] = flags
    if destroy_without_refresh:
        ws.tf.env["TF_CLI_ARGS_destroy"] = "-refresh=false"
    snapshot = ws.dir.parent / f"{ws.dir.name}.applied.tfstate"
    try:
        outputs = ws.apply(dict(variables))
        shutil.copy(ws.dir / "terraform.tfstate", snapshot)

        def replan() -> PlanResult:
            ws.tf.env["TF_CLI_ARGS_plan"] = flags
            try:
                return ws.plan(dict(variables))
            finally:
                ws.tf.env.pop("TF_CLI_ARGS_plan", None)

        yield ws, outputs, replan
    finally:
        ws.tf.env.pop("TF_CLI_ARGS_apply", None)
        ws.destroy()
        ws.tf.env.pop("TF_CLI_ARGS_destroy", None)
        if snapshot.exists():
            assert_destroyed(ws, snapshot)


def state_value(ws: Workspace, address: str, attribute: str) -> Any:
    """An attribute of a managed resource in the workspace's state (None if absent)."""
    stack = [ws.state().get("values", {}).get("root_module", {})]
    while stack:
        module = stack.pop()
        for resource in module.get("resources", []):
            if resource["address"] == address:
                return resource.get("values", {}).get(attribute)
        stack.extend(module.get("child_modules", []))
    return None


def emulator_supports_state_machines(endpoint: str) -> bool:
    """Whether the emulator answers the two Step Functions calls the provider makes besides
    CreateStateMachine: ValidateStateMachineDefinition (on every new definition) and
    ListStateMachineVersions (on read). moto 5.2.5 implements neither (HTTP 500, which the
    provider retries for minutes)."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    definition = '{"StartAt":"a","States":{"a":{"Type":"Pass","End":true}}}'
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:probe"
    try:
        valid = client.validate_state_machine_definition(definition=definition)["result"] == "OK"
        client.list_state_machine_versions(stateMachineArn=arn)
    except (BotoCoreError, ClientError):
        return False
    return valid
