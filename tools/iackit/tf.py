"""Terraform runs on copies of root configurations, through tftest.

A `Workspace` mirrors the repository layout in a temporary directory: the root
configuration (a test fixture or an environment) is copied, everything it may reference
(`modules/`, `build/`, ...) is symlinked. Each run therefore has its own `.terraform/`,
state and emulator override, so pytest-xdist workers never share files, and nothing is
written into the checkout.

python-terraform is not used: its last release (2019) passes `-force` to `destroy`, a flag
Terraform removed in 0.15 (checked against Terraform 1.15: "flag provided but not defined").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tftest

from iackit import toolchain
from iackit.emulator import provider_override
from iackit.paths import REPO_ROOT

# Top-level entries a root configuration may reference by relative path.
LINKED_ENTRIES = ("modules", "lambda_src", "build")
OVERRIDE_FILE = "emulator_override.tf"
BACKEND_OVERRIDE_FILE = "backend_override.tf"
VARS_FILE = "harness.auto.tfvars.json"


class TerraformError(RuntimeError):
    """A Terraform command failed; the message carries its stderr."""


class PlanResult:
    """The parts of `terraform show -json <plan>` the assertions use.

    `show -json` costs a Terraform run (the provider schema is loaded again), so a plan
    known to be empty (`-detailed-exitcode` 0, e.g. the idempotency plan after an apply)
    answers `changes` without it, and the JSON is read only when something asks for it.
    """

    def __init__(
        self,
        raw: dict[str, Any] | None = None,
        *,
        load: Callable[[], dict[str, Any]] | None = None,
        known_empty: bool = False,
    ) -> None:
        self._raw = raw
        self._load = load
        self.known_empty = known_empty

    @property
    def raw(self) -> dict[str, Any]:
        if self._raw is None:
            if self._load is None:
                raise ValueError("a PlanResult needs its JSON or a way to load it")
            self._raw = self._load()
        return self._raw

    @property
    def resource_changes(self) -> list[dict[str, Any]]:
        return list(self.raw.get("resource_changes", []))

    @property
    def changes(self) -> list[dict[str, Any]]:
        """Resource changes other than no-op/read."""
        if self.known_empty:
            return []
        return [
            rc
            for rc in self.resource_changes
            if rc["change"]["actions"] not in (["no-op"], ["read"])
        ]

    @property
    def values(self) -> dict[str, dict[str, Any]]:
        """Planned attribute values of every managed resource, keyed by full address."""
        found: dict[str, dict[str, Any]] = {}
        root = self.raw.get("planned_values", {}).get("root_module", {})
        stack = [root]
        while stack:
            module = stack.pop()
            for res in module.get("resources", []):
                if res.get("mode") == "managed":
                    found[res["address"]] = res.get("values", {})
            stack.extend(module.get("child_modules", []))
        return found

    @property
    def outputs(self) -> dict[str, Any]:
        return {
            name: out.get("value")
            for name, out in self.raw.get("planned_values", {}).get("outputs", {}).items()
        }

    def by_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Planned values of every resource of one type, keyed by address."""
        return {a: v for a, v in self.values.items() if _resource_type(a) == resource_type}


def _target_flags(targets: Sequence[str]) -> list[str]:
    return [f"-target={target}" for target in targets]


def _resource_type(address: str) -> str:
    """`module.a.module.b.aws_x.name["k"]` -> `aws_x`."""
    parts = re.sub(r"\[[^\]]*\]", "", address).split(".")
    index = 0
    while index < len(parts) and parts[index] == "module":
        index += 2
    return parts[index]


