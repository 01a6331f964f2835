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
