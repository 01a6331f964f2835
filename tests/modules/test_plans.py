"""Every variant of every module's `tftest.yaml` and the environments (dev, prod, prod's
alternatives): planned once, compared with their inventories."""

from __future__ import annotations

import pytest

from tests.harness.assertions import inventory_diff
from tests.harness.plans import Variant, all_variants, env_variants, iter_inventories

VARIANTS = [*all_variants(), *env_variants().values()]


@pytest.mark.plan
@pytest.mark.parametrize("variant", VARIANTS, ids=[v.id for v in VARIANTS])
def test_plan_matches_inventory(planned, variant: Variant) -> None:
    plan = planned(variant)
    for path, inventory in iter_inventories(variant):
        diffs = inventory_diff(plan, inventory)
        assert not diffs, f"plan differs from {path.name}:\n  " + "\n  ".join(diffs)
