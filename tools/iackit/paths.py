"""Where things live: the repository, and the per-user cache that survives clean clones."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """Cache outside the checkout, so a fresh clone reuses the provider build."""
    base = os.environ.get("IACKIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "student-platform-iac"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_dir() -> Path:
    """Repository-local, git-ignored build outputs (Lambda packages)."""
    path = REPO_ROOT / "build"
    path.mkdir(parents=True, exist_ok=True)
    return path
