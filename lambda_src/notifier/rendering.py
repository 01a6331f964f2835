"""Email templates kept in the repository: ``templates/<language>/<detail-type>.json``.

Each file is ``{"subject": ..., "body": ...}`` with ``str.format`` placeholders filled
from the event detail (``{classId}``, ``{teacherId}``, ``{content}``) and the recipient
(``{name}``, ``{studentId}``). Values are inserted verbatim, never re-interpreted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

TEMPLATE_DIR: Final = Path(__file__).resolve().parent / "templates"
LANGUAGES: Final = ("vi", "en")
DEFAULT_LANGUAGE: Final = "vi"


class TemplateError(Exception):
    """A template is missing, malformed, or needs a value the event does not carry."""


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


def pick_language(language: object) -> str:
    """``language`` if a template set exists for it, else the default (vi)."""
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT_LANGUAGE


@cache
def load_template(language: str, detail_type: str) -> Template:
    if language not in LANGUAGES:
        raise TemplateError(f"no templates for language {language!r}")
    path = TEMPLATE_DIR / language / f"{detail_type}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Template(subject=str(data["subject"]), body=str(data["body"]))
    except FileNotFoundError:
        raise TemplateError(f"no {language} template for {detail_type}") from None
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise TemplateError(f"malformed template {path.name} ({language}): {exc!r}") from None


def _fill(text: str, values: Mapping[str, Any], where: str) -> str:
    try:
        return text.format_map(values)
    except KeyError as exc:
        raise TemplateError(f"{where} needs {exc.args[0]!r}, absent from the event") from None
    except (ValueError, IndexError, AttributeError) as exc:
        raise TemplateError(f"{where} is not a valid template: {exc}") from None


def render(template: Template, values: Mapping[str, Any]) -> RenderedMessage:
    """Fill the placeholders; raises TemplateError if a value is missing."""
    return RenderedMessage(
        subject=_fill(template.subject, values, "subject"),
        body=_fill(template.body, values, "body"),
    )
