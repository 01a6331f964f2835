"""`iackit lint`: the quality gates every change passes (format, validate, ruff, mypy).

Each gate runs even when an earlier one failed, so one run shows every problem; the exit
code is non-zero when any gate failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iackit import linttools, openapi, packaging, toolchain
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
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


def fmt_problems(*paths: Path | str) -> list[str]:
    """Files `terraform fmt` would change, under the given paths."""
    proc = subprocess.run(
        [
            toolchain.terraform_binary(),
            "fmt",
            "-check",
            "-recursive",
            "-list=true",
            *map(str, paths),
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


def gate_fmt() -> list[str]:
    return fmt_problems("modules", "envs", "tests")


def gate_validate() -> list[str]:
    # The roots check that the packages they deploy exist (a variable validation with
    # fileexists), so validating a fresh clone needs them built: deterministic and cached.
    packaging.package_all()
    problems = []
    with ProviderServer() as provider:
        for root in terraform_roots():
            problems += _validate(root, provider.env())
    return problems


def _validate(root: Path, env: dict[str, str]) -> list[str]:
    ws = Workspace(root, extra_env=env)
    try:
        ws.init()
        ws.validate()
    except TerraformError as exc:
        return [f"{root.relative_to(REPO_ROOT)}: {exc}"]
    finally:
        ws.remove()
    return []


def _command_gate(command: list[str]) -> list[str]:
    proc = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    return [] if proc.returncode == 0 else [(proc.stdout + proc.stderr).strip()]


def module_dirs() -> list[Path]:
    return sorted(p.parent for p in REPO_ROOT.glob("modules/*/versions.tf"))


def gate_docs() -> list[str]:
    return docs_problems(*module_dirs())


def docs_problems(*modules: Path) -> list[str]:
    """Modules whose README lacks up-to-date terraform-docs tables."""
    binary = str(linttools.go_tool("terraform-docs"))
    config = str(REPO_ROOT / ".terraform-docs.yml")
    problems = []
    for module in modules:
        proc = subprocess.run(
            [binary, "--config", config, "--output-check", str(module)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            problems.append(f"{module.name}/README.md is stale: run make docs")
    return problems


def write_docs() -> int:
    for module in module_dirs():
        write_docs_for(module)
    openapi.write()  # docs/openapi/<api>.json from the HTTP APIs' Powertools routes
    return 0


def write_docs_for(module: Path) -> None:
    """Inject terraform-docs tables between the markers of the module README."""
    binary = str(linttools.go_tool("terraform-docs"))
    readme = module / "README.md"
    text = readme.read_text() if readme.exists() else f"# {module.name}\n"
    if "<!-- BEGIN_TF_DOCS -->" not in text:
        readme.write_text(text.rstrip() + "\n\n<!-- BEGIN_TF_DOCS -->\n<!-- END_TF_DOCS -->\n")
    config = str(REPO_ROOT / ".terraform-docs.yml")
    subprocess.run([binary, "--config", config, str(module)], check=True, capture_output=True)


def gate_tflint() -> list[str]:
    binary = str(linttools.go_tool("tflint"))
    config = str(REPO_ROOT / ".tflint.hcl")
    problems = []
    for top in ("modules", "envs"):
        if not (REPO_ROOT / top).is_dir():
            continue
        proc = subprocess.run(
            [binary, f"--chdir={top}", "--recursive", f"--config={config}", "--format=compact"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            problems.append((proc.stdout + proc.stderr).strip())
    return problems


@dataclass
class CheckovReport:
    passed: int
    failed: list[dict[str, Any]]
    skipped: list[dict[str, Any]]


def _json_documents(text: str) -> list[dict[str, Any]]:
    """Checkov prints one JSON document (object or list) per scanned directory."""
    decoder = json.JSONDecoder()
    documents: list[dict[str, Any]] = []
    index = 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        value, index = decoder.raw_decode(text, index)
        documents.extend(value if isinstance(value, list) else [value])
    return documents


def checkov_report(*paths: str) -> CheckovReport:
    """Run Checkov over the given directories; return its summary and findings."""
    binary = str(linttools.checkov())
    args = [binary, "--framework", "terraform", "--skip-download", "-o", "json"]
    for path in paths:
        args += ["-d", path]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    proc = subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, env=env, check=False)
    reports = _json_documents(proc.stdout)
    failed = [c for r in reports for c in r.get("results", {}).get("failed_checks", [])]
    skipped = [c for r in reports for c in r.get("results", {}).get("skipped_checks", [])]
    passed = sum(r.get("summary", {}).get("passed", 0) for r in reports)
    return CheckovReport(passed, failed, skipped)


def gate_checkov() -> list[str]:
    return checkov_problems(*[p for p in ("modules", "envs") if (REPO_ROOT / p).is_dir()])


def checkov_problems(*paths: str) -> list[str]:
    report = checkov_report(*paths)
    return [
        f"{c['check_id']} {c['check_name']}: {c['resource']} "
        f"({c['file_path']}:{c['file_line_range'][0]})"
        for c in report.failed
    ]


def gate_actionlint() -> list[str]:
    return actionlint_problems(REPO_ROOT)


def actionlint_problems(root: Path) -> list[str]:
    """actionlint over `root`/.github/workflows. Its ShellCheck and pyflakes integrations
    are off: they are not pinned here, so a machine that has them would lint differently."""
    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    if not workflows:
        return []
    binary = str(linttools.go_tool("actionlint"))
    command = [binary, "-no-color", "-shellcheck=", "-pyflakes="]
    proc = subprocess.run(
        [*command, *map(str, workflows)], cwd=root, capture_output=True, text=True, check=False
    )
    return [] if proc.returncode == 0 else [(proc.stdout + proc.stderr).strip()]


GATES: dict[str, Callable[[], list[str]]] = {
    "openapi": openapi.stale,  # docs/openapi/*.json current with the APIs' routes
    "terraform fmt": gate_fmt,
    "terraform validate": gate_validate,
    "ruff check": lambda: _command_gate([_tool("ruff"), "check", *PYTHON_PATHS]),
    "ruff format": lambda: _command_gate([_tool("ruff"), "format", "--check", *PYTHON_PATHS]),
    "mypy": lambda: _command_gate([_tool("mypy"), "lambda_src", "tools/iackit"]),
    "tflint": gate_tflint,
    "checkov": gate_checkov,
    "terraform-docs": gate_docs,
    "actionlint": gate_actionlint,
}


def gate_key(name: str) -> str:
    """A gate's name as one word (`terraform-fmt`), so `make lint LINT_GATES=...` can pass it."""
    return name.replace(" ", "-")


