"""Data-driven plan tests, in the style of cloud-foundation-fabric's `tftest.yaml`.

A module's test folder (`tests/modules/<module>/`) holds a manifest:

    # tftest.yaml
    module: modules/data-lake/examples/basic   # the root that is planned (module or example)
    common_tfvars: [common.tfvars]             # optional, applied to every variant
    tests:
      basic:                                   # basic.tfvars if present; inventory basic.yaml
      given_key:
        tfvars: [given_key.tfvars]
        inventory: [given_key.yaml]

`tests/modules/test_plans.py` turns every variant into one test that compares the plan with
its inventories (see `assertions.inventory_diff`). Python tests that check what data cannot
say ask the `planned` fixture for the same variant: every variant is planned once per run,
whichever xdist worker gets there first (the plan JSON is cached on disk under a lock).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from iackit.paths import REPO_ROOT
from iackit.tf import PlanResult

MANIFEST = "tftest.yaml"
MODULE_TESTS = REPO_ROOT / "tests" / "modules"


@dataclass(frozen=True)
class Variant:
    """One planned configuration of a root: its tfvars files and expected inventories."""

    manifest: Path
    name: str
    root: str
    tfvars: tuple[Path, ...]
    inventories: tuple[Path, ...]

    @property
    def id(self) -> str:
        return f"{self.manifest.parent.name}:{self.name}"

    def cache_key(self) -> str:
        digest = hashlib.sha256(self.root.encode())
        for path in self.tfvars:
            digest.update(path.read_bytes())
        return digest.hexdigest()[:32]


def load_variants(manifest: Path) -> list[Variant]:
    """Every variant of one `tftest.yaml`, with defaults resolved and files checked."""
    spec = yaml.safe_load(manifest.read_text()) or {}
    here = manifest.parent
    root = spec.get("module")
    if not root or not (REPO_ROOT / root).is_dir():
        raise ValueError(f"{manifest}: `module` must name a directory of the repository")
    common = [here / name for name in spec.get("common_tfvars") or []]
    variants = []
    for name, given in (spec.get("tests") or {}).items():
        test = given or {}
        default_tfvars = [here / f"{name}.tfvars"] if (here / f"{name}.tfvars").exists() else []
        tfvars = [here / f for f in test["tfvars"]] if "tfvars" in test else default_tfvars
        inventories = [here / f for f in test.get("inventory") or [f"{name}.yaml"]]
        for path in [*common, *tfvars, *inventories]:
            if not path.exists():
                raise ValueError(f"{manifest}: variant {name!r} needs {path.name}: missing")
        variants.append(
            Variant(manifest, name, root, tuple([*common, *tfvars]), tuple(inventories))
        )
    return variants


def all_variants() -> list[Variant]:
    return [
        v
        for manifest in sorted(MODULE_TESTS.glob(f"*/{MANIFEST}"))
        for v in load_variants(manifest)
    ]


def variant(test_dir: Path, name: str) -> Variant:
    """The variant `name` of the manifest in `test_dir` (a test module's folder)."""
    for candidate in load_variants(Path(test_dir) / MANIFEST):
        if candidate.name == name:
            return candidate
    raise KeyError(f"{test_dir / MANIFEST} has no variant {name!r}")


@dataclass
class PlanCache:
    """Plans by variant, shared by the workers of one run through a directory of JSON files.

    `plan_with(root, tfvars)` is the only thing that runs Terraform; it is given by the
    harness plugin (a workspace per root, on this worker's emulator and provider).
    """

    directory: Path
    plan_with: Any
    _memory: dict[str, PlanResult] = field(default_factory=dict)

    def get(self, wanted: Variant) -> PlanResult:
        key = wanted.cache_key()
        if key in self._memory:
            return self._memory[key]
        self.directory.mkdir(parents=True, exist_ok=True)
        cached = self.directory / f"{key}.json"
        with _exclusive(self.directory / f"{key}.lock"):
            if cached.exists():
                result = PlanResult(json.loads(cached.read_text()))
            else:
                result = self.plan_with(wanted.root, wanted.tfvars)
                cached.write_text(json.dumps(result.raw))
        self._memory[key] = result
        return result


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """One worker at a time plans a given variant; the others then read its JSON."""
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def iter_inventories(wanted: Variant) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in wanted.inventories:
        yield path, dict(yaml.safe_load(path.read_text()) or {})
