"""What the AWS Python runtime provides besides the stdlib: boto3/botocore, pinned.

The AWS runtime ships an SDK of its own; a function that imports boto3 gets that one, not
one from its package. Here it is the boto3/botocore pinned in pyproject.toml (the versions
the harness virtualenv has installed from those pins), installed once with pip for the
runtime's Python version into the per-user cache, `lambda-runtime/<python>-boto3-<v>/`
under `iackit.paths.cache_dir()`. Two processes may create it at once: a file lock
serialises them, and the tree is built in a temporary directory and renamed into place, so
a reader never sees half of it.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from iackit.paths import cache_dir

PACKAGES = ("boto3", "botocore")


def pins() -> list[str]:
    return [f"{name}=={metadata.version(name)}" for name in PACKAGES]


def runtime_packages(python_version: str) -> Path:
    """The directory holding boto3/botocore for `python_version` ("3.13"), built on first use."""
    root = cache_dir() / "lambda-runtime"
    root.mkdir(parents=True, exist_ok=True)
    requirements = pins()
    target = root / f"python{python_version}-{'-'.join(r.replace('==', '-') for r in requirements)}"
    if target.is_dir():
        return target
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_dir():  # built by another process while we waited
            return target
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-compile",
                    "--only-binary=:all:",
                    "--implementation",
                    "cp",
                    "--python-version",
                    python_version,
                    "--platform",
                    "manylinux2014_x86_64",
                    "--target",
                    str(staging),
                    *requirements,
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            )
            staging.rename(target)
        except subprocess.CalledProcessError as error:
            raise RuntimeError(f"cannot install {requirements}: {error.stderr.strip()}") from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target
