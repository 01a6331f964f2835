"""`terraform test` inside every module that ships `tests/*.tftest.hcl` (mock provider, plan
only): the interface and validation tests module users run themselves, run by `make test`."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import Workspace

MODULES = sorted(p.parent.parent.name for p in (REPO_ROOT / "modules").glob("*/tests/*.tftest.hcl"))


# Under OpenTofu 1.12 (TF_BINARY=tofu) these modules' tests do not run: their mocks leave
# computed ARNs (a role's, a key's, a log group's) unmocked, which Terraform keeps unknown at
# plan while OpenTofu fills them with random strings that the provider's ARN validation
# rejects ("is an invalid ARN"). Mocking those ARNs in tests/mocks would make them portable.
TERRAFORM_ONLY = {
    "event-bus",
    "event-publisher-api",
    "http-api",
    "lambda-function",
    "onprem-simulation",
    "ranking-api",
    "ranking-pipeline",
    "s3-private-access",
    "ses-email",
    "student-data",
    "student-notifier",
    "vpc",
}
OPENTOFU = Path(os.environ.get("TF_BINARY", "")).name == "tofu"


@pytest.mark.plan
@pytest.mark.parametrize(
    "module", sorted(set(MODULES) - TERRAFORM_ONLY) if OPENTOFU else sorted(set(MODULES))
)
def test_terraform_test_passes(provider_server: ProviderServer, module: str) -> None:
    ws = Workspace(REPO_ROOT / "modules" / module, extra_env=provider_server.env())
    if OPENTOFU:
        for_opentofu(ws.dir)
    try:
        ws.init()
        output = ws.test()
    finally:
        ws.remove()
    # Terraform prints "Success! N passed, 0 failed." only when every run block passed.
    assert "Success!" in output, output
    assert " 0 failed" in output, output


MOCK_SOURCE = re.compile(r'^\s*source\s*=\s*"\./tests/mocks"\s*$', re.MULTILINE)
OVERRIDE_DURING = re.compile(r"^\s*override_during\s*=\s*plan\s*$\n", re.MULTILINE)


def for_opentofu(module_dir: Path) -> None:
    """The same tests in the dialect of OpenTofu 1.12, in the workspace copy: it has no
    shared mock files (Terraform 1.10's `source` in `mock_provider`), so their blocks are
    inlined, and no `override_during` (Terraform 1.11): its mocks and overrides already
    apply during plan, so the setting is dropped."""
    mocks = "\n".join(p.read_text() for p in sorted(module_dir.glob("tests/mocks/*.tfmock.hcl")))
    for test_file in module_dir.glob("tests/*.tftest.hcl"):
        text = MOCK_SOURCE.sub(lambda _: mocks, test_file.read_text())
        test_file.write_text(OVERRIDE_DURING.sub("", text))
