"""Deterministic Lambda packages: the same sources always give the same zip bytes, so the
`source_code_hash` Terraform sees only changes when the code does.

A function package `lambda_src/<name>/` is zipped as `<name>/...` together with the shared
package `lambda_src/student_platform/`, entries sorted, timestamps fixed, modes normalised.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from iackit.paths import REPO_ROOT, build_dir

LAMBDA_SRC = REPO_ROOT / "lambda_src"
SHARED_PACKAGE = "student_platform"
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", "tests"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".md"}


def function_names() -> list[str]:
    """Every function package under lambda_src/ (a directory with app.py)."""
    return sorted(p.parent.name for p in LAMBDA_SRC.glob("*/app.py"))


def _files(root: Path) -> Iterable[Path]:
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        excluded = EXCLUDED_PARTS & set(relative.parts) or path.suffix in EXCLUDED_SUFFIXES
        if path.is_file() and not excluded:
            yield path


def zip_bytes(name: str, src_root: Path = LAMBDA_SRC) -> bytes:
    """The package bytes for function `name` (a package directory under `src_root`)."""
    function_dir = src_root / name
    if not (function_dir / "app.py").is_file():
        raise FileNotFoundError(f"{function_dir}/app.py not found: not a Lambda package")
    sources = [function_dir]
    if (src_root / SHARED_PACKAGE).is_dir():
        sources.append(src_root / SHARED_PACKAGE)
    entries = sorted(
        (str(path.relative_to(src_root)), path) for source in sources for path in _files(source)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for arcname, path in entries:
            info = zipfile.ZipInfo(arcname, date_time=FIXED_TIMESTAMP)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def package(name: str, out_dir: Path | None = None, src_root: Path = LAMBDA_SRC) -> Path:
    """Write <out_dir>/<name>.zip (only if its bytes changed) and return its path."""
    target_dir = out_dir or build_dir() / "lambda"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{name}.zip"
    data = zip_bytes(name, src_root)
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
    return target


def package_all(out_dir: Path | None = None) -> dict[str, Path]:
    return {name: package(name, out_dir) for name in function_names()}


def sha256_hex(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
