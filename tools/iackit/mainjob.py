"""The main job: `make up` deploys envs/dev to the embedded emulator and walks one enrollment
through the system; `make down` destroys it and stops the emulator. Also `make plan|apply
ENV=...` against real AWS, which refuse to run without credentials.

The scenario (`iackit.scenario`, the same code `make smoke` runs against a real deployment)
acts on the deployed system only through its public interfaces: signed HTTP requests to the
APIs' local invoke URLs, and reads back what the deployed functions did; the emulator's
Lambda runtime runs each function's zip and layers (docs/emulator.md). Then the nightly
schedule is fired and its Step Functions execution runs. Nothing here imports a handler.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from iackit import datagen, packaging, toolchain
from iackit.deployed import wait_for
from iackit.emulator import (
    EMULATOR_ENV,
    Emulator,
    fire_schedule,
    is_healthy,
    local_api_url,
    sent_emails,
)
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.scenario import SES_SIMULATOR, Deployment, NotifierLog, Scenario, ScenarioError
from iackit.signed_http import request
from iackit.tf import TerraformError, Workspace

STATE_DIR = REPO_ROOT / ".emulator"
PID_FILE = STATE_DIR / "moto.pid"
PORT_FILE = STATE_DIR / "moto.port"
LOG_FILE = STATE_DIR / "moto.log"
DEV_STATE = STATE_DIR / "dev.tfstate"
OUTPUTS_FILE = STATE_DIR / "outputs.json"  # dev's outputs and local URLs, for `make bench`
# What differs on the emulator (moto 5.2.5), each covered by plan tests instead:
# - the dependency layer built by `make package` is published and attached as on AWS; the
#   AWS-managed Powertools alternative (`powertools_layer_version`) cannot be chosen here
#   (moto rejects unknown layer ARNs), so it is pinned to null (the default) explicitly;
# - SESv2 GetConfigurationSet, and CreateEmailIdentity with an explicit DKIM key length,
#   answer bodies the provider cannot decode.
EMULATOR_DEV_VARS: dict[str, Any] = {
    "powertools_layer_version": None,
    "ses_configuration_set": {"enabled": False},
    "ses_dkim_signing_key_length": None,
}
SCENARIO_EMAIL = "an.nguyen@student.example.com"


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


def is_our_emulator(pid: int) -> bool:
    """Whether `pid` is an emulator server process (a stale pid file may name a pid the
    system has since given to something else, which must not be killed)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"iackit.emulator.server" in cmdline


