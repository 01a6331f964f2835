"""EventBridge: an archive keeps its KMS key, and PutEvents passes over Lambda targets.

- An archive's `KmsKeyIdentifier`: moto 5.2.5 accepts it on CreateArchive / UpdateArchive
  but never returns it from DescribeArchive, a perpetual diff right after apply. Here it is
  remembered on the archive and returned ("" removes it, as on AWS).
- Lambda targets: moto cannot run Lambda targets (no Docker) and fails the whole PutEvents
  with a 500 when a matching rule has one. Here Lambda targets are passed over, as if the
  invocation were accepted, and the rule's other targets (SQS, logs, archives) still get the
  event; tests and `make up` run the Lambda handlers in-process instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.events import models as events_models
from moto.events.responses import EventsHandler

_send_to_targets = events_models.Rule.send_to_targets


def send_to_targets_except_lambda(
    self: Any, original_event: Any, transform_input: bool = True
) -> None:
    everything = self.targets
    self.targets = [t for t in everything if ":lambda:" not in t["Arn"]]
    try:
        _send_to_targets(self, original_event, transform_input)
    finally:
        self.targets = everything


_create_archive = EventsHandler.create_archive
_update_archive = EventsHandler.update_archive
_describe_archive = EventsHandler.describe_archive


def _remember_archive_key(handler: EventsHandler) -> None:
    key = handler._get_param("KmsKeyIdentifier")
    archive: Any = handler.events_backend.archives.get(handler._get_param("ArchiveName"))
    if archive is not None and key is not None:
        archive.kms_key_identifier = key or None  # "" removes the key


def create_archive_with_key(self: EventsHandler) -> Any:
    response = _create_archive(self)
    _remember_archive_key(self)
    return response


def update_archive_with_key(self: EventsHandler) -> Any:
    response = _update_archive(self)
    _remember_archive_key(self)
    return response


def describe_archive_with_key(self: EventsHandler) -> Any:
    body, headers = _describe_archive(self)
    archive = self.events_backend.archives.get(self._get_param("ArchiveName"))
    key = getattr(archive, "kms_key_identifier", None)
    if key:
        body = json.dumps({**json.loads(body), "KmsKeyIdentifier": key})
    return body, headers


PATCHES: list[tuple[Any, str, Callable[..., Any]]] = [
    (EventsHandler, "create_archive", create_archive_with_key),
    (EventsHandler, "update_archive", update_archive_with_key),
    (EventsHandler, "describe_archive", describe_archive_with_key),
    (events_models.Rule, "send_to_targets", send_to_targets_except_lambda),
]
