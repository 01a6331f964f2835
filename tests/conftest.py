"""Shared pytest fixtures: the local AWS emulator and (via tests/harness) Terraform runs.

Two emulators per worker, so that a unit test's reset never wipes resources an `apply`
fixture of another test module still holds:
- `emulator`: long-lived, for Terraform plan/apply fixtures;
- `aws`: reset before every test, with the process environment pointed at it, for
  handlers run in-process and for boto3 assertions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from iackit.emulator import Emulator, is_healthy

pytest_plugins = ["tests.harness.plugin"]

# Apply tests take from half a minute (one module) to a few minutes (tests/envs); the rest
# take seconds. Started last, one of them sets the suite's wall time alone.
HEAVIEST_FIRST = ("tests/envs/", "tests/modules/onprem_simulation/")
# The plan tier's long tests (nodeid prefixes): the tests of the batch plans (the plugin
# deals variants to batches round-robin, so the first tests of test_plans.py hit every batch;
# the environments are planned in them too) and all native tests in one run.
NATIVE_TESTS = "tests/modules/test_native.py::"
PLAN_BATCHES = "tests/modules/test_plans.py::"


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each xdist worker an equal share of the heavy tests, heaviest first.

    `--dist worksteal` (Makefile) hands worker k the k-th contiguous slice of the collected
    order, and idle workers then steal from the busiest; so each slice starts with every
    n-th heavy test (apply tests, then the plan tier's long tests) and is filled up with the
    light tests, kept in file order.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return

    def weight(item: pytest.Item) -> int:
        path = item.nodeid
        return next((i for i, p in enumerate(HEAVIEST_FIRST) if path.startswith(p)), 99)

    heavy = sorted((i for i in items if i.get_closest_marker("apply")), key=weight)
    heavy += [item for item in items if item.nodeid.startswith(PLAN_BATCHES)][:workers]
    heavy += [item for item in items if item.nodeid.startswith(NATIVE_TESTS)]
    dealt = {id(item) for item in heavy}
    light = [i for i in items if id(i) not in dealt]
    shares: list[list[pytest.Item]] = [heavy[k::workers] for k in range(workers)]
    remaining = len(items)
    for k, share in enumerate(shares):
        # The scheduler's split: worker k gets len(pending) // (workers - k) of the rest.
        size = remaining // (workers - k)
        while len(share) < size and light:
            share.append(light.pop(0))
        remaining -= len(share)
    shares[-1].extend(light)
    items[:] = [item for share in shares for item in share]


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    log = tmp_path_factory.mktemp("emulator") / "moto.log"
    with Emulator(log_path=log) as emu:
        yield emu


@pytest.fixture(scope="session")
def _unit_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    log = tmp_path_factory.mktemp("unit-emulator") / "moto.log"
    with Emulator(log_path=log) as emu:
        yield emu


@pytest.fixture
def aws(_unit_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """A clean emulated account; boto3 clients created in the test (or by handlers) use it."""
    if not is_healthy(_unit_emulator.endpoint):
        pytest.fail(f"the unit emulator is not answering on {_unit_emulator.endpoint}", False)
    _unit_emulator.reset()
    for key, value in _unit_emulator.client_env().items():
        monkeypatch.setenv(key, value)
    # Never let a developer's real profile or credentials file leak into a unit test.
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    return _unit_emulator
