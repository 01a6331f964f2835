"""Apply tests act on what they deployed, as a client would: invoke the deployed function
through the emulator's Lambda Invoke API (its zip and layers run in the emulator's Lambda
runtime, never in the test process), or put an event on its bus, then read the effect back.

    answer = invoke(boto, outputs["function_name"], payload)   # FunctionError + log tail
    email = wait_for(lambda: emails_to(emulator, address), what="the email")
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.credentials import Credentials

from iackit.deployed import FunctionError, invocations, log_messages, wait_for
from iackit.deployed import invoke as invoke_with
from iackit.emulator import Emulator, sent_emails
from iackit.signed_http import request

__all__ = [
    "FunctionError",
    "drain",
    "emails_to",
    "inline_policy",
    "invocations",
    "invoke",
    "log_messages",
    "put_event",
    "settled",
    "wait_for",
]

Boto = Callable[[str], Any]


def invoke(boto: Boto, function_name: str, payload: Any) -> Any:
    """The deployed function's answer to `payload` (RequestResponse); raises `FunctionError`
    with the function's log tail when it failed."""
    return invoke_with(boto("lambda"), function_name, payload)


def emails_to(emulator: Emulator, address: str) -> list[dict[str, Any]]:
    """Every email the emulator's SES sent to `address` (To, Cc or Bcc)."""
    return [
        email
        for email in sent_emails(emulator.endpoint)
        if address in [a for field in email["destinations"].values() for a in field]
    ]


def put_event(boto: Boto, bus: str, source: str, detail_type: str, detail: dict[str, Any]) -> str:
    """Put one event on `bus` as any client would; its event id."""
    answer = boto("events").put_events(
        Entries=[
            {
                "EventBusName": bus,
                "Source": source,
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
            }
        ]
    )
    assert answer["FailedEntryCount"] == 0, answer["Entries"]
    return str(answer["Entries"][0]["EventId"])


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    """Every message body of a queue, decoded and deleted. The emulator's EventBridge
    delivers to an SQS target within PutEvents, so an empty receive means drained."""
    bodies: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def inline_policy(boto: Boto, role_name: str, policy_name: str) -> dict[str, Any]:
    """A role's inline policy document as IAM returns it (decoded if it is a string)."""
    answer = boto("iam").get_role_policy(RoleName=role_name, PolicyName=policy_name)
    document = answer["PolicyDocument"]
    return dict(json.loads(document) if isinstance(document, str) else document)


def settled(boto: Boto, function_name: str, at_least: int, timeout: float = 60.0) -> int:
    """Wait until the function has started at least `at_least` invocations in all and every
    started one has finished (its REPORT line); the number started."""
    logs = boto("logs")

    def done() -> int | None:
        started, finished = invocations(logs, function_name)
        return started if started >= at_least and started == finished else None

    return wait_for(done, timeout, what=f"{function_name} to finish {at_least} invocation(s)")


def signed_get(url: str) -> tuple[int, Any]:
    """A GET signed with the emulator's credentials, as an IAM client calls an API route:
    (status, decoded body)."""
    answer = request("GET", url, credentials=Credentials("testing", "testing"))
    return answer.status, answer.json()
