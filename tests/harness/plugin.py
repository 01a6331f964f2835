"""pytest plugin: Terraform fixtures shared by every module's tests.

- `toolchain_ready`: once per worker, ensures engine + provider mirror + CLI config and
  builds the Lambda packages (all cached, so this is quick after the first run);
- `workspace`: factory for disposable copies of a root configuration pointed at the
  session emulator (whose health is checked for every test module that uses it);
- `planned`: the plan of a `tftest.yaml` variant, planned once per run (see `plans.py`);
- `applied`: context manager that applies, yields outputs, then destroys and proves the
  emulator no longer holds anything the state held; a failed apply is destroyed too;
- `boto`: boto3 clients on the Terraform emulator; `lambda_context`: a Lambda context.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from iackit import packaging, toolchain
from iackit.emulator import Emulator
from iackit.lambda_events import LambdaContext
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import PlanResult, TerraformError, Workspace
from tests.harness.assertions import assert_destroyed
from tests.harness.plans import (
    PlanCache,
    Variant,
    all_variants,
    env_variants,
    plan_together,
    readme_variants,
    variant,
)

WorkspaceFactory = Callable[..., Workspace]
DESTROY_PROBE = "tests/fixtures/destroy_probe"
AppliedFactory = Callable[..., AbstractContextManager[tuple[Workspace, dict[str, Any]]]]


@pytest.fixture(scope="session")
def toolchain_ready() -> toolchain.Toolchain:
    try:
        ready = toolchain.setup()
    except toolchain.ToolchainError as exc:
        pytest.exit(f"toolchain not available: {exc}", returncode=3)
    packaging.package_all()
    return ready


@pytest.fixture(scope="session")
def provider_server(toolchain_ready: toolchain.Toolchain) -> Iterator[ProviderServer]:
    """One AWS provider process per worker that every Terraform run reattaches to."""
    with ProviderServer() as server:
        yield server


def _healthy(emulator: Emulator) -> Emulator:
    """Fail this test module at once, naming the log, when the emulator process is gone
    (instead of every later Terraform run timing out against a dead port)."""
    try:
        emulator.wait_healthy(timeout=10)
    except RuntimeError as error:
        pytest.fail(f"the emulator is not answering: {error}", pytrace=False)
    return emulator


@pytest.fixture(scope="module")
def workspace(provider_server: ProviderServer, emulator: Emulator) -> Iterator[WorkspaceFactory]:
    """`workspace("tests/fixtures/x")` -> an initialised Workspace (removed after the module)."""
    created: list[Workspace] = []
    _healthy(emulator)

    def factory(source: str | Path, init: bool = True) -> Workspace:
        ws = Workspace(
            REPO_ROOT / source, endpoint=emulator.endpoint, extra_env=provider_server.env()
        )
        created.append(ws)
        if init:
            ws.init()
        return ws

    yield factory
    for ws in created:
        ws.remove()


@pytest.fixture(scope="session")
def _plan_cache(
    provider_server: ProviderServer, emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlanCache]:
    roots: dict[str, Workspace] = {}

    def plan_one(wanted: Variant) -> PlanResult:
        if wanted.root not in roots:
            roots[wanted.root] = Workspace(
                REPO_ROOT / wanted.root, endpoint=emulator.endpoint, extra_env=provider_server.env()
            )
            roots[wanted.root].init()
        return roots[wanted.root].plan({}, var_files=wanted.tfvars)

    def plan_batch(variants: Sequence[Variant]) -> dict[Variant, dict[str, Any]]:
        return plan_together(variants, emulator.endpoint, provider_server.env())

    # Under xdist every worker has its own basetemp below one shared parent.
    shared = tmp_path_factory.getbasetemp()
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    # The environments first, so the round-robin deal spreads these large roots over batches.
    everything = [*env_variants().values(), *all_variants(), *readme_variants()]
    batches = [everything[index::workers] for index in range(workers)]
    yield PlanCache(shared / "plans", plan_batch, plan_one, batches)
    for ws in roots.values():
        ws.remove()


@pytest.fixture
def planned(_plan_cache: PlanCache, emulator: Emulator) -> Callable[..., PlanResult]:
    """`planned(HERE, "given_key")` -> the plan of that variant of HERE/tftest.yaml."""
    _healthy(emulator)

    def get(test_dir: Path | Variant, name: str | None = None) -> PlanResult:
        wanted = test_dir if isinstance(test_dir, Variant) else variant(test_dir, str(name))
        return _plan_cache.get(wanted)

    return get


@pytest.fixture(scope="module")
def applied(workspace: WorkspaceFactory) -> AppliedFactory:
    """`with applied(root, vars) as (ws, outputs): ...`, then destroy and prove it.

    `exclude`: address fragments of resources the emulator cannot create; every other
    resource is applied with `-target` (kept in `ws.applied_targets` for the idempotency
    plan). After destroy, `assert_destroyed` proves every resource of the applied state gone.
    """

    @contextmanager
    def run(
        source: str | Path,
        variables: dict[str, Any] | None = None,
        *,
        not_remote: frozenset[str] = frozenset(),
        exclude: tuple[str, ...] = (),
    ) -> Iterator[tuple[Workspace, dict[str, Any]]]:
        ws = workspace(source)
        if exclude:
            planned_addresses = ws.plan(variables).values
            ws.applied_targets = sorted(
                a for a in planned_addresses if not any(part in a for part in exclude)
            )
        try:
            outputs = ws.apply(variables, targets=ws.applied_targets)
        except TerraformError:
            # Whatever the failed apply created must not leak into the next test module.
            with contextlib.suppress(TerraformError):
                ws.destroy()
            raise
        snapshot = ws.dir.parent / f"{ws.dir.name}.applied.tfstate"
        shutil.copy(ws.dir / "terraform.tfstate", snapshot)
        try:
            yield ws, outputs
        finally:
            ws.set_vars(variables)
            ws.destroy()
            assert_destroyed(workspace(DESTROY_PROBE), snapshot, not_remote)

    return run  # type: ignore[return-value]


@pytest.fixture(scope="session")
def boto(emulator: Emulator) -> Callable[[str], Any]:
    """`boto("lambda")` -> a boto3 client on the Terraform emulator (never real AWS)."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return lambda service: session.client(service, endpoint_url=emulator.endpoint)


@pytest.fixture
def lambda_context() -> LambdaContext:
    """The Lambda context a handler receives (one test double for every test)."""
    return LambdaContext()
