"""Every patch the emulator makes to moto 5.2.5, one module per AWS service.

Each module's docstring says what moto lacks or drops and why it is patched; each exports
its `PATCHES` entries, assembled here into the one table that `iackit.emulator.server`
applies. The table, the moto gaps and the test that proves each patch: docs/emulator.md.

Importing this package changes nothing in moto: the modules only remember moto's originals
and define the replacements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iackit.emulator import personalize, routes
from iackit.emulator.patches import (
    awslambda,
    ec2,
    events,
    iam,
    moto_api,
    retries,
    route53,
    route53resolver,
    s3,
    stepfunctions,
    tagging,
)

# (class, attribute, replacement): every patch the emulator makes to moto, in one place.
# `routes` replaces moto's request dispatcher after `retries` did: its dispatcher serves the
# emulator's own routes (HTTP API invoke URLs, schedule fire, test tokens) and hands every
# other request to the retry-answering one.
PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    *retries.PATCHES,
    *routes.PATCHES,
    *moto_api.PATCHES,
    *tagging.PATCHES,
    *route53.PATCHES,
    *ec2.PATCHES,
    *iam.PATCHES,
    *route53resolver.PATCHES,
    *s3.PATCHES,
    *events.PATCHES,
    *awslambda.PATCHES,
    *stepfunctions.PATCHES,
    *personalize.PATCHES,
]
