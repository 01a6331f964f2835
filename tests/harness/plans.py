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

Loading the AWS provider schema costs a few seconds per Terraform command, so variants are
not planned one by one: they are split into one batch per worker, and a batch is planned as
one generated root that calls every variant's root as a module (`suite_root`). The plan is
then cut back into one plan per variant (`variant_plan`), with the addresses, outputs and
configuration the variant's own root would have had. A batch that fails is re-planned
variant by variant, so an error is reported by the test of the variant that has it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from iackit import toolchain
from iackit.emulator import provider_override
from iackit.paths import REPO_ROOT
from iackit.tf import OVERRIDE_FILE, PlanResult, TerraformError

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


USAGE_BLOCK = re.compile(r"## Usage\s+```hcl\n(.*?)```", re.DOTALL)
# The README's `source = "../../modules/<m>"` resolves from a root two levels below the
# repository, as in envs/<env> (an ignored folder, rewritten when a README changes).
README_ROOTS = Path(".readme-usage")
README_PROVIDER = """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 6.34" }
  }
}

provider "aws" {
  region = "us-east-1"
}
"""


def usage_block(module: str) -> str:
    found = USAGE_BLOCK.search((REPO_ROOT / "modules" / module / "README.md").read_text())
    if not found:
        raise ValueError(f"modules/{module}/README.md has no ```hcl block under '## Usage'")
    return str(found[1])


def readme_variants() -> list[Variant]:
    """One variant per module README: its usage block as a root of its own."""
    found = []
    for readme in sorted((REPO_ROOT / "modules").glob("*/README.md")):
        module = readme.parent.name
        root = README_ROOTS / module
        _write_if_changed(REPO_ROOT / root / "main.tf", usage_block(module))
        _write_if_changed(REPO_ROOT / root / "providers.tf", README_PROVIDER)
        found.append(Variant(readme, "usage", str(root), (), ()))
    return found


ENV_TESTS = REPO_ROOT / "tests" / "envs"


def env_variants() -> dict[str, Variant]:
    """dev and prod with their terraform.tfvars (a root loads it itself, a module call does
    not), and prod with the alternatives of tests/envs/alternatives.tfvars.json; each with
    its inventory, tests/envs/<name>.yaml."""
    found = {
        env: Variant(
            ENV_TESTS / "test_envs.py",
            env,
            f"envs/{env}",
            (REPO_ROOT / "envs" / env / "terraform.tfvars",),
            (ENV_TESTS / f"{env}.yaml",),
        )
        for env in ("dev", "prod")
    }
    alternatives = (*found["prod"].tfvars, ENV_TESTS / "alternatives.tfvars.json")
    found["alternatives"] = Variant(
        ENV_TESTS / "test_envs.py",
        "alternatives",
        "envs/prod",
        alternatives,
        (ENV_TESTS / "alternatives.yaml",),
    )
    return found


def _write_if_changed(path: Path, text: str) -> None:
    """Atomic, so the other worker never reads half a file."""
    if path.exists() and path.read_text() == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(text)
    partial.replace(path)


def variant(test_dir: Path, name: str) -> Variant:
    """The variant `name` of the manifest in `test_dir` (a test module's folder)."""
    for candidate in load_variants(Path(test_dir) / MANIFEST):
        if candidate.name == name:
            return candidate
    raise KeyError(f"{test_dir / MANIFEST} has no variant {name!r}")


TOP_LEVEL_ATTRIBUTE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*=")


def tfvars_attributes(text: str) -> dict[str, str]:
    """`name = value` entries of a (terraform fmt-ed) tfvars file, as HCL text by name.

    Top-level attributes start in column 0; every other line belongs to the one above.
    Later files override earlier ones by name, as `-var-file` does.
    """
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = TOP_LEVEL_ATTRIBUTE.match(line)
        if match:
            current = match[1]
            found[current] = [line]
        elif current is not None:
            found[current].append(line)
        elif line.strip() and not line.lstrip().startswith(("#", "//")):
            raise ValueError(f"not a top-level tfvars attribute: {line!r}")
    return {name: "\n".join(lines).rstrip() for name, lines in found.items()}


