"""Terraform and the shared provider process run with GOGC=400 unless the caller sets GOGC
(a quarter of their CPU went to garbage collection on large plans: toolchain.GO_GC_PERCENT)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iackit import toolchain
from iackit.provider_server import ProviderServer

pytestmark = pytest.mark.unit


def test_terraform_runs_with_the_projects_gogc_unless_the_caller_sets_one(monkeypatch) -> None:
    monkeypatch.delenv("GOGC", raising=False)
    assert toolchain.terraform_env()["GOGC"] == "400"
    monkeypatch.setenv("GOGC", "150")
    assert toolchain.terraform_env()["GOGC"] == "150"


def test_the_shared_provider_process_runs_with_it(monkeypatch) -> None:
    monkeypatch.delenv("GOGC", raising=False)
    if not toolchain.provider_binary_path().exists():
        pytest.fail("the provider is not built: run `make setup`", pytrace=False)
    with ProviderServer() as server:
        assert server.process is not None
        environ = Path(f"/proc/{server.process.pid}/environ").read_bytes().split(b"\0")
    assert b"GOGC=400" in environ
