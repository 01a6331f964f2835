"""The black-box scenario: one enrollment through the deployed system, only through its
public interfaces, the same code for the emulator (`make up`) and a real deployment
(`make smoke ENV=...`).

1. an unsigned `POST` to the publisher API is refused (403: the route is AWS_IAM);
2. a signed `POST {publisher}/events/student.registered` (the student's profile and class,
   as an admin service sets it) answers 202, and the ingestion function, triggered by its
   rule, writes the student's row in Students;
3. a SigV4-signed `POST {publisher}/events/student.enrolled` answers 202 with one event id;
4. the notifier, triggered by its rule, sends exactly one email for that event (read from
   the emulator's SES, or on AWS from the notifier's log line for the event, the recipient
   being the SES mailbox simulator);
5. the ingestion function, triggered by its rule, writes the interaction row;
6. a signed `GET {ranking}/ranking/{studentId}` answers 200 with a ranking;
7. `cleanup` deletes the rows the scenario wrote (the student and its interactions).

Nothing here imports `lambda_src`: every effect is produced by the deployed functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3
from boto3.dynamodb.conditions import Key

from iackit.deployed import invocations, wait_for
from iackit.signed_http import Response, request

SES_SIMULATOR = "success@simulator.amazonses.com"


class ScenarioError(RuntimeError):
    """A step of the scenario did not observe what it expected."""


@dataclass(frozen=True)
class Deployment:
    """What the scenario needs from an environment's outputs."""

    publisher_url: str
    ranking_url: str
    students_table: str
    interactions_table: str
    notifier: str
    ingestion: str

    @classmethod
    def from_outputs(
        cls, outputs: dict[str, Any], url: Callable[[str], str] = lambda u: u
    ) -> Deployment:
        """`url` maps an API endpoint output to the URL to call (the emulator's local one)."""
        try:
            names = outputs["function_names"]
            return cls(
                publisher_url=url(str(outputs["publisher_api_endpoint"])).rstrip("/"),
                ranking_url=url(str(outputs["ranking_api_endpoint"])).rstrip("/"),
                students_table=str(outputs["students_table_name"]),
                interactions_table=str(outputs["interactions_table_name"]),
                notifier=str(names["notifier"]),
                ingestion=str(names["ingestion"]),
            )
        except KeyError as missing:
            raise ScenarioError(f"the environment has no output {missing}") from None


class Mailbox(Protocol):
    def emails_for(self, event_id: str, recipient: str) -> int:
        """How many emails the deployment sent to `recipient` for the event (so far)."""
        ...


@dataclass
class NotifierLog:
    """On AWS the recipient is the SES mailbox simulator, which keeps nothing to read: the
    notifier's structured log line for the event says how many emails SES accepted."""

    logs: Any
    function_name: str

    def emails_for(self, event_id: str, recipient: str) -> int:
        del recipient  # one recipient per enrollment; the log line counts its emails
        group = f"/aws/lambda/{self.function_name}"
        pages = self.logs.get_paginator("filter_log_events").paginate(
            logGroupName=group, filterPattern=f'"{event_id}"'
        )
        sent = 0
        for page in pages:
            for event in page.get("events", []):
                try:
                    line = json.loads(event["message"])
                except ValueError:
                    continue
                if line.get("message") == "notified" and line.get("eventId") == event_id:
                    sent += int(line.get("sent", 0))
        return sent


