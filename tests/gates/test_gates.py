"""Each quality gate bites: a bad fixture (written to a temporary directory, so the
repository itself stays clean) makes it fail, and its good twin passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iackit import lint
from iackit.paths import REPO_ROOT

VERSIONS_TF = """terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.34"
    }
  }
}
"""

UNENCRYPTED_BUCKET = """resource "aws_s3_bucket" "open" {
  bucket = "gate-fixture-unencrypted"
}
"""

pytestmark = pytest.mark.lint


@pytest.fixture(scope="module")
def toolchain(toolchain_ready):
    return toolchain_ready


def test_fmt_gate_fails_on_unformatted_file(tmp_path: Path, toolchain) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {\nname="x"\n}\n')
    problems = lint.fmt_problems(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("not formatted (run make fmt): ")
    assert problems[0].endswith(f"{tmp_path.name}/main.tf")


def test_fmt_gate_passes_on_formatted_file(tmp_path: Path, toolchain) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = "x"\n}\n')
    assert lint.fmt_problems(tmp_path) == []


def test_checkov_gate_fails_on_unencrypted_bucket(tmp_path: Path) -> None:
    (tmp_path / "versions.tf").write_text(VERSIONS_TF)
    (tmp_path / "main.tf").write_text(UNENCRYPTED_BUCKET)
    report = lint.checkov_report(str(tmp_path))
    failed = {check["check_id"] for check in report.failed}
    # Public access block and default encryption are among what Checkov demands.
    assert {"CKV2_AWS_6", "CKV_AWS_145"} <= failed, failed


def test_checkov_gate_passes_on_the_lambda_module() -> None:
    report = lint.checkov_report(str(REPO_ROOT / "modules" / "lambda-function"))
    assert report.failed == []
    assert report.passed > 0


def _module_with_docs(tmp_path: Path) -> Path:
    module = tmp_path / "docs-fixture"
    module.mkdir()
    (module / "versions.tf").write_text(VERSIONS_TF)
    (module / "variables.tf").write_text(
        'variable "name" {\n  description = "A name."\n  type        = string\n}\n'
    )
    (module / "README.md").write_text("# fixture\n\n<!-- BEGIN_TF_DOCS -->\n<!-- END_TF_DOCS -->\n")
    shutil.copy(REPO_ROOT / ".terraform-docs.yml", module / ".terraform-docs.yml")
    return module


def test_docs_gate_fails_on_stale_readme_and_passes_once_generated(tmp_path: Path) -> None:
    module = _module_with_docs(tmp_path)
    assert lint.docs_problems(module) == ["docs-fixture/README.md is stale: run make docs"]
    lint.write_docs_for(module)
    assert '| <a name="input_name"></a> [name]' in (module / "README.md").read_text() or (
        "| name |" in (module / "README.md").read_text()
    )
    assert lint.docs_problems(module) == []
    # A new input makes the generated tables stale again.
    (module / "variables.tf").write_text(
        (module / "variables.tf").read_text()
        + 'variable "size" {\n  description = "A size."\n  type        = number\n}\n'
    )
    assert lint.docs_problems(module) == ["docs-fixture/README.md is stale: run make docs"]


GOOD_WORKFLOW = """on: push
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.sha }}"
"""


def test_actionlint_gate_fails_on_a_broken_workflow_and_passes_on_its_fix(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(GOOD_WORKFLOW.replace("github.sha", "github.shaa"))
    problems = lint.actionlint_problems(tmp_path)
    assert len(problems) == 1, problems
    assert 'property "shaa" is not defined' in problems[0], problems
    (workflows / "ci.yml").write_text(GOOD_WORKFLOW)
    assert lint.actionlint_problems(tmp_path) == []
