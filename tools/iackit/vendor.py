"""`iackit vendor <module> <dir>`: copy a module, with every module it needs, into any
directory (another repository, another account's configuration).

Each module declares the modules it calls in `modules/<m>/module.json`:

    {"dependencies": ["kms-key", "sqs-dlq"], "example_dependencies": ["lambda-layer"]}

`dependencies` are the `../<name>` sources of the module's own `.tf` files (what a user must
copy); `example_dependencies` the further modules its `examples/` call
(`../../../<name>`). `declared_problems()` proves the declarations match the sources
(`tests/unit/test_vendor.py`). The copies are written side by side, `<dir>/<module>/` and
`<dir>/<dependency>/`, the layout of `modules/`, so every `../<name>` source resolves
unchanged; nothing is rewritten.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from iackit.paths import REPO_ROOT

MODULES_DIR = REPO_ROOT / "modules"
MANIFEST = "module.json"
# `source = "../kms-key"` in a module, `source = "../../../kms-key"` in one of its examples.
SIBLING_SOURCE = re.compile(r'^\s*source\s*=\s*"\.\./(?:\.\./\.\./)?([a-z0-9-]+)"', re.MULTILINE)
# Never copied: Terraform working data, state, lock files, the emulator's overrides.
IGNORED_NAMES = (
    ".terraform",
    "*.tfstate*",
    ".terraform.lock.hcl",
    "*_override.tf",
    "*.tfplan",
    "__pycache__",
)


class VendorError(ValueError):
    """The module is unknown, its declaration is wrong, or the target holds something else."""


@dataclass(frozen=True)
class Declaration:
    dependencies: tuple[str, ...]
    example_dependencies: tuple[str, ...]


def module_names() -> list[str]:
    return sorted(p.parent.name for p in MODULES_DIR.glob("*/versions.tf"))


def declaration(module: str) -> Declaration:
    path = MODULES_DIR / module / MANIFEST
    if not (MODULES_DIR / module / "versions.tf").exists():
        raise VendorError(f"no module modules/{module} (one of: {', '.join(module_names())})")
    if not path.exists():
        raise VendorError(f"modules/{module}/{MANIFEST} is missing")
    data = json.loads(path.read_text())
    return Declaration(
        tuple(data.get("dependencies", [])), tuple(data.get("example_dependencies", []))
    )


def called_modules(directory: Path) -> set[str]:
    """Sibling modules the `.tf` files directly in `directory` call."""
    found: set[str] = set()
    for tf_file in directory.glob("*.tf"):
        found.update(SIBLING_SOURCE.findall(tf_file.read_text()))
    return found


def example_calls(module: str) -> set[str]:
    found: set[str] = set()
    for example in sorted((MODULES_DIR / module / "examples").glob("*/")):
        found |= called_modules(example)
    return found


def declared_problems(module: str) -> list[str]:
    """Differences between what `module.json` declares and what the sources call."""
    declared = declaration(module)
    calls = called_modules(MODULES_DIR / module)
    problems = []
    if set(declared.dependencies) != calls:
        problems.append(
            f"modules/{module}/{MANIFEST}: dependencies {sorted(declared.dependencies)} "
            f"but the module calls {sorted(calls)}"
        )
    extra = example_calls(module) - calls - {module}
    if set(declared.example_dependencies) != extra:
        problems.append(
            f"modules/{module}/{MANIFEST}: example_dependencies "
            f"{sorted(declared.example_dependencies)} but its examples also call {sorted(extra)}"
        )
    return problems


def closure(module: str, examples: bool = True) -> list[str]:
    """The module and every module it needs (transitively), in a stable order."""
    wanted, pending = [module], [module]
    while pending:
        current = declaration(pending.pop())
        needed = list(current.dependencies)
        if examples:
            needed += current.example_dependencies
        for name in needed:
            if name not in wanted:
                wanted.append(name)
                pending.append(name)
    return [module, *sorted(wanted[1:])]


def vendor(module: str, target: Path, examples: bool = True) -> list[Path]:
    """Copy `module` and what it needs into `target` (created if missing); the copies."""
    names = closure(module, examples)
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for name in names:
        destination = target / name
        if destination.exists():
            raise VendorError(f"{destination} exists: remove it or vendor into another directory")
        skipped = IGNORED_NAMES if examples else (*IGNORED_NAMES, "examples")
        shutil.copytree(MODULES_DIR / name, destination, ignore=shutil.ignore_patterns(*skipped))
        copies.append(destination)
    return copies


def _command(args: argparse.Namespace) -> int:
    try:
        copies = vendor(args.module, Path(args.dir), examples=not args.no_examples)
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for copy in copies:
        print(copy)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "vendor", help="copy a module and the modules it needs into a directory"
    )
    parser.add_argument("module", help="a directory name under modules/")
    parser.add_argument("dir", help="target directory: gets <dir>/<module> and its dependencies")
    parser.add_argument(
        "--no-examples",
        action="store_true",
        help="leave out examples/ (and the modules only they call)",
    )
    parser.set_defaults(func=_command)
