"""The Lambda runtime's pieces that need no emulator: which interpreter runs a runtime, and
the runtime-provided package cache built once even when two processes want it at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from iackit import packaging
from iackit.emulator import lambda_runtime
from iackit.emulator.lambda_runtime import provided

pytestmark = pytest.mark.unit


def test_the_matching_interpreter_is_used_else_the_closest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lambda_runtime, "_INTERPRETERS", {})
    monkeypatch.setattr(
        lambda_runtime,
        "_candidates",
        lambda: {(3, 11): "/py311", (3, 12): "/py312", (3, 14): "/py314"},
    )
    assert lambda_runtime.interpreter("python3.12") == ("/py312", "3.12")
    assert lambda_runtime.interpreter("python3.13") == ("/py314", "3.14")  # tie: the newer
    assert lambda_runtime.interpreter("python3.9") == ("/py311", "3.11")
    with pytest.raises(RuntimeError, match="Python only"):
        lambda_runtime.interpreter("nodejs22.x")


def test_this_machine_runs_python3_13_with_python3_13() -> None:
    path, version = lambda_runtime.interpreter("python3.13")
    assert version == "3.13"
    assert Path(path).name == "python3.13"


def test_the_provided_packages_are_installed_once_under_a_lock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("IACKIT_CACHE_DIR", str(tmp_path))
    installs: list[Path] = []

    def fake_install(requirements: Path, target: Path) -> None:
        installs.append(requirements)
        time.sleep(0.3)  # long enough for the other caller to be waiting on the lock
        (target / "boto3").mkdir(parents=True)

    monkeypatch.setattr(packaging, "pip_install_for_lambda", fake_install)
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(provided.runtime_packages("3.13")))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert installs == [packaging.RUNTIME_PROVIDED_REQUIREMENTS]
    assert results[0] == results[1]
    assert (results[0] / "boto3").is_dir()
