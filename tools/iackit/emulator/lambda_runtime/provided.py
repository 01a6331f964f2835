"""What the AWS Python runtime provides besides the stdlib: boto3/botocore, pinned.

The AWS runtime ships an SDK of its own; a function that imports boto3 gets that one, not
one from its package. Here it is the boto3/botocore pinned in
`lambda_src/runtime-provided.txt` (the list pyproject.toml reads too), installed for the
Lambda platform once into the per-user cache by `iackit.packaging.runtime_provided_dir`
(under a lock, renamed into place: a reader never sees half of it). The packages are pure
Python, so the one tree serves whichever interpreter the runtime chose.
"""

from __future__ import annotations

from pathlib import Path

from iackit import packaging


def runtime_packages(python_version: str) -> Path:
    """The directory holding boto3/botocore for the runtime's `python_version`."""
    del python_version  # pure-Python packages: one tree serves every 3.x interpreter
    return packaging.runtime_provided_dir()
