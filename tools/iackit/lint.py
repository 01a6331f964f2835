"""`iackit lint`: the quality gates every change passes (format, validate, ruff, mypy).

Each gate runs even when an earlier one failed, so one run shows every problem; the exit
code is non-zero when any gate failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from iackit import toolchain
from iackit.paths import REPO_ROOT
from iackit.tf import TerraformError, Workspace

PYTHON_PATHS = ("lambda_src", "tools", "tests")


def terraform_roots() -> list[Path]:
    """Every directory that is a module, an example or an environment."""
    roots = set()
    for tf_file in REPO_ROOT.glob("modules/**/*.tf"):
        roots.add(tf_file.parent)
    for tf_file in REPO_ROOT.glob("envs/*/*.tf"):
        roots.add(tf_file.parent)
    return sorted(r for r in roots if ".terraform" not in r.parts)


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def gate_fmt() -> list[str]:
    proc = subprocess.run(
        [
            toolchain.terraform_binary(),
            "fmt",
            "-check",
            "-recursive",
            "-list=true",
            "modules",
            "envs",
            "tests",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=toolchain.terraform_env(),
        check=False,
    )
    return [f"not formatted (run make fmt): {f}" for f in proc.stdout.split()] or (
        [proc.stderr.strip()] if proc.returncode else []
    )


def gate_validate() -> list[str]:
    problems = []
    for root in terraform_roots():
        ws = Workspace(root)
        try:
            ws.init()
            ws.validate()
        except TerraformError as exc:
            problems.append(f"{root.relative_to(REPO_ROOT)}: {exc}")
        finally:
            ws.remove()
    return problems


def _command_gate(command: list[str]) -> list[str]:
    proc = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    return [] if proc.returncode == 0 else [(proc.stdout + proc.stderr).strip()]


GATES: dict[str, Callable[[], list[str]]] = {
    "terraform fmt": gate_fmt,
    "terraform validate": gate_validate,
    "ruff check": lambda: _command_gate([_tool("ruff"), "check", *PYTHON_PATHS]),
    "ruff format": lambda: _command_gate([_tool("ruff"), "format", "--check", *PYTHON_PATHS]),
    "mypy": lambda: _command_gate([_tool("mypy"), "lambda_src", "tools/iackit"]),
}


def run(selected: list[str] | None = None) -> int:
    failed = 0
    started = time.monotonic()
    for name, gate in GATES.items():
        if selected and name not in selected:
            continue
        gate_started = time.monotonic()
        problems = gate()
        status = "ok" if not problems else "FAILED"
        print(f"[lint] {name}: {status} ({time.monotonic() - gate_started:.1f}s)", flush=True)
        for problem in problems:
            print("  " + problem.replace("\n", "\n  "))
        failed += bool(problems)
    print(
        f"[lint] {len(GATES) - failed if not selected else ''} gates passed, {failed} failed "
        f"in {time.monotonic() - started:.1f}s"
    )
    return 1 if failed else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("lint", help="run the quality gates")
    parser.add_argument("gates", nargs="*", help=f"subset of: {', '.join(GATES)}")
    parser.set_defaults(func=lambda args: run(args.gates))
