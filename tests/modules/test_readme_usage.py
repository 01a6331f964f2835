"""Every module README's usage block is planned, as written, against the emulator: the
example a user copies first must work. A block may end with `# tftest resources=N` to pin
the number of resources it plans. (The roots are written by `plans.readme_variants`.)"""

from __future__ import annotations

import re

import pytest

from tests.harness.plans import Variant, readme_variants, usage_block

RESOURCE_COUNT = re.compile(r"#\s*tftest\s+resources=(\d+)")
VARIANTS = readme_variants()


@pytest.mark.plan
@pytest.mark.parametrize("usage", VARIANTS, ids=[v.manifest.parent.name for v in VARIANTS])
def test_readme_usage_plans(planned, usage: Variant) -> None:
    plan = planned(usage)
    created = [c for c in plan.resource_changes if c["change"]["actions"] == ["create"]]
    module = usage.manifest.parent.name
    assert created, f"the usage block of modules/{module} plans nothing"
    pinned = RESOURCE_COUNT.search(usage_block(module))
    if pinned:
        assert len(created) == int(pinned[1]), [c["address"] for c in created]
