"""EventBridge: an archive keeps its KMS key, and PutEvents delivers to Lambda targets.

- An archive's `KmsKeyIdentifier`: moto 5.2.5 accepts it on CreateArchive / UpdateArchive
  but never returns it from DescribeArchive, a perpetual diff right after apply. Here it is
  remembered on the archive and returned ("" removes it, as on AWS).
- Step Functions targets (moto has none): one execution per matching event, with the
  target's input shaping (`patches/stepfunctions.py` makes it run).
- Lambda targets: moto cannot run Lambda targets (no Docker) and fails the whole PutEvents
  with a 500 when a matching rule has one. Here moto sends to the rule's other targets (SQS,
  logs, archives) and each Lambda target of a matching, enabled rule gets the event
  asynchronously through `iackit.emulator.lambda_runtime`, as on AWS: the input is the
  event, `Input`, `InputPath` or `InputTransformer` (placeholders inside a JSON string are
  inserted as text, elsewhere as JSON); the function's own async retries and DLQ apply to
  its errors. When the function cannot be reached (it does not exist), the target's
  `RetryPolicy` is honoured (waits compressed like Lambda's, `TIME_SCALE`) and the event
  then goes to the target's `DeadLetterConfig` queue with the attributes AWS sets
  (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION,
  RETRY_ATTEMPTS).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jsonpath_ng.ext import parse
from moto.events import models as events_models
from moto.events.responses import EventsHandler

from iackit.emulator.lambda_runtime import TIME_SCALE, log, service
from iackit.emulator.patches.stepfunctions import start_execution

_send_to_targets = events_models.Rule.send_to_targets
EVENT_KEYS = (
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
)


def _aws_event(original: dict[str, Any]) -> dict[str, Any]:
    """The event as AWS delivers it (moto keeps `time` as epoch seconds)."""
    event = {key: original[key] for key in EVENT_KEYS if key in original}
    if isinstance(event.get("time"), int | float):
        event["time"] = datetime.fromtimestamp(event["time"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def _json_path(document: Any, path: str) -> Any:
    matches = parse(path).find(document)
    return matches[0].value if matches else None


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|<([A-Za-z0-9_.\-]+)>')
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")


def _transform(transformer: dict[str, Any], event: dict[str, Any], rule: Any) -> str:
    values = {
        name: _json_path(event, path)
        for name, path in (transformer.get("InputPathsMap") or {}).items()
    }
    values.setdefault("aws.events.rule-arn", rule.arn)
    values.setdefault("aws.events.rule-name", rule.name)
    values.setdefault("aws.events.event.json", event)
    values.setdefault("aws.events.event.ingestion-time", event.get("time"))

    def in_string(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        text = value if isinstance(value, str) else ("" if value is None else json.dumps(value))
        return json.dumps(text)[1:-1]

    def token(match: re.Match[str]) -> str:
        if match.group(1) is None:  # a JSON string: substitute inside it
            return _PLACEHOLDER.sub(in_string, match.group(0))
        name = match.group(1)
        return json.dumps(values[name]) if name in values else match.group(0)

    return _TOKEN.sub(token, transformer.get("InputTemplate", ""))


def _target_input(target: dict[str, Any], event: dict[str, Any], rule: Any) -> str:
    if target.get("Input") is not None:
        return str(target["Input"])
    if target.get("InputPath"):
        return json.dumps(_json_path(event, target["InputPath"]))
    if target.get("InputTransformer"):
        return _transform(target["InputTransformer"], event, rule)
    return json.dumps(event)


def _deliver_to_lambda(
    rule: Any, target: dict[str, Any], event: dict[str, Any], payload: str
) -> None:
    """Lambda accepts the event (then its async retries apply) or, if the function cannot
    be reached, the target's retry policy runs out and the event goes to the target's DLQ."""
    policy = target.get("RetryPolicy") or {}
    retries = int(policy.get("MaximumRetryAttempts", 185))
    max_age = float(policy.get("MaximumEventAgeInSeconds", 86400))
    started, attempts = time.monotonic(), 0
    while True:
        attempts += 1
        try:
            fn = service.lambda_function(target["Arn"])
        except Exception as error:
            failure = error
        else:
            service.invoke_async(fn, payload.encode())
            return
        if attempts > retries:
            condition = "MaximumRetryAttemptsExhausted"
            break
        time.sleep(min(2**attempts, 300) * TIME_SCALE)
        if time.monotonic() - started > max_age * TIME_SCALE:
            condition = "MaximumEventAgeExceeded"
            break
    code = getattr(failure, "error_type", None) or type(failure).__name__
    message = getattr(failure, "message", None) or str(failure)
    log(f"rule {rule.name}: target {target['Id']} undelivered after {attempts} attempts: {message}")
    dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
    if dlq:
        attributes = {
            "RULE_ARN": rule.arn,
            "TARGET_ARN": target["Arn"],
            "ERROR_CODE": str(code),
            "ERROR_MESSAGE": str(message)[:1024],
            "EXHAUSTED_RETRY_CONDITION": condition,
            "RETRY_ATTEMPTS": str(attempts - 1),
        }
        service.deliver(
            dlq,
            json.dumps(event),
            {k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()},
            None,
        )


def send_to_targets_with_lambda(
    self: Any, original_event: Any, transform_input: bool = True
) -> None:
    everything = self.targets
    ours = [t for t in everything if t["Arn"].split(":")[2] in _OURS]
    self.targets = [t for t in everything if t not in ours]
    try:
        _send_to_targets(self, original_event, transform_input)
    finally:
        self.targets = everything
    if not ours or getattr(self, "state", "ENABLED") != "ENABLED":
        return
    if not self.event_pattern.matches_event(original_event):
        return
    event = _aws_event(original_event)
    for target in ours:
        payload = _target_input(target, event, self)
        threading.Thread(
            target=_OURS[target["Arn"].split(":")[2]],
            args=(self, target, event, payload),
            daemon=True,
        ).start()


def _start_execution(
    rule: Any, target: dict[str, Any], event: dict[str, Any], payload: str
) -> None:
    """A state machine target: one execution with the target's input (the rule's role is
    stored, not used: policies are not enforced here)."""
    try:
        arn = start_execution(target["Arn"], payload)
    except Exception as error:
        log(f"rule {rule.name}: target {target['Id']} could not start: {error}")
        return
    log(f"rule {rule.name}: started {arn}")


# The targets moto passes over (it has no Lambda runtime and no Step Functions target).
_OURS: dict[str, Callable[[Any, dict[str, Any], dict[str, Any], str], None]] = {
    "lambda": _deliver_to_lambda,
    "states": _start_execution,
}

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
    (events_models.Rule, "send_to_targets", send_to_targets_with_lambda),
]