def stop_background_emulator() -> None:
    if PID_FILE.exists():
        pid = int(PID_FILE.read_text())
        if not is_our_emulator(pid):
            step(f"emulator was not running (pid {pid} is not the emulator: left alone)")
        else:
            os.killpg(pid, signal.SIGTERM)
            # It stops its Lambda workers and removes its files first: wait, as `make up`
            # right after must not find the old one still running.
            deadline = time.monotonic() + 10
            while is_our_emulator(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if is_our_emulator(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
            step(f"emulator (pid {pid}) stopped")
    for path in (PID_FILE, PORT_FILE, DEV_STATE, OUTPUTS_FILE):
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
class EmulatorMailbox:
    """The emulator's SES keeps what it sent: emails to the recipient since the scenario
    began (the scenario puts one event, so they are that event's)."""

    endpoint: str
    before: int = 0

    def __post_init__(self) -> None:
        self.before = len(sent_emails(self.endpoint))

    def emails_for(self, event_id: str, recipient: str) -> int:
        del event_id
        new = sent_emails(self.endpoint)[self.before :]
        return sum(recipient in email["destinations"]["ToAddresses"] for email in new)


def local_urls(endpoint: str, outputs: dict[str, Any]) -> dict[str, str]:
    """The local invoke URL of each HTTP API output (`*_api_endpoint`)."""
    return {
        key.removesuffix("_endpoint") + "_local_url": local_api_url(endpoint, str(value))
        for key, value in sorted(outputs.items())
        if key.endswith("_api_endpoint") and value
    }


def verify_sender(session: boto3.Session, outputs: dict[str, Any]) -> None:
    """In a real account the sender is verified out of band (the link in AWS's email, or
    DKIM records); the emulator takes the same step through the API."""
    sender = outputs["sender_email"]
    session.client("ses").verify_email_identity(EmailAddress=sender)
    step(f"verified the sender {sender} (done by hand or by DNS in a real account)")


def fire_nightly(
    endpoint: str, session: boto3.Session, outputs: dict[str, Any], timeout: float = 120
) -> list[str]:
    """The 02:00 schedule, fired now: its state machine runs with the schedule's input.
    Returns the states the execution went through; ScenarioError unless it succeeded."""
    schedule = outputs["ranking_schedule"]
    try:
        fired = fire_schedule(endpoint, schedule["name"], schedule["group"])
    except RuntimeError as exc:
        raise ScenarioError(f"firing {schedule['name']} failed: {exc}") from None
    execution = str(fired["ExecutionArn"])
    sfn = session.client("stepfunctions")

    def finished() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=execution)
        return None if described["status"] == "RUNNING" else dict(described)

    try:
        done = wait_for(finished, timeout, what="the nightly execution")
    except TimeoutError as exc:
        raise ScenarioError(str(exc)) from None
    states = [
        e["stateEnteredEventDetails"]["name"]
        for e in sfn.get_execution_history(executionArn=execution)["events"]
        if "stateEnteredEventDetails" in e
    ]
    step(
        f"fired the nightly schedule {schedule['name']}: execution {execution.rsplit(':', 1)[-1]} "
        f"{done['status']} through {' -> '.join(states)}"
    )
    if done["status"] != "SUCCEEDED":
        raise ScenarioError(f"the nightly execution {done['status']}: {done.get('cause', '')}")
    return states


def train(_: argparse.Namespace) -> int:
    """On the `make up` deployment: a synthetic school above Personalize's minimums in the
    tables, the nightly schedule fired, the pipeline run end to end on the emulated
    Personalize (export, import, training, publish), then a signed GET /ranking answered
    from Personalize, not the fallback, and the class engagement ranking of its class."""
    endpoint = running_endpoint()
    if endpoint is None or not OUTPUTS_FILE.exists():
        print("error: no `make up` deployment running", file=sys.stderr)
        return 2
    outputs = json.loads(OUTPUTS_FILE.read_text())
    started = time.monotonic()
    with emulator_env(endpoint):
        session = boto3.Session(region_name="us-east-1")
        school = datagen.generate()
        tables = outputs["students_table_name"], outputs["interactions_table_name"]
        catalog = outputs.get("class_activity_table_name")
        datagen.write(session, school, *tables, catalog)
        step(
            f"wrote {len(school.students)} students and {len(school.interactions)} interactions "
            f"({school.active_users()} students with 2 or more) to {' and '.join(tables)}"
            + (
                f", {len(school.catalog)} classes, materials and quizzes to {catalog}"
                if catalog
                else ""
            )
        )
        try:
            states = fire_nightly(endpoint, session, outputs, timeout=600)
            if "SkippedNotEnoughData" in states:
                raise ScenarioError("the pipeline found too little data to train")
            student = school.students[0].student_id
            url = f"{outputs['ranking_api_local_url']}/ranking/{student}"
            credentials = session.get_credentials()
            answer = request("GET", url, credentials=credentials)
            body = answer.json() if answer.body else {}
            if answer.status != 200 or str(body.get("source", "")).startswith("fallback"):
                raise ScenarioError(f"signed GET {url}: {answer.status} {answer.body!r}")
            # The same run published each class's engagement ranking (ranking-api
            # class_rankings): the first class of that student, best engaged first.
            class_id = school.students[0].class_ids[0]
            class_url = f"{outputs['ranking_api_local_url']}/classes/{class_id}/ranking"
            by_class = request("GET", class_url, credentials=credentials)
            ranked = by_class.json().get("students", []) if by_class.body else []
            if by_class.status != 200 or not ranked:
                raise ScenarioError(f"signed GET {class_url}: {by_class.status} {by_class.body!r}")
        except ScenarioError as exc:
            print(f"make train failed: {exc}", file=sys.stderr)
            return 1
    items = [i.get("itemId") for i in body.get("items", body.get("recommendations", []))]
    step(f"signed GET {url}: 200 from {body['source']}: {items}")
    top = [f"{s['studentId']} ({s['score']})" for s in ranked[:5]]
    step(f"signed GET {class_url}: 200, {len(ranked)} students by engagement, first {top}")
    step(f"trained in {time.monotonic() - started:.0f}s")
    return 0


def try_it_yourself(endpoint: str, outputs: dict[str, Any]) -> str:
    """Commands a person can repeat by hand against the running emulator: each signed POST
    makes the deployed notifier send one more email (curl >= 7.75 signs with --aws-sigv4)."""
    urls = local_urls(endpoint, outputs)
    aws = f"aws --endpoint-url {endpoint} --region us-east-1"
    sign = '--aws-sigv4 "aws:amz:us-east-1:execute-api" --user testing:testing'
    enrolled = shlex.quote(json.dumps({"studentId": "S001", "classId": "A1"}))
    profile = {"studentId": "S002", "name": "Binh", "email": "binh@example.com", "language": "en"}
    registered = shlex.quote(json.dumps(profile))
    count_emails = (
        "import json,sys; m=json.load(sys.stdin)['ses']['Message']; print(len(m), 'emails')"
    )
    schedule = outputs["ranking_schedule"]
    fire = json.dumps({"name": schedule["name"], "group": schedule["group"]})
    return "\n".join(
        [
            "Try it yourself (dummy credentials; the emulator runs until `make down`):",
            "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing",
            f"  curl -s {sign} -H 'Content-Type: application/json' -d {enrolled} "
            f"{urls['publisher_api_local_url']}/events/student.enrolled",
            f"  curl -s {urls['publisher_api_local_url']}/events/student.enrolled -d '{{}}'"
            "   # unsigned: 403",
            f"  curl -s {sign} -H 'Content-Type: application/json' -d {registered} "
            f"{urls['publisher_api_local_url']}/events/student.registered",
            f"  {aws} dynamodb get-item --table-name {outputs['students_table_name']} "
            """--key '{"studentId": {"S": "S002"}}'   # the registered row""",
            f"  curl -s {sign} {urls['ranking_api_local_url']}/ranking/S001",
            f'  curl -s {endpoint}/moto-api/data.json | python3 -c "{count_emails}"',
            f"  {aws} dynamodb scan --table-name {outputs['interactions_table_name']}",
            f"  curl -s -X POST {endpoint}/_iackit/scheduler/fire -d {shlex.quote(fire)}"
            "   # the nightly schedule, now",
            f"  {aws} stepfunctions list-executions --state-machine-arn "
            f"{outputs['ranking_state_machine_arn']}",
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
        shown = {**outputs, **local_urls(endpoint, outputs)}
        OUTPUTS_FILE.write_text(json.dumps(shown, indent=2, sort_keys=True))
        print(json.dumps(shown, indent=2, sort_keys=True))
        step("scenario: one enrollment through the public interfaces")
        with emulator_env(endpoint):
            session = boto3.Session(region_name="us-east-1")
            verify_sender(session, outputs)
            deployment = Deployment.from_outputs(outputs, lambda url: local_api_url(endpoint, url))
            Scenario(deployment, session, EmulatorMailbox(endpoint), SCENARIO_EMAIL, say=step).run()
            fire_nightly(endpoint, session, outputs)
    except (TerraformError, ScenarioError, KeyError) as exc:
        print(f"make up failed: {exc}", file=sys.stderr)
        return 1
    print(try_it_yourself(endpoint, outputs), flush=True)
    step(f"done in {time.monotonic() - started:.0f}s; `make down` destroys it")
    return 0


def personalize_left(personalize: Any) -> list[str]:
    """ARNs of every Personalize resource the account still holds (what the pipeline
    created must go with `terraform destroy`: a campaign bills by the hour)."""
    listings = {
        "list_dataset_groups": ("datasetGroups", "datasetGroupArn"),
        "list_datasets": ("datasets", "datasetArn"),
        "list_schemas": ("schemas", "schemaArn"),
        "list_solutions": ("solutions", "solutionArn"),
        "list_campaigns": ("campaigns", "campaignArn"),
        "list_filters": ("Filters", "filterArn"),
        "list_event_trackers": ("eventTrackers", "eventTrackerArn"),
    }
    left = []
    for call, (key, arn) in listings.items():
        left += [str(r[arn]) for r in getattr(personalize, call)().get(key, [])]
    return left


def down(_: argparse.Namespace) -> int:
    endpoint = running_endpoint()
    if endpoint and DEV_STATE.exists():
        step("terraform destroy envs/dev on the emulator")
        try:
            with ProviderServer() as provider:
                ws = dev_workspace(endpoint, provider.env())
                ws.destroy()
                ws.remove()
            with emulator_env(endpoint):
                left = personalize_left(boto3.client("personalize", region_name="us-east-1"))
            step(f"Personalize resources left after destroy: {len(left)} {left or ''}".rstrip())
        except TerraformError as exc:
            # The emulator keeps everything in memory: stopping it is a clean slate anyway.
            print(f"destroy failed: {exc}", file=sys.stderr)
            stop_background_emulator()
            return 1
    stop_background_emulator()
    return 0


def fire_command(args: argparse.Namespace) -> int:
    endpoint = running_endpoint()
    if endpoint is None:
        print("error: no emulator running: `make up` first", file=sys.stderr)
        return 2
    try:
        print(json.dumps(fire_schedule(endpoint, args.name, args.group), indent=2))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


# ------------------------------------------------------------------ real AWS


def credentials_error(action: str, env: str) -> str | None:
    """Why `make <action> ENV=<env>` cannot run against real AWS, or None."""
    if boto3.session.Session().get_credentials() is None:
        return (
            f"`make {action} ENV={env}` runs against real AWS and needs credentials "
            "(AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). None found."
        )
    return None


def env_dir_error(env: str) -> str | None:
    env_dir = REPO_ROOT / "envs" / env
    if not (env_dir / "main.tf").exists():
        return f"no environment envs/{env}"
    backend = env_dir / "backend.hcl"
    if not backend.exists():
        return (
            f"{backend.relative_to(REPO_ROOT)} is missing: copy backend.hcl.example "
            "and fill in your state bucket (see envs/README.md)."
        )
    return None


def _init(env_dir: Path) -> list[str]:
    terraform = toolchain.terraform_binary()
    run = [terraform, f"-chdir={env_dir}"]
    subprocess.run(
        [*run, "init", "-input=false", f"-backend-config={env_dir / 'backend.hcl'}"],
        env=toolchain.terraform_env(),
        check=True,
    )
    return run


def env_command(args: argparse.Namespace) -> int:
    error = env_dir_error(args.env) or credentials_error(args.action, args.env)
    if error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    # The function zips and the dependency layer the configuration uploads, from this checkout.
    packaging.package_all()
    run = _init(REPO_ROOT / "envs" / args.env)
    extra = ["-auto-approve"] if args.action == "apply" and args.yes else []
    return subprocess.run(
        [*run, args.action, "-input=false", *extra], env=toolchain.terraform_env(), check=False
    ).returncode


def output_values(output_json: str) -> dict[str, Any]:
    """`terraform output -json` -> {name: value}."""
    document = json.loads(output_json or "{}")
    return {name: entry["value"] for name, entry in document.items() if "value" in entry}


def smoke(args: argparse.Namespace) -> int:
    """The `make up` scenario against a real deployment of ENV: URLs and tables from its
    outputs, the user's credentials, the SES mailbox simulator as the recipient; what it
    wrote is removed afterwards, whatever happened."""
    error = env_dir_error(args.env) or credentials_error("smoke", args.env)
    if error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    run = _init(REPO_ROOT / "envs" / args.env)
    shown = subprocess.run(
        [*run, "output", "-json"],
        env=toolchain.terraform_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    session = boto3.Session()
    try:
        deployment = Deployment.from_outputs(output_values(shown.stdout))
    except ScenarioError as exc:
        print(f"error: {exc} (is envs/{args.env} applied?)", file=sys.stderr)
        return 2
    scenario = Scenario(
        deployment,
        session,
        NotifierLog(session.client("logs"), deployment.notifier),
        SES_SIMULATOR,
        student_id=f"SMOKE{secrets.randbelow(10**6):06d}",
        timeout=args.timeout,
        say=step,
    )
    try:
        scenario.run()
    except ScenarioError as exc:
        print(f"smoke test failed: {exc}", file=sys.stderr)
        return 1
    finally:
        scenario.cleanup()
    step(f"envs/{args.env} answered the scenario through its public URLs")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("up", help="deploy envs/dev to the emulator and run the scenario").set_defaults(
        func=up
    )
    sub.add_parser(
        "train", help="synthetic data, the nightly pipeline run, a ranking from Personalize"
    ).set_defaults(func=train)
    sub.add_parser("down", help="destroy the emulator deployment, stop the emulator").set_defaults(
        func=down
    )
    env = sub.add_parser("env", help="plan/apply an environment against real AWS")
    env.add_argument("action", choices=["plan", "apply"])
    env.add_argument("env", choices=["dev", "prod"])
    env.add_argument("--yes", action="store_true", help="apply without the interactive prompt")
    env.set_defaults(func=env_command)
    smoke_test = sub.add_parser(
        "smoke", help="run the make-up scenario against a real deployment (needs credentials)"
    )
    smoke_test.add_argument("env", choices=["dev", "prod"])
    smoke_test.add_argument("--timeout", type=float, default=120.0)
    smoke_test.set_defaults(func=smoke)
    fire = sub.add_parser("fire", help="fire a schedule now on the `make up` emulator")
    fire.add_argument("name", help="schedule name, e.g. dev-ranking-nightly")
    fire.add_argument("--group", default="default")
    fire.set_defaults(func=fire_command)
