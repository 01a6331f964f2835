"""Every module works as a copy outside the checkout: `iackit vendor <module> <dir>` copies it
with the modules its `module.json` declares into an empty directory of its own, and its
example (the first variant of its `tftest.yaml`) is planned from there, against the emulator.
The copy must plan exactly the resources the checkout plans; a dependency missing from the
declaration fails the plan ("Unreadable module directory").

All copies are planned in one suite root, like the plan tier's batches (tests/harness/plans.py).
Next to the copies sit only the prebuilt Lambda zips (`build/`) and the event catalog
(`lambda_src/`) that the examples' tfvars and defaults point at: what a user supplies."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from iackit import vendor
from iackit.emulator import Emulator, provider_override
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import OVERRIDE_FILE
from tests.harness import plans

MODULES = vendor.module_names()


def first_variant(module: str) -> plans.Variant:
    manifest = REPO_ROOT / "tests" / "modules" / module.replace("-", "_") / plans.MANIFEST
    return plans.load_variants(manifest)[0]


def plan_vendored_copies(emulator: Emulator, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Vendor every module into its own empty directory outside the checkout and plan the
    first variant of each from there, all in one suite root; the plans by module."""
    workdir = Path(tempfile.mkdtemp(prefix="vendored-"))
    assert REPO_ROOT not in workdir.parents
    try:
        for entry in ("build", "lambda_src"):
            (workdir / entry).symlink_to(REPO_ROOT / entry, target_is_directory=True)
        copies = []
        for module in MODULES:
            original = first_variant(module)
            vendor.vendor(module, workdir / module)
            example = Path(original.root).relative_to(Path("modules") / module)
            copies.append(replace(original, root=f"{module}/{module}/{example}"))
            plans._drop_regional_provider(workdir / copies[-1].root)
        suite = workdir / plans.SUITE_ROOT
        suite.mkdir(parents=True)
        (suite / "main.tf").write_text(plans.SUITE_PROVIDER + plans.suite_root(copies))
        (suite / OVERRIDE_FILE).write_text(provider_override(emulator.endpoint))
        plans._terraform(suite, env, "init", "-input=false", "-no-color")
        planfile = suite / "vendored.tfplan"
        plans._terraform(
            suite, env, "plan", "-input=false", "-lock=false", "-no-color", f"-out={planfile}"
        )
        raw = json.loads(plans._terraform(suite, env, "show", "-json", str(planfile)))
        return {
            module: plans.variant_plan(raw, plans.call_name(index))
            for index, module in enumerate(MODULES)
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# One test for all modules, so that one xdist worker plans the copies (one init and plan).
@pytest.mark.plan
def test_every_vendored_copy_plans_what_the_checkout_plans(
    provider_server: ProviderServer, emulator: Emulator, planned: Any
) -> None:
    copied = plan_vendored_copies(emulator, provider_server.env())
    differences = {}
    for module in MODULES:
        addresses = {c["address"] for c in copied[module]["resource_changes"]}
        expected = {c["address"] for c in planned(first_variant(module)).resource_changes}
        if not addresses or addresses != expected:
            differences[module] = {
                "only in the copy": sorted(addresses - expected),
                "only in the checkout": sorted(expected - addresses),
            }
    assert MODULES
    assert sorted(copied) == MODULES
    assert differences == {}
