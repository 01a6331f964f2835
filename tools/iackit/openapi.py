"""OpenAPI documents of the two HTTP APIs, generated from their Powertools routes.

`make docs` writes `docs/openapi/<api>.json`; `make lint` fails when a committed document
differs from what the routes generate now (a route, summary or response changed without
`make docs`). Generation needs pydantic (a development dependency); the Lambdas do not.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from iackit.paths import REPO_ROOT

DOCS_DIR = REPO_ROOT / "docs" / "openapi"
# api -> (module with a module-level `app` resolver, title, description)
APIS: dict[str, tuple[str, str, str]] = {
    "publisher": (
        "publisher.app",
        "Student platform events API",
        "Publishes catalog events to the student event bus (one route per event type).",
    ),
    "ranking": (
        "ranking.app",
        "Student ranking API",
        "Class recommendations for a student (Personalize, batch output or popularity).",
    ),
}


def document(api: str) -> str:
    """The OpenAPI JSON of ``api`` (stable text: sorted keys, trailing newline)."""
    if str(REPO_ROOT / "lambda_src") not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / "lambda_src"))
    module_name, title, description = APIS[api]
    module = importlib.import_module(module_name)
    schema: dict[str, Any] = json.loads(
        module.app.get_openapi_json_schema(title=title, version="1.0.0", description=description)
    )
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def path_of(api: str) -> Path:
    return DOCS_DIR / f"{api}.json"


def stale() -> list[str]:
    """Documents missing or different from the generated ones."""
    problems = []
    for api in APIS:
        path = path_of(api)
        if not path.exists() or path.read_text(encoding="utf-8") != document(api):
            problems.append(f"{path.relative_to(REPO_ROOT)} is stale: run make docs")
    return problems


def write() -> None:
    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    for api in APIS:
        path_of(api).write_text(document(api), encoding="utf-8")
