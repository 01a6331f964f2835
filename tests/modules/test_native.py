"""`terraform test` inside every module that ships `tests/*.tftest.hcl` (mock provider, plan
only): the interface and validation tests module users run themselves, run by `make test`."""

from __future__ import annotations

import pytest

from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import Workspace

MODULES = sorted(p.parent.parent.name for p in (REPO_ROOT / "modules").glob("*/tests/*.tftest.hcl"))


@pytest.mark.plan
@pytest.mark.parametrize("module", sorted(set(MODULES)))
def test_terraform_test_passes(provider_server: ProviderServer, module: str) -> None:
    ws = Workspace(REPO_ROOT / "modules" / module, extra_env=provider_server.env())
    try:
        ws.init()
        output = ws.test()
    finally:
        ws.remove()
    # Terraform prints "Success! N passed, 0 failed." only when every run block passed.
    assert "Success!" in output, output
    assert " 0 failed" in output, output