def run(selected: list[str] | None = None) -> int:
    wanted = {gate_key(name) for name in selected or []}
    unknown = sorted(wanted - {gate_key(name) for name in GATES})
    if unknown:
        print(f"[lint] unknown gates {unknown}: choose from {[gate_key(n) for n in GATES]}")
        return 2
    failed = ran = 0
    started = time.monotonic()
    for name, gate in GATES.items():
        if wanted and gate_key(name) not in wanted:
            continue
        ran += 1
        gate_started = time.monotonic()
        problems = gate()
        status = "ok" if not problems else "FAILED"
        print(f"[lint] {name}: {status} ({time.monotonic() - gate_started:.1f}s)", flush=True)
        for problem in problems:
            print("  " + problem.replace("\n", "\n  "))
        failed += bool(problems)
    elapsed = time.monotonic() - started
    print(f"[lint] {ran - failed} gates passed, {failed} failed in {elapsed:.1f}s")
    return 1 if failed else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("lint", help="run the quality gates")
    parser.add_argument("gates", nargs="*", help=f"subset of: {', '.join(map(gate_key, GATES))}")
    parser.set_defaults(func=lambda args: run(args.gates))
    docs = sub.add_parser("docs", help="regenerate the terraform-docs tables of every module")
    docs.set_defaults(func=lambda _args: write_docs())
    tools = sub.add_parser("lint-tools", help="install checkov, terraform-docs and tflint")
    tools.set_defaults(func=lambda _args: print(linttools.ensure_all()) or 0)
