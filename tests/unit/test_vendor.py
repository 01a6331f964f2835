"""`iackit vendor`: each module's declared dependencies (module.json, README) are the modules
its sources call, and a copy holds exactly the module and what it needs. (That a copy plans
is tests/modules/test_vendored.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from iackit import vendor
from iackit.paths import REPO_ROOT

pytestmark = pytest.mark.unit
DEPENDENCIES_SECTION = re.compile(
    r"^## Dependencies\n(.*?)(?=^## |^<!-- BEGIN_TF_DOCS)", re.M | re.S
)


@pytest.mark.parametrize("module", vendor.module_names())
def test_module_json_declares_exactly_the_modules_the_sources_call(module: str) -> None:
    assert vendor.declared_problems(module) == []


@pytest.mark.parametrize("module", vendor.module_names())
def test_the_readme_names_the_same_dependencies(module: str) -> None:
    readme = (REPO_ROOT / "modules" / module / "README.md").read_text()
    section = DEPENDENCIES_SECTION.search(readme)
    assert section, f"modules/{module}/README.md has no '## Dependencies' section"
    named = set(re.findall(r"`modules/([a-z0-9-]+)`", section[1]))
    declared = vendor.declaration(module)
    assert named == {*declared.dependencies, *declared.example_dependencies}


def test_an_undeclared_call_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "caller"
    module.mkdir()
    (module / "versions.tf").write_text("terraform {}\n")
    (module / "main.tf").write_text('module "dlq" {\n  source = "../sqs-dlq"\n}\n')
    (module / "module.json").write_text(json.dumps({"dependencies": []}))
    monkeypatch.setattr(vendor, "MODULES_DIR", tmp_path)
    assert vendor.declared_problems("caller") == [
        "modules/caller/module.json: dependencies [] but the module calls ['sqs-dlq']"
    ]


def test_vendor_copies_the_module_and_its_transitive_dependencies(tmp_path: Path) -> None:
    copies = vendor.vendor("student-notifier", tmp_path / "infra")
    assert [c.name for c in copies] == [
        "student-notifier",
        "event-bus",
        "kms-key",
        "lambda-function",
        "lambda-layer",
        "ses-email",
        "sqs-dlq",
    ]
    assert sorted(p.name for p in (tmp_path / "infra").iterdir()) == sorted(c.name for c in copies)
    assert (tmp_path / "infra" / "student-notifier" / "examples" / "notifications").is_dir()
    assert not list((tmp_path / "infra").rglob(".terraform"))


def test_vendor_without_examples_copies_only_what_the_module_calls(tmp_path: Path) -> None:
    copies = vendor.vendor("student-notifier", tmp_path, examples=False)
    assert [c.name for c in copies] == ["student-notifier", "lambda-function", "sqs-dlq"]
    assert not (tmp_path / "student-notifier" / "examples").exists()


def test_vendor_refuses_to_overwrite_and_unknown_modules(tmp_path: Path) -> None:
    vendor.vendor("kms-key", tmp_path)
    with pytest.raises(vendor.VendorError, match="exists"):
        vendor.vendor("kms-key", tmp_path)
    with pytest.raises(vendor.VendorError, match="no module modules/nope"):
        vendor.vendor("nope", tmp_path)
