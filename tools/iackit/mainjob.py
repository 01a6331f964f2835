"""The main job: `make up` deploys envs/dev to the embedded emulator and walks one enrollment
through the system; `make down` destroys it and stops the emulator. Also `make plan|apply
ENV=...` against real AWS, which refuse to run without credentials.

The scenario acts on the deployed system as any client would (boto3 against the emulator)
and observes what the deployed functions do: the emulator's Lambda runtime runs each
function's zip and layers (docs/emulator.md); nothing here imports a handler.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3

from iackit import packaging, toolchain
from iackit.deployed import FunctionError, invocations, invoke, log_messages, wait_for
from iackit.emulator import EMULATOR_ENV, Emulator, is_healthy, sent_emails
from iackit.lambda_events import http_request
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.tf import TerraformError, Workspace

STATE_DIR = REPO_ROOT / ".emulator"
PID_FILE = STATE_DIR / "moto.pid"
PORT_FILE = STATE_DIR / "moto.port"
LOG_FILE = STATE_DIR / "moto.log"
DEV_STATE = STATE_DIR / "dev.tfstate"
# What differs on the emulator (moto 5.2.5), each covered by plan tests instead:
# - the dependency layer built by `make package` is published and attached as on AWS; the
#   AWS-managed Powertools alternative (`powertools_layer_version`) cannot be chosen here
#   (moto rejects unknown layer ARNs), so it is pinned to null (the default) explicitly;
# - both VPN tunnels get one outside address, so the simulated on-prem site's per-tunnel
#   security group rules collide: dev gets its CIDR as a plain on-prem network instead;
# - SESv2 GetConfigurationSet, and CreateEmailIdentity with an explicit DKIM key length,
#   answer bodies the provider cannot decode.
EMULATOR_DEV_VARS: dict[str, Any] = {
    "powertools_layer_version": None,
    "ses_configuration_set": {"enabled": False},
    "ses_dkim_signing_key_length": None,
    "onprem_simulation": {"enabled": False},
    "onprem_cidrs": ["172.16.0.0/16"],
}
SCENARIO_STUDENT = {"studentId": "S001", "classId": "A1", "name": "Nguyễn Văn An"}
SCENARIO_EMAIL = "an.nguyen@student.example.com"
# The functions whose rules match student.enrolled (envs/dev/main.tf).
DELIVERED_TO = ("notifier", "ingestion")


class ScenarioError(RuntimeError):
    """A step of the scenario did not observe what it expected."""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


# ------------------------------------------------------------------ background emulator


def running_endpoint() -> str | None:
    if not (PID_FILE.exists() and PORT_FILE.exists()):
        return None
    endpoint = f"http://127.0.0.1:{PORT_FILE.read_text().strip()}"
    return endpoint if is_healthy(endpoint) else None


def start_background_emulator() -> str:
    endpoint = running_endpoint()
    if endpoint:
        step(f"emulator already running on {endpoint}")
        return endpoint
    STATE_DIR.mkdir(exist_ok=True)
    DEV_STATE.unlink(missing_ok=True)  # a new emulator holds nothing of an old state
    emulator = Emulator(log_path=LOG_FILE).start()
    assert emulator.process is not None
    PID_FILE.write_text(str(emulator.process.pid))
    PORT_FILE.write_text(str(emulator.port))
    # Detach: the emulator outlives this command until `make down`.
    emulator.process = None
    step(f"emulator started on {emulator.endpoint} (pid file {PID_FILE}, log {LOG_FILE})")
    return emulator.endpoint


def stop_background_emulator() -> None:
    if PID_FILE.exists():
        pid = int(PID_FILE.read_text())
        try:
            os.killpg(pid, signal.SIGTERM)
            step(f"emulator (pid {pid}) stopped")
        except ProcessLookupError:
            step("emulator was not running")
    for path in (PID_FILE, PORT_FILE, DEV_STATE):
        path.unlink(missing_ok=True)


# ------------------------------------------------------------------ dev on the emulator


def dev_workspace(endpoint: str, provider_env: dict[str, str]) -> Workspace:
    ws = Workspace(
        REPO_ROOT / "envs" / "dev", endpoint=endpoint, state_path=DEV_STATE, extra_env=provider_env
    )
    ws.init()
    ws.set_vars(EMULATOR_DEV_VARS)
    return ws


@contextmanager
def emulator_env(endpoint: str) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update({**EMULATOR_ENV, "AWS_ENDPOINT_URL": endpoint})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class Scenario:
    """One enrollment through the deployed system, acted on and observed as any client would:
    `student.enrolled` is put on the bus with boto3, EventBridge delivers it to the deployed
    notifier and ingestion functions (their zips and layers, run by the emulator's Lambda
    runtime), and the scenario reads back what they did: one email, one interaction row.
    The two HTTP API functions are invoked through Lambda Invoke with API Gateway's payload
    2.0 event (the emulator does not serve HTTP APIs yet)."""

    endpoint: str
    outputs: dict[str, Any]
    timeout: float = 60.0
    # What the emulator held before the event was put (a rerun of `make up` finds earlier
    # emails and log lines): new effects are counted from here.
    emails_before: int = 0
    runs_before: dict[str, int] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1")

    def function(self, key: str) -> str:
        return str(self.outputs["function_names"][key])

    def run(self) -> None:
        self.verify_sender()
        self.seed_student()
        event_id = self.put_enrolled()
        self.audit_event(event_id)
        self.notified()
        self.ingested(event_id)
        self.settled()
        self.publish_through_api()
        self.rank()

    def verify_sender(self) -> None:
        """In a real account the sender is verified out of band (the link in AWS's email, or
        DKIM records); the emulator takes the same step through the API."""
        sender = self.outputs["sender_email"]
        self.client("ses").verify_email_identity(EmailAddress=sender)
        step(f"verified the sender {sender} (done by hand or by DNS in a real account)")

    def seed_student(self) -> None:
        table = self.outputs["students_table_name"]
        item = {k: {"S": v} for k, v in {**SCENARIO_STUDENT, "email": SCENARIO_EMAIL}.items()}
        self.client("dynamodb").put_item(TableName=table, Item={**item, "language": {"S": "vi"}})
        step(f"seeded student {SCENARIO_STUDENT['studentId']} in {table}")

    def put_enrolled(self) -> str:
        bus = self.outputs["event_bus_name"]
        self.emails_before = len(self.sent_emails())
        logs = self.client("logs")
        self.runs_before = {k: invocations(logs, self.function(k))[0] for k in DELIVERED_TO}
        answer = self.client("events").put_events(Entries=[enrolled_entry(bus)])
        if answer["FailedEntryCount"]:
            raise ScenarioError(f"PutEvents refused the event: {answer['Entries']}")
        event_id = str(answer["Entries"][0]["EventId"])
        step(f"put student.enrolled on {bus} with boto3: event id {event_id}")
        return event_id

    def audit_event(self, event_id: str) -> dict[str, Any]:
        queue = self.outputs["audit_queue_url"]
        sqs = self.client("sqs")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for message in sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get(
                "Messages", []
            ):
                event = json.loads(message["Body"])
                if event.get("id") == event_id:
                    step(f"event {event_id} is on the bus: seen on the audit queue")
                    return dict(event)
        raise ScenarioError(f"event {event_id} never reached the audit queue {queue}")

    def sent_emails(self) -> list[dict[str, Any]]:
        return sent_emails(self.endpoint)

    def new_emails(self) -> list[dict[str, Any]]:
        return self.sent_emails()[self.emails_before :]

    def notified(self) -> None:
        try:
            sent = wait_for(self.new_emails, self.timeout, what="the notifier's email")
        except TimeoutError as exc:
            raise ScenarioError(f"{exc}\n{self.log_tail('notifier')}") from None
        if sent[0]["destinations"]["ToAddresses"] != [SCENARIO_EMAIL]:
            raise ScenarioError(f"expected an email to {SCENARIO_EMAIL}, saw {sent!r}")
        step(
            f"the deployed notifier ({self.function('notifier')}) sent an email to "
            f"{SCENARIO_EMAIL}: {sent[0]['subject']!r}"
        )

    def interaction(self, event_id: str) -> dict[str, Any] | None:
        item = self.client("dynamodb").get_item(
            TableName=self.outputs["interactions_table_name"],
            Key={"studentId": {"S": SCENARIO_STUDENT["studentId"]}, "eventId": {"S": event_id}},
        )
        return item.get("Item")

    def ingested(self, event_id: str) -> None:
        table = self.outputs["interactions_table_name"]
        try:
            item = wait_for(lambda: self.interaction(event_id), self.timeout, what="the row")
        except TimeoutError:
            raise ScenarioError(
                f"no interaction for event {event_id} in {table}\n{self.log_tail('ingestion')}"
            ) from None
        step(
            f"the deployed ingestion ({self.function('ingestion')}) wrote interaction "
            f"{event_id} to {table}: {item['eventType']['S']} {item['itemId']['S']}"
        )

    def settled(self) -> None:
        """Every delivery has finished (each started invocation reported) and there is still
        exactly one email: a retry or a second delivery would have sent another."""
        logs = self.client("logs")

        def done() -> bool:
            for key in DELIVERED_TO:
                started, finished = invocations(logs, self.function(key))
                if started == self.runs_before[key] or started != finished:
                    return False
            return True

        try:
            wait_for(done, self.timeout, what="the deliveries to finish")
        except TimeoutError as exc:
            raise ScenarioError(str(exc)) from None
        started = invocations(logs, self.function("notifier"))[0] - self.runs_before["notifier"]
        sent = self.new_emails()
        if len(sent) != 1 or started != 1:
            raise ScenarioError(
                f"expected exactly one email from one notifier run, saw {len(sent)} email(s) "
                f"from {started} run(s): {sent!r}"
            )
        step("exactly one email, from one notifier invocation")

    def log_tail(self, key: str, lines: int = 30) -> str:
        name = self.function(key)
        tail = log_messages(self.client("logs"), name)[-lines:]
        return f"--- /aws/lambda/{name} (last {len(tail)} lines) ---\n" + "".join(
            line if line.endswith("\n") else line + "\n" for line in tail
        )

    def publish_through_api(self) -> None:
        """POST /events/student.submitAssignment: the publisher's API answer, then the row the
        deployed ingestion writes for it (no email: no notifier rule matches)."""
        detail = {
            "studentId": SCENARIO_STUDENT["studentId"],
            "classId": SCENARIO_STUDENT["classId"],
            "fileUrl": "https://files.example.com/S001/essay.pdf",
        }
        request = http_request(
            "POST", "/events/{type}", {"type": "student.submitAssignment"}, detail
        )
        response = self.invoke("publisher", request)
        if response["statusCode"] not in (200, 202):
            raise ScenarioError(f"publisher answered {response['statusCode']}: {response['body']}")
        ids = json.loads(response["body"]).get("eventIds") or []
        if len(ids) != 1:
            raise ScenarioError(f"publisher returned {ids!r}, expected one event id")
        step(f"POST /events/student.submitAssignment (Lambda Invoke): event id {ids[0]}")
        try:
            wait_for(lambda: self.interaction(str(ids[0])), self.timeout, what="the row")
        except TimeoutError:
            raise ScenarioError(
                f"no interaction for event {ids[0]}\n{self.log_tail('ingestion')}"
            ) from None
        step(f"the deployed ingestion wrote interaction {ids[0]}")

    def invoke(self, key: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            return dict(invoke(self.client("lambda"), self.function(key), payload))
        except FunctionError as exc:
            raise ScenarioError(str(exc)) from None

    def rank(self) -> None:
        user = SCENARIO_STUDENT["studentId"]
        response = self.invoke(
            "ranking", http_request("GET", "/ranking/{userId}", {"userId": user})
        )
        body = json.loads(response["body"])
        if response["statusCode"] != 200 or not body.get("source", "").startswith("fallback"):
            raise ScenarioError(f"ranking answered {response['statusCode']}: {body}")
        items = [i["itemId"] for i in body.get("items", [])]
        step(f"GET /ranking/{user} (Lambda Invoke) answered from {body['source']}: {items}")


def enrolled_entry(bus: str) -> dict[str, str]:
    detail = {k: SCENARIO_STUDENT[k] for k in ("studentId", "classId")}
    return {
        "EventBusName": bus,
        "Source": "api.student",
        "DetailType": "student.enrolled",
        "Detail": json.dumps(detail),
    }


# The smallest HTTP API payload 2.0 request the ranking function answers (by hand, below).
RANKING_REQUEST = {
    "version": "2.0",
    "routeKey": "GET /ranking/{userId}",
    "rawPath": f"/ranking/{SCENARIO_STUDENT['studentId']}",
    "pathParameters": {"userId": SCENARIO_STUDENT["studentId"]},
    "requestContext": {
        "http": {"method": "GET", "path": f"/ranking/{SCENARIO_STUDENT['studentId']}"}
    },
}


def try_it_yourself(endpoint: str, outputs: dict[str, Any]) -> str:
    """AWS CLI commands (v1 or v2) a person can repeat by hand against the running emulator:
    each `put-events` makes the deployed notifier send one more email."""
    entry = json.dumps([enrolled_entry(outputs["event_bus_name"])])
    names = outputs["function_names"]
    aws = f"aws --endpoint-url {endpoint} --region us-east-1"
    count_emails = (
        "import json,sys; m=json.load(sys.stdin)['ses']['Message']; print(len(m), 'emails')"
    )
    return "\n".join(
        [
            "Try it yourself (dummy credentials; the emulator runs until `make down`):",
            "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing",
            f"  {aws} events put-events --entries {shlex.quote(entry)}",
            f'  curl -s {endpoint}/moto-api/data.json | python3 -c "{count_emails}"',
            f"  {aws} dynamodb scan --table-name {outputs['interactions_table_name']}",
            f"  {aws} logs filter-log-events --log-group-name /aws/lambda/{names['notifier']} "
            "--query 'events[].message' --output text",
            f"  echo {shlex.quote(json.dumps(RANKING_REQUEST))} > ranking-request.json",
            f"  {aws} lambda invoke --function-name {names['ranking']} "
            "--payload fileb://ranking-request.json ranking-answer.json && cat ranking-answer.json",
        ]
    )


def up(_: argparse.Namespace) -> int:
    started = time.monotonic()
    step("toolchain")
    toolchain.setup()
    step("packaging Lambda functions")
    packaging.package_all()
    endpoint = start_background_emulator()
    try:
        with ProviderServer() as provider:
            ws = dev_workspace(endpoint, provider.env())
            step("terraform apply envs/dev on the emulator")
            outputs = ws.apply()
            ws.remove()
        print(json.dumps(outputs, indent=2, sort_keys=True))
        step("scenario: one enrollment through the system")
        with emulator_env(endpoint):
            Scenario(endpoint, outputs).run()
    except (TerraformError, ScenarioError, KeyError) as exc:
        print(f"make up failed: {exc}", file=sys.stderr)
        return 1
    print(try_it_yourself(endpoint, outputs), flush=True)
    step(f"done in {time.monotonic() - started:.0f}s; `make down` destroys it")
    return 0


def down(_: argparse.Namespace) -> int:
    endpoint = running_endpoint()
    if endpoint and DEV_STATE.exists():
        step("terraform destroy envs/dev on the emulator")
        try:
            with ProviderServer() as provider:
                ws = dev_workspace(endpoint, provider.env())
                ws.destroy()
                ws.remove()
        except TerraformError as exc:
            # The emulator keeps everything in memory: stopping it is a clean slate anyway.
            print(f"destroy failed: {exc}", file=sys.stderr)
            stop_background_emulator()
            return 1
    stop_background_emulator()
    return 0


# ------------------------------------------------------------------ real AWS


def env_command(args: argparse.Namespace) -> int:
    env_dir = REPO_ROOT / "envs" / args.env
    if not (env_dir / "main.tf").exists():
        print(f"error: no environment envs/{args.env}", file=sys.stderr)
        return 2
    if boto3.session.Session().get_credentials() is None:
        print(
            f"error: `make {args.action} ENV={args.env}` runs against real AWS and needs "
            "credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). None found.",
            file=sys.stderr,
        )
        return 2
    backend = env_dir / "backend.hcl"
    if not backend.exists():
        print(
            f"error: {backend.relative_to(REPO_ROOT)} is missing: copy backend.hcl.example "
            "and fill in your state bucket (see envs/README.md).",
            file=sys.stderr,
        )
        return 2
    # The function zips and the dependency layer the configuration uploads, from this checkout.
    packaging.package_all()
    terraform = toolchain.terraform_binary()
    env = toolchain.terraform_env()
    run = [terraform, f"-chdir={env_dir}"]
    subprocess.run(
        [*run, "init", "-input=false", f"-backend-config={backend}"], env=env, check=True
    )
    extra = ["-auto-approve"] if args.action == "apply" and args.yes else []
    return subprocess.run(
        [*run, args.action, "-input=false", *extra], env=env, check=False
    ).returncode


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("up", help="deploy envs/dev to the emulator and run the scenario").set_defaults(
        func=up
    )
    sub.add_parser("down", help="destroy the emulator deployment, stop the emulator").set_defaults(
        func=down
    )
    env = sub.add_parser("env", help="plan/apply an environment against real AWS")
    env.add_argument("action", choices=["plan", "apply"])
    env.add_argument("env", choices=["dev", "prod"])
    env.add_argument("--yes", action="store_true", help="apply without the interactive prompt")
    env.set_defaults(func=env_command)