def tfvars_file_attributes(path: Path) -> dict[str, str]:
    """`tfvars_attributes` of a `.tfvars` file, or of a `.tfvars.json` file: its JSON values
    are HCL expressions as they stand, once `${` and `%{` are escaped."""
    if path.name.endswith(".json"):
        values = json.loads(path.read_text())
        escaped = {
            k: json.dumps(v).replace("${", "$${").replace("%{", "%%{") for k, v in values.items()
        }
        return {name: f"{name} = {value}" for name, value in escaped.items()}
    return tfvars_attributes(path.read_text())


# The generated root sits as deep below the repository copy as an example does
# (modules/<m>/examples/<e>), so paths in tfvars that are relative to the working directory
# (`../../../../build/lambda/x.zip`) resolve the same way.
SUITE_ROOT = Path("modules") / "_plan_suite" / "examples" / "batch"


# The suite also outputs each call's arguments: a variant's plan gets the `variables` its
# root's plan would have had (tools/iackit/cost.py reads them).
ARGUMENTS = "_arguments"


def call_name(index: int) -> str:
    return f"variant_{index:03d}"


def suite_root(variants: Sequence[Variant]) -> str:
    """HCL of one root that calls each variant's root as a module with its tfvars as
    arguments, and outputs each call's outputs and arguments (sensitive: some are)."""
    blocks = []
    for index, wanted in enumerate(variants):
        arguments: dict[str, str] = {}
        for path in wanted.tfvars:
            arguments.update(tfvars_file_attributes(path))
        if not REGION_ONLY.fullmatch(arguments.get("region", "region = var.region")):
            raise TerraformError(f"{wanted.id}: a region other than the suite's us-east-1")
        body = "".join(f"  {line}\n" for value in arguments.values() for line in value.splitlines())
        name = call_name(index)
        blocks.append(
            f'module "{name}" {{\n  source = "../../../../{wanted.root}"\n{body}}}\n\n'
            f'output "{name}" {{\n  value     = module.{name}\n  sensitive = true\n}}\n\n'
            f'output "{name}{ARGUMENTS}" {{\n  value = {{\n{body}  }}\n  sensitive = true\n}}\n'
        )
    return "\n".join(blocks)


