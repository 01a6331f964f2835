"""pytest plugin: Terraform fixtures shared by every module's tests.

- `toolchain`: once per worker, ensures engine + provider mirror + CLI config and builds the
  Lambda packages (all cached, so this is quick after the first run);
- `workspace`: factory for disposable copies of a root configuration pointed at the
  session emulator;
- `applied`: context manager that applies, yields outputs, then destroys and proves the
  emulator no longer holds anything the state held.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from iackit import packaging, toolchain
from iackit.emulator import Emulator
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import Workspace
from tests.harness.assertions import assert_destroyed

WorkspaceFactory = Callable[..., Workspace]
DESTROY_PROBE = "tests/fixtures/destroy_probe"
AppliedFactory = Callable[..., AbstractContextManager[dict[str, Any]]]


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


@pytest.fixture(scope="module")
def workspace(provider_server: ProviderServer, emulator: Emulator) -> Iterator[WorkspaceFactory]:
    """`workspace("tests/fixtures/x")` -> an initialised Workspace (removed after the module)."""
    created: list[Workspace] = []

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


@pytest.fixture(scope="module")
def applied(workspace: WorkspaceFactory) -> AppliedFactory:
    """`with applied("tests/fixtures/x", vars) as (ws, outputs): ...` then destroy + check."""

    @contextmanager
    def run(
        source: str | Path,
        variables: dict[str, Any] | None = None,
        not_remote: frozenset[str] = frozenset(),
    ) -> Iterator[tuple[Workspace, dict[str, Any]]]:
        ws = workspace(source)
        outputs = ws.apply(variables)
        snapshot = ws.dir.parent / f"{ws.dir.name}.applied.tfstate"
        shutil.copy(ws.dir / "terraform.tfstate", snapshot)
        try:
            yield ws, outputs
        finally:
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
