"""Deterministic Lambda packages: the same sources always give the same zip bytes, so the
`source_code_hash` Terraform sees only changes when the code does.

A function package `lambda_src/<name>/` is zipped as `<name>/...` together with the shared
package `lambda_src/student_platform/`, entries sorted, timestamps fixed, modes normalised.

The dependency layer `build/lambda/python-deps.zip` holds the pinned runtime requirements
(`lambda_src/requirements.txt`, the same list pyproject.toml installs for the tests) as
`python/...`, installed by pip for the Lambda platform (cp313, manylinux2014 x86_64 wheels
only) from a wheelhouse cached outside the checkout; zipped like the function packages.
What the Lambda runtime itself provides (boto3/botocore, `lambda_src/runtime-provided.txt`)
is not in the layer: `runtime_provided_dir()` installs it the same way for tests that run a
package as the runtime would.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from iackit.paths import REPO_ROOT, build_dir, cache_dir

LAMBDA_SRC = REPO_ROOT / "lambda_src"
SHARED_PACKAGE = "student_platform"
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", "tests"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".md"}

LAYER_NAME = "python-deps"
LAYER_REQUIREMENTS = LAMBDA_SRC / "requirements.txt"
RUNTIME_PROVIDED_REQUIREMENTS = LAMBDA_SRC / "runtime-provided.txt"
# The Lambda platform the layer is built for: python3.13 on x86_64 (Amazon Linux 2023, glibc
# 2.34, so manylinux2014 wheels run there). Binary wheels only: no sdist is built on this host.
LAMBDA_PYTHON_VERSION = "3.13"
LAMBDA_PLATFORM_ARGS = (
    "--platform",
    "manylinux2014_x86_64",
    "--implementation",
    "cp",
    "--python-version",
    LAMBDA_PYTHON_VERSION,
    "--only-binary=:all:",
)
# Not in the layer: byte code, and pip's console scripts (python/bin, not importable).
LAYER_EXCLUDED_SUFFIXES = {".pyc", ".pyo"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")


def function_names() -> list[str]:
    """Every function package under lambda_src/ (a directory with app.py)."""
    return sorted(p.parent.name for p in LAMBDA_SRC.glob("*/app.py"))


def _files(root: Path) -> Iterable[Path]:
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        excluded = EXCLUDED_PARTS & set(relative.parts) or path.suffix in EXCLUDED_SUFFIXES
        if path.is_file() and not excluded:
            yield path


def _zip(entries: Iterable[tuple[str, Path]]) -> bytes:
    """Deterministic zip of (arcname, file): sorted, fixed timestamps, 0644, deflate 9."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for arcname, path in sorted(entries):
            info = zipfile.ZipInfo(arcname, date_time=FIXED_TIMESTAMP)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _write_if_changed(target: Path, data: bytes) -> Path:
    """Write atomically (parallel test workers may build the same file) and only on change."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.read_bytes() == data:
        return target
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


def zip_bytes(name: str, src_root: Path = LAMBDA_SRC) -> bytes:
    """The package bytes for function `name` (a package directory under `src_root`)."""
    function_dir = src_root / name
    if not (function_dir / "app.py").is_file():
        raise FileNotFoundError(f"{function_dir}/app.py not found: not a Lambda package")
    sources = [function_dir]
    if (src_root / SHARED_PACKAGE).is_dir():
        sources.append(src_root / SHARED_PACKAGE)
    return _zip(
        (str(path.relative_to(src_root)), path) for source in sources for path in _files(source)
    )


def package(name: str, out_dir: Path | None = None, src_root: Path = LAMBDA_SRC) -> Path:
    """Write <out_dir>/<name>.zip (only if its bytes changed) and return its path."""
    target_dir = out_dir or build_dir() / "lambda"
    target_dir.mkdir(parents=True, exist_ok=True)
    return _write_if_changed(target_dir / f"{name}.zip", zip_bytes(name, src_root))


def package_all(out_dir: Path | None = None) -> dict[str, Path]:
    """Every function package and the dependency layer (`LAYER_NAME`)."""
    built = {name: package(name, out_dir) for name in function_names()}
    built[LAYER_NAME] = build_layer(out_dir)
    return built


# ------------------------------------------------------------------ dependency layer


def pinned_requirements(path: Path = LAYER_REQUIREMENTS) -> dict[str, str]:
    """`name==version` lines of a requirements file, by normalised name (PEP 503).
    Anything but exact pins (ranges, options, extras, markers) is refused."""
    pins: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        found = _PIN.match(line)
        if not found:
            raise ValueError(f"{path}: {line!r} is not an exact pin (name==version)")
        pins[normalise(found[1])] = found[2]
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def wheelhouse_dir() -> Path:
    """Lambda-platform wheels, downloaded once and kept outside the checkout."""
    return cache_dir() / "lambda-wheels" / f"cp{LAMBDA_PYTHON_VERSION.replace('.', '')}-x86_64"


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def pip_install_for_lambda(requirements: Path, target: Path) -> None:
    """`pip install --target` for the Lambda platform from the cached wheelhouse, downloading
    into it first when something is missing (the only step that needs the index)."""
    wheels = wheelhouse_dir()
    install = (
        "install",
        *LAMBDA_PLATFORM_ARGS,
        "--no-compile",
        "--no-index",
        "--find-links",
        str(wheels),
        "--target",
        str(target),
        "-r",
        str(requirements),
    )
    with _locked(wheels.parent / f"{wheels.name}.lock"):
        try:
            _pip(*install)
        except RuntimeError:
            _pip("download", *LAMBDA_PLATFORM_ARGS, "--dest", str(wheels), "-r", str(requirements))
            _pip(*install)


def layer_zip_bytes(requirements: Path = LAYER_REQUIREMENTS) -> bytes:
    """The layer bytes: `requirements` installed for the Lambda platform under python/."""
    pinned_requirements(requirements)  # refuse anything but exact pins before installing
    with tempfile.TemporaryDirectory(prefix="lambda-layer-") as tmp:
        root = Path(tmp)
        pip_install_for_lambda(requirements, root / "python")
        for record in root.glob("python/*.dist-info/RECORD"):
            _drop_outside_entries(record)
        entries = []
        for path in root.rglob("*"):
            relative = path.relative_to(root)
            excluded = (
                "__pycache__" in relative.parts
                or relative.parts[1:2] == ("bin",)
                or path.suffix in LAYER_EXCLUDED_SUFFIXES
            )
            if path.is_file() and not excluded:
                entries.append((relative.as_posix(), path))
        return _zip(entries)


def _drop_outside_entries(record: Path) -> None:
    """Console scripts (python/bin, not shipped) carry a shebang naming this machine's
    interpreter, and RECORD their hash: drop the lines of files outside python/, so the layer
    depends on the pins alone, not on where it was built."""
    lines = record.read_text().splitlines(keepends=True)
    record.write_text("".join(line for line in lines if not line.startswith("../")))


def build_layer(out_dir: Path | None = None, requirements: Path = LAYER_REQUIREMENTS) -> Path:
    """Write <out_dir>/python-deps.zip (only if its bytes changed) and return its path."""
    target = (out_dir or build_dir() / "lambda") / f"{LAYER_NAME}.zip"
    return _write_if_changed(target, layer_zip_bytes(requirements))


def lambda_python(version: str = LAMBDA_PYTHON_VERSION) -> Path | None:
    """An interpreter matching the Lambda runtime's Python: `python<version>` under pyenv
    (its shims only answer for the selected version) or on PATH; None when absent."""
    roots = [os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")]
    candidates = [
        Path(found)
        for root in roots
        for found in sorted(Path(root).glob(f"versions/{version}*/bin/python{version}"))
        if Path(found).is_file()
    ]
    on_path = shutil.which(f"python{version}")
    if on_path and "shims" not in Path(on_path).parts:
        candidates.append(Path(on_path))
    return candidates[-1] if candidates else None


def runtime_provided_dir(requirements: Path = RUNTIME_PROVIDED_REQUIREMENTS) -> Path:
    """A directory holding what the Lambda runtime provides (pinned boto3/botocore and their
    dependencies) for the Lambda platform, built once per requirements content and cached."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    target = cache_dir() / "lambda-runtime-provided" / digest
    done = target / ".complete"
    if done.exists():
        return target
    with _locked(target.parent / f"{digest}.lock"):
        if not done.exists():
            with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
                pip_install_for_lambda(requirements, Path(tmp) / "site")
                if target.exists():
                    shutil.rmtree(target)
                os.replace(Path(tmp) / "site", target)
            done.touch()
    return target


def sha256_hex(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
