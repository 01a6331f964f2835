"""Every module README's usage block is planned, as written, against the emulator: the
example a user copies first must work. A block may end with `# tftest resources=N` to pin
the number of resources it plans."""

from __future__ import annotations

import re
import shutil

import pytest

from iackit.paths import REPO_ROOT

USAGE_BLOCK = re.compile(r"## Usage\s+```hcl\n(.*?)```", re.DOTALL)
RESOURCE_COUNT = re.compile(r"#\s*tftest\s+resources=(\d+)")
# The README's `source = "../../modules/<m>"` resolves from a root two levels below the
# repository, as in envs/<env> (an ignored folder; each root is removed after its plan).
ROOTS = REPO_ROOT / ".readme-usage"
PROVIDER = """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 6.34" }
  }
}

provider "aws" {
  region = "us-east-1"
}
"""
MODULES = sorted(p.parent.name for p in (REPO_ROOT / "modules").glob("*/README.md"))


def usage_block(module: str) -> str:
    found = USAGE_BLOCK.search((REPO_ROOT / "modules" / module / "README.md").read_text())
    assert found, f"modules/{module}/README.md has no ```hcl block under '## Usage'"
    return found[1]


@pytest.mark.plan
@pytest.mark.parametrize("module", MODULES)
def test_readme_usage_plans(workspace, module: str) -> None:
    block = usage_block(module)
    root = ROOTS / module
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "main.tf").write_text(block)
    (root / "providers.tf").write_text(PROVIDER)
    try:
        plan = workspace(root).plan({})
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert not plan.known_empty, f"the usage block of modules/{module} plans nothing"
    pinned = RESOURCE_COUNT.search(block)
    if pinned:
        created = [c for c in plan.resource_changes if c["change"]["actions"] == ["create"]]
        assert len(created) == int(pinned[1]), [c["address"] for c in created]