def variant_plan(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """The part of a suite plan that belongs to module call `name`, re-rooted: addresses
    lose their `module.<name>.` prefix, the call's outputs become root outputs and its
    configuration the root module."""
    prefix = f"module.{name}"

    def strip(address: str) -> str:
        return address[len(prefix) + 1 :] if address.startswith(prefix + ".") else address

    def reroot(module: dict[str, Any]) -> dict[str, Any]:
        moved = {k: v for k, v in module.items() if k not in ("resources", "child_modules")}
        if "address" in moved:
            moved["address"] = strip(moved["address"])
        moved["resources"] = [
            {**res, "address": strip(res["address"])} for res in module.get("resources", [])
        ]
        moved["child_modules"] = [reroot(child) for child in module.get("child_modules", [])]
        return moved

    planned = raw.get("planned_values", {})
    children = planned.get("root_module", {}).get("child_modules", [])
    call = next((c for c in children if c.get("address") == prefix), {})
    root = reroot(call)
    root.pop("address", None)
    changes = []
    for change in raw.get("resource_changes", []):
        if change["address"].startswith(prefix + "."):
            moved = {**change, "address": strip(change["address"])}
            module_address = strip(change.get("module_address", ""))
            if module_address and module_address != prefix:
                moved["module_address"] = module_address
            else:
                moved.pop("module_address", None)
            changes.append(moved)
    # planned_values only holds wholly known outputs; the call's output object is rarely
    # that, so its attributes come from output_changes, where unknown parts are flagged.
    output = raw.get("output_changes", {}).get(name, {})
    after, unknown = output.get("after") or {}, output.get("after_unknown") or {}
    configuration = raw.get("configuration", {}).get("root_module", {})
    called = configuration.get("module_calls", {}).get(name, {}).get("module", {})
    declared = called.get("outputs", {})
    outputs = {}
    for key in sorted({*after, *unknown}):
        outputs[key] = {"sensitive": bool(declared.get(key, {}).get("sensitive"))}
        if not _has_unknown(unknown.get(key)):
            outputs[key]["value"] = after.get(key)
    given = raw.get("output_changes", {}).get(name + ARGUMENTS, {}).get("after") or {}
    variables = {
        key: {"value": given[key] if key in given else spec.get("default")}
        for key, spec in called.get("variables", {}).items()
    }
    return {
        "format_version": raw.get("format_version"),
        "terraform_version": raw.get("terraform_version"),
        "variables": variables,
        "planned_values": {"root_module": root, "outputs": outputs},
        "resource_changes": changes,
        "configuration": {"root_module": called},
    }


def plan_together(
    variants: Sequence[Variant], endpoint: str, env: dict[str, str]
) -> dict[Variant, dict[str, Any]]:
    """Plan `variants` as one suite root on the emulator at `endpoint` (with `env`, e.g.
    the shared provider's reattach settings); their plans, or TerraformError."""
    workdir = Path(tempfile.mkdtemp(prefix="tfsuite-"))
    try:
        ignore = shutil.ignore_patterns(
            ".terraform", "*.tfstate*", ".terraform.lock.hcl", "*_override.tf", "__pycache__"
        )
        shutil.copytree(REPO_ROOT / "modules", workdir / "modules", ignore=ignore)
        suite = workdir / SUITE_ROOT
        suite.mkdir(parents=True)
        # Paths relative to the working directory are written for an example's depth
        # (`../../../../build`), paths from `path.root` for a README root's depth
        # (`${path.root}/../../build`): both resolve in the suite root.
        for base in (workdir, suite.parent.parent):
            for entry in ("lambda_src", "build"):
                (base / entry).symlink_to(REPO_ROOT / entry, target_is_directory=True)
        (suite / "main.tf").write_text(SUITE_PROVIDER + suite_root(variants))
        (suite / OVERRIDE_FILE).write_text(provider_override(endpoint))
        for root in {v.root for v in variants}:
            if not (workdir / root).exists():
                shutil.copytree(REPO_ROOT / root, workdir / root, ignore=ignore)
            if not _drop_regional_provider(workdir / root):
                (workdir / root / OVERRIDE_FILE).write_text(provider_override(endpoint))
        plan = suite / "suite.tfplan"
        terraform(suite, env, "init", "-input=false", "-no-color")
        terraform(suite, env, "plan", "-input=false", "-lock=false", "-no-color", f"-out={plan}")
        raw = json.loads(terraform(suite, env, "show", "-json", str(plan)))
        return {v: variant_plan(raw, call_name(i)) for i, v in enumerate(variants)}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# A provider block per called root would make Terraform fetch and decode the provider's
# schema once per root (that is the cost batching saves): the roots' own blocks, which only
# set the region, are dropped from the copies and every call inherits this one. A root whose
# block sets more (an environment's default_tags) keeps it, pointed at the emulator by an
# override file like the suite's; its `backend` block is ignored in a module call.
SUITE_PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n\n'
PROVIDER_BLOCK = re.compile(r'^provider "aws" \{\n(.*?)^\}\n', re.MULTILINE | re.DOTALL)
REGION_ONLY = re.compile(r'\s*region\s*=\s*("us-east-1"|var\.region)\s*')


def _drop_regional_provider(root: Path) -> bool:
    """Remove a root's `provider "aws"` blocks that set only the suite's region; False (and
    the root left unchanged) when one sets more."""
    files = {path: path.read_text() for path in root.glob("*.tf")}
    blocks = [block for text in files.values() for block in PROVIDER_BLOCK.finditer(text)]
    if not all(REGION_ONLY.fullmatch(block[1]) for block in blocks):
        return False
    for path, text in files.items():
        path.write_text(PROVIDER_BLOCK.sub("", text))
    return True


def terraform(directory: Path, env: dict[str, str], *args: str) -> str:
    """`terraform <args>` in `directory` with the project's environment and `env`: its
    stdout, or TerraformError with its stderr (the suite roots' runs share it)."""
    result = subprocess.run(
        [toolchain.terraform_binary(), *args],
        cwd=directory,
        env={**os.environ, **toolchain.terraform_env(), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise TerraformError(f"terraform {args[0]} failed in {directory}:\n{result.stderr}")
    return result.stdout


def _has_unknown(flags: Any) -> bool:
    """Whether an `after_unknown` entry marks any part of a value unknown."""
    if isinstance(flags, dict):
        return any(_has_unknown(v) for v in flags.values())
    if isinstance(flags, list):
        return any(_has_unknown(v) for v in flags)
    return flags is True


@dataclass
class PlanCache:
    """Plans by variant, shared by the workers of one run through a directory of JSON files.

    `plan_batch` (given by the harness plugin: a workspace on this worker's emulator and
    provider) plans variants together and returns their raw plans, or raises; `plan_one`
    plans a single variant as its own root. A worker that needs a variant whose batch
    another worker is planning plans an untouched batch meanwhile, so no worker idles.
    """

    directory: Path
    plan_batch: Callable[[Sequence[Variant]], dict[Variant, dict[str, Any]]]
    plan_one: Callable[[Variant], PlanResult]
    batches: Sequence[Sequence[Variant]] = ()
    _memory: dict[str, PlanResult] = field(default_factory=dict)

    def get(self, wanted: Variant) -> PlanResult:
        key = wanted.cache_key()
        if key not in self._memory:
            self.directory.mkdir(parents=True, exist_ok=True)
            batch = self._batch_of(wanted)
            if not self._planned(batch) and not self._plan(batch, wait=False):
                for other in self.batches:
                    if not self._planned(other):
                        self._plan(other, wait=False)
                self._plan(batch, wait=True)
            self._memory[key] = self._read(wanted)
        return self._memory[key]

    def _batch_of(self, wanted: Variant) -> Sequence[Variant]:
        return next((b for b in self.batches if wanted in b), [wanted])

    def _path(self, wanted: Variant, suffix: str) -> Path:
        return self.directory / f"{wanted.cache_key()}.{suffix}"

    def _planned(self, batch: Sequence[Variant]) -> bool:
        return all(self._path(v, "json").exists() or self._path(v, "error").exists() for v in batch)

    def _plan(self, batch: Sequence[Variant], wait: bool) -> bool:
        """Plan `batch` unless planned; False when another worker holds it and not `wait`."""
        lock = self.directory / f"{hashlib.sha256(repr(batch).encode()).hexdigest()[:16]}.lock"
        with _exclusive(lock, wait) as held:
            if not held:
                return False
            if not self._planned(batch):
                self._write(batch)
        return True

    def _write(self, batch: Sequence[Variant]) -> None:
        try:
            plans = self.plan_batch(batch) if len(batch) > 1 else {}
        except TerraformError:
            plans = {}  # re-planned one by one below: each error lands on its own test
        for wanted in batch:
            if wanted in plans:
                self._path(wanted, "json").write_text(json.dumps(plans[wanted]))
                continue
            try:
                raw = self.plan_one(wanted).raw
            except TerraformError as error:
                self._path(wanted, "error").write_text(str(error))
            else:
                self._path(wanted, "json").write_text(json.dumps(raw))

    def _read(self, wanted: Variant) -> PlanResult:
        error = self._path(wanted, "error")
        if error.exists():
            raise TerraformError(error.read_text())
        return PlanResult(json.loads(self._path(wanted, "json").read_text()))


@contextmanager
def _exclusive(lock: Path, wait: bool = True) -> Iterator[bool]:
    """One worker at a time plans a batch; the others then read its JSON. Yields whether
    the lock is held (always, when `wait`)."""
    with lock.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True


def iter_inventories(wanted: Variant) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in wanted.inventories:
        yield path, dict(yaml.safe_load(path.read_text()) or {})