@dataclass
class Scenario:
    deployment: Deployment
    session: boto3.Session
    mailbox: Mailbox
    recipient: str
    student_id: str = "S001"
    class_id: str = "A1"
    name: str = "Nguyễn Văn An"
    timeout: float = 60.0
    say: Callable[[str], None] = print
    event_ids: list[str] = field(default_factory=list)

    def client(self, service: str) -> Any:
        return self.session.client(service)

    def call(self, method: str, url: str, body: Any = None, signed: bool = True) -> Response:
        credentials = self.session.get_credentials() if signed else None
        region = self.session.region_name or "us-east-1"
        return request(method, url, body, credentials=credentials, region=region)

    def run(self) -> None:
        self.refused_unsigned()
        self.register_student()
        event_id = self.publish_enrolled()
        self.ingested(event_id)
        self.one_email(event_id)
        self.ranked()

    def refused_unsigned(self) -> None:
        url = f"{self.deployment.publisher_url}/events/student.enrolled"
        answer = self.call("POST", url, {"studentId": self.student_id}, signed=False)
        if answer.status != 403:
            raise ScenarioError(f"an unsigned POST got {answer.status}, not 403: {answer.body!r}")
        self.say(f"unsigned POST {url}: 403 {answer.json()}")

    def register_student(self) -> None:
        url = f"{self.deployment.publisher_url}/events/student.registered"
        profile = {
            "studentId": self.student_id,
            "name": self.name,
            "email": self.recipient,
            "language": "vi",
            "classIds": [self.class_id],
        }
        answer = self.call("POST", url, profile)
        ids = answer.json().get("eventIds") if answer.status == 202 else None
        if not ids or len(ids) != 1:
            raise ScenarioError(f"signed POST {url}: {answer.status} {answer.body!r}")
        self.say(f"signed POST {url}: 202, event id {ids[0]}")
        table = self.deployment.students_table
        try:
            wait_for(self.registered, self.timeout, what="the student's row")
        except TimeoutError:
            raise ScenarioError(f"student {self.student_id} never reached {table}") from None
        self.say(
            f"the ingestion function ({self.deployment.ingestion}) registered student "
            f"{self.student_id} <{self.recipient}> in {table}"
        )

    def registered(self) -> bool:
        item = (
            self.client("dynamodb")
            .get_item(
                TableName=self.deployment.students_table,
                Key={"studentId": {"S": self.student_id}},
                ConsistentRead=True,
            )
            .get("Item", {})
        )
        return item.get("email", {}).get("S") == self.recipient

    def publish_enrolled(self) -> str:
        url = f"{self.deployment.publisher_url}/events/student.enrolled"
        answer = self.call("POST", url, {"studentId": self.student_id, "classId": self.class_id})
        ids = answer.json().get("eventIds") if answer.status == 202 else None
        if not ids or len(ids) != 1:
            raise ScenarioError(f"signed POST {url}: {answer.status} {answer.body!r}")
        self.event_ids.append(str(ids[0]))
        self.say(f"signed POST {url}: 202, event id {ids[0]}")
        return str(ids[0])

    def interaction(self, event_id: str) -> dict[str, Any] | None:
        item = self.client("dynamodb").get_item(
            TableName=self.deployment.interactions_table,
            Key={"studentId": {"S": self.student_id}, "eventId": {"S": event_id}},
        )
        return item.get("Item")

    def ingested(self, event_id: str) -> None:
        table = self.deployment.interactions_table
        try:
            item = wait_for(lambda: self.interaction(event_id), self.timeout, what="the row")
        except TimeoutError:
            raise ScenarioError(f"no interaction for event {event_id} in {table}") from None
        self.say(
            f"the ingestion function ({self.deployment.ingestion}) wrote interaction "
            f"{event_id} to {table}: {item['eventType']['S']} {item['itemId']['S']}"
        )

    def one_email(self, event_id: str) -> None:
        """One email, and still one once every notifier run has finished (a retry or a
        second delivery would have sent another)."""
        try:
            wait_for(
                lambda: self.mailbox.emails_for(event_id, self.recipient),
                self.timeout,
                what=f"an email to {self.recipient}",
            )
            wait_for(self.notifier_settled, self.timeout, what="the notifier to finish")
        except TimeoutError as exc:
            raise ScenarioError(str(exc)) from None
        sent = self.mailbox.emails_for(event_id, self.recipient)
        if sent != 1:
            raise ScenarioError(f"expected exactly one email to {self.recipient}, saw {sent}")
        self.say(
            f"the notifier ({self.deployment.notifier}) sent exactly one email to "
            f"{self.recipient} for {event_id}"
        )

    def notifier_settled(self) -> bool:
        started, finished = invocations(self.client("logs"), self.deployment.notifier)
        return started > 0 and started == finished

    def ranked(self) -> None:
        url = f"{self.deployment.ranking_url}/ranking/{self.student_id}"
        answer = self.call("GET", url)
        body = answer.json() if answer.body else {}
        if answer.status != 200 or not isinstance(body, dict) or "source" not in body:
            raise ScenarioError(f"signed GET {url}: {answer.status} {answer.body!r}")
        items = [i.get("itemId") for i in body.get("items", [])]
        self.say(f"signed GET {url}: 200 from {body['source']}: {items}")

    def cleanup(self) -> None:
        """Delete what the scenario wrote: its student and every interaction of it."""
        dynamodb = self.session.resource("dynamodb")
        interactions = dynamodb.Table(self.deployment.interactions_table)
        rows = interactions.query(KeyConditionExpression=Key("studentId").eq(self.student_id))
        with interactions.batch_writer() as batch:
            for row in rows.get("Items", []):
                batch.delete_item(Key={"studentId": row["studentId"], "eventId": row["eventId"]})
        dynamodb.Table(self.deployment.students_table).delete_item(
            Key={"studentId": self.student_id}
        )
        self.say(
            f"removed student {self.student_id} and {len(rows.get('Items', []))} interaction(s)"
        )
