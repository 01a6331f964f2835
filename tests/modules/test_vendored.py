"""Every module works as a copy outside the checkout (`iackit vendor <module> <dir>`: it and
the modules its `module.json` declares, in an empty directory of its own).

Such a copy plans what the checkout plans when its files are the checkout's, byte for byte,
and every module source and file its configuration reads resolves inside it (Terraform reads
files only below `path.module` or from paths the caller passes, such as the Lambda zips). The
second is proven by `terraform init` + `validate` of one root calling every copy's example
(the first variant of its `tftest.yaml`): a dependency missing from the declaration fails
init. 3 s, where planning the 18 copies cost 22 s. Beside the copies: only `build/` and
`lambda_src/`, what a user supplies."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path

import pytest

from iackit import vendor
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from tests.harness import plans

MODULES = vendor.module_names()


def first_variant(module: str) -> plans.Variant:
    manifest = REPO_ROOT / "tests" / "modules" / module.replace("-", "_") / plans.MANIFEST
    return plans.load_variants(manifest)[0]


def validate_vendored_copies(env: dict[str, str]) -> dict[str, dict[str, str]]:
    """Vendor every module into its own empty directory outside the checkout, then init and
    validate one suite root that calls each copy's first variant; each copy's files by path
    relative to the copy, with their SHA-256 (TerraformError when init or validate fails)."""
    workdir = Path(tempfile.mkdtemp(prefix="vendored-"))
    assert REPO_ROOT not in workdir.parents
    try:
        for entry in ("build", "lambda_src"):
            (workdir / entry).symlink_to(REPO_ROOT / entry, target_is_directory=True)
        copies, files = [], {}
        for module in MODULES:
            original = first_variant(module)
            vendor.vendor(module, workdir / module)
            files[module] = digests(workdir / module / module)
            example = Path(original.root).relative_to(Path("modules") / module)
            copies.append(replace(original, root=f"{module}/{module}/{example}"))
            plans._drop_regional_provider(workdir / copies[-1].root)
        suite = workdir / plans.SUITE_ROOT
        suite.mkdir(parents=True)
        (suite / "main.tf").write_text(plans.SUITE_PROVIDER + plans.suite_root(copies))
        plans.terraform(suite, env, "init", "-input=false", "-no-color")
        plans.terraform(suite, env, "validate", "-no-color")
        return files
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def digests(directory: Path) -> dict[str, str]:
    """SHA-256 of every file below `directory` that vendoring copies, by relative path."""
    found = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        skipped = any(fnmatch(part, p) for part in relative.parts for p in vendor.IGNORED_NAMES)
        if path.is_file() and not skipped:
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# One test for all modules, so that one xdist worker vendors the copies (one init and validate).
@pytest.mark.plan
def test_every_vendored_copy_is_the_checkout_and_resolves_alone(
    provider_server: ProviderServer,
) -> None:
    copied = validate_vendored_copies(provider_server.env())
    differences = {}
    for module in MODULES:
        expected = digests(REPO_ROOT / "modules" / module)
        if not copied[module] or copied[module] != expected:
            differences[module] = sorted(set(copied[module].items()) ^ set(expected.items()))
    assert sorted(copied) == MODULES
    assert differences == {}