@dataclass
class Workspace:
    """A disposable copy of a root configuration, ready for init/plan/apply/destroy."""

    source: Path
    endpoint: str | None = None
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tfws-")))
    extra_env: Mapping[str, str] = field(default_factory=dict)
    state_path: Path | None = None
    # What the last apply was limited to (`-target`); empty means everything.
    applied_targets: list[str] = field(default_factory=list)
    _plans: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        self.source = Path(self.source).resolve()
        relative = self.source.relative_to(REPO_ROOT)
        for entry in LINKED_ENTRIES:
            target = REPO_ROOT / entry
            if target.exists() and relative.parts[0] != entry:
                (self.root / entry).symlink_to(target, target_is_directory=True)
        self.dir = self.root / relative
        ignore = shutil.ignore_patterns(
            ".terraform", "*.tfstate*", ".terraform.lock.hcl", "*_override.tf", "__pycache__"
        )
        if relative.parts[0] == "modules":
            # An example inside a module calls its parent by relative path, and may call
            # sibling modules: copy the whole module, link the siblings.
            owner = relative.parts[1]
            shutil.copytree(
                REPO_ROOT / "modules" / owner, self.root / "modules" / owner, ignore=ignore
            )
            for sibling in (REPO_ROOT / "modules").iterdir():
                if sibling.name != owner:
                    (self.root / "modules" / sibling.name).symlink_to(
                        sibling, target_is_directory=True
                    )
        else:
            shutil.copytree(self.source, self.dir, ignore=ignore)
        if self.endpoint:
            (self.dir / OVERRIDE_FILE).write_text(provider_override(self.endpoint))
        # Emulator runs keep state locally: this replaces any real backend (e.g. envs' S3).
        state = self.state_path or self.dir / "terraform.tfstate"
        (self.dir / BACKEND_OVERRIDE_FILE).write_text(
            f'terraform {{\n  backend "local" {{\n    path = "{state}"\n  }}\n}}\n'
        )
        env = {**toolchain.terraform_env(), **self.extra_env}
        self.tf = tftest.TerraformTest(str(self.dir), binary=toolchain.terraform_binary(), env=env)

    # -- commands -----------------------------------------------------------------------

    def set_vars(self, variables: Mapping[str, Any] | None) -> None:
        """Variables for every later command; `{}` clears them, `None` keeps what is set
        (so `plan()` right after `apply(vars)` plans the same configuration)."""
        if variables is None:
            return
        path = self.dir / VARS_FILE
        if variables:
            path.write_text(json.dumps(dict(variables), indent=2, sort_keys=True))
        elif path.exists():
            path.unlink()

    def init(self) -> None:
        self._run("init", "-input=false")

    def plan(
        self,
        variables: Mapping[str, Any] | None = None,
        *,
        var_files: Sequence[Path] = (),
        targets: Sequence[str] = (),
    ) -> PlanResult:
        """`terraform plan` (+ `show -json`); `var_files` are added to the harness variables,
        `targets` limit the plan as `-target` does."""
        self.set_vars(variables)
        self._plans += 1
        plan_file = self.dir / f"harness-{self._plans}.tfplan"
        # -detailed-exitcode: 0 = no changes, 2 = changes (1 is an error, raised).
        exit_code, _ = self._execute(
            "plan",
            "-input=false",
            "-lock=false",
            "-detailed-exitcode",
            f"-out={plan_file}",
            *[f"-var-file={path}" for path in var_files],
            *_target_flags(targets),
            ok=(0, 2),
        )
        return PlanResult(
            load=lambda: json.loads(self._run("show", "-json", str(plan_file))),
            known_empty=exit_code == 0,
        )

    def deleted_on_refresh(self, parallelism: int = 10) -> set[str]:
        """Re-read every resource in state (a refresh-only plan); the addresses of objects
        gone remotely. Read from the plan's machine-readable log: no `show -json` run."""
        _, log = self._execute(
            "plan",
            "-refresh-only",
            "-input=false",
            "-lock=false",
            "-json",
            f"-parallelism={parallelism}",
            ok=(0, 2),
        )
        messages = (json.loads(line) for line in log.splitlines() if line.startswith("{"))
        return {
            m["change"]["resource"]["addr"]
            for m in messages
            if m.get("type") == "resource_drift" and m["change"].get("action") == "delete"
        }

    def apply(
        self, variables: Mapping[str, Any] | None = None, *, targets: Sequence[str] = ()
    ) -> dict[str, Any]:
        self.set_vars(variables)
        self._run("apply", "-input=false", "-auto-approve", *_target_flags(targets))
        return self.outputs()

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self._run("output", "-json"))
        return {name: value["value"] for name, value in raw.items()}

    def state(self) -> dict[str, Any]:
        return dict(json.loads(self._run("show", "-json")))

    def destroy(self) -> None:
        self._run("destroy", "-input=false", "-auto-approve")

    def validate(self) -> None:
        self._run("validate", "-no-color")

    def refused_variables(self, variables: Mapping[str, Any]) -> str:
        """What Terraform says of `variables` when it checks them, as a plan does first: the
        validation errors, or "" when every variable is accepted. A validation rule reads
        only variables, so `terraform console` runs on the root's `variables.tf` and the
        tfvars it loads by itself, without a provider or module (0.1 s instead of 2.5 s;
        no init needed)."""
        if not (self.dir / "variables.tf").is_file():
            raise TerraformError(f"{self.dir} declares no variables.tf to check")
        with tempfile.TemporaryDirectory(prefix="tfvars-") as scratch:
            for path in self.dir.iterdir():
                if path.name in ("variables.tf", "terraform.tfvars") or path.name.endswith(
                    (".auto.tfvars", ".auto.tfvars.json")
                ):
                    shutil.copy(path, scratch)
            (Path(scratch) / VARS_FILE).write_text(json.dumps(dict(variables)))
            result = subprocess.run(
                [toolchain.terraform_binary(), "console", "-no-color"],
                cwd=scratch,
                env={**os.environ, **toolchain.terraform_env(), **self.extra_env},
                input="1\n",
                capture_output=True,
                text=True,
                check=False,
            )
        return result.stderr.strip()

    def test(self) -> str:
        """`terraform test` (the module's own `tests/*.tftest.hcl`); returns its output."""
        return self._run("test", "-no-color")

    def _run(self, *args: str) -> str:
        """Run terraform through tftest; raise TerraformError with stderr on failure."""
        return self._execute(*args)[1]

    def _execute(self, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[int, str]:
        """(exit code, stdout) of a terraform command; TerraformError unless the code is ok."""
        cmd_args = list(args[1:])
        if args[0] in {"init", "plan", "apply", "destroy", "validate"}:
            cmd_args.insert(0, "-no-color")
        try:
            result = self.tf.execute_command(args[0], *cmd_args)
        except tftest.TerraformTestError as exc:
            # Errors are on stderr, except with -json, where they are messages on stdout
            # (tftest's first argument holds stdout and stderr).
            detail = exc.args[1] if len(exc.args) > 1 and str(exc.args[1]).strip() else exc.args[0]
            raise TerraformError(
                f"terraform {args[0]} failed in {self.dir}:\n{str(detail).strip()}"
            ) from None
        if result.retcode not in ok:
            raise TerraformError(f"terraform {args[0]} exited {result.retcode}: {result.err}")
        return int(result.retcode), str(result.out)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
