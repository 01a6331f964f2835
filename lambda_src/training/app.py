"""Lambda entry points of the training pipeline: one function (and role) per step.

The package is zipped as ``training/`` + ``student_platform/`` (iackit.packaging needs this
``app.py``); every function uses the same zip with its own handler string:

=====================================  =========================================
handler                                state (state_machine.asl.json)
=====================================  =========================================
training.app.export_handler            Export (+ DataGuard via ``status``)
training.app.ensure_datasets_handler   EnsureDatasets
training.app.start_import_handler      StartImport
training.app.import_status_handler     CheckImport
training.app.ensure_solution_handler   EnsureSolution
training.app.create_solution_version_handler  CreateSolutionVersion
training.app.solution_version_status_handler  CheckTraining
training.app.deploy_handler            Deploy
training.app.deploy_status_handler     CheckDeploy
training.app.publish_handler           Publish
training.app.cleanup_handler           (none: ``terraform destroy``, training.cleanup)
=====================================  =========================================
"""

from __future__ import annotations

from training.cleanup import lambda_handler as cleanup_handler
from training.datasets import lambda_handler as ensure_datasets_handler
from training.deploy import deploy_handler, deploy_status_handler
from training.export import lambda_handler as export_handler
from training.imports import import_status_handler, start_import_handler
from training.publish import lambda_handler as publish_handler
from training.solution import (
    create_solution_version_handler,
    ensure_solution_handler,
    solution_version_status_handler,
)

__all__ = [
    "cleanup_handler",
    "create_solution_version_handler",
    "deploy_handler",
    "deploy_status_handler",
    "ensure_datasets_handler",
    "ensure_solution_handler",
    "export_handler",
    "import_status_handler",
    "publish_handler",
    "solution_version_status_handler",
    "start_import_handler",
]
