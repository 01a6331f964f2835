"""`make bench`: figures, not pass/fail. Prints one line per measurement.

Toolchain (provider build time and peak memory when it ran, setup warm), packages (build
time, dependency layer size zipped and unzipped), Terraform (init,
apply+destroy of the lambda-function example, one SQS queue with and without the
provider's waits, plan time per module from the plan tests), handlers on the emulator
(publish and email throughput, export rows/s, ranking latency), Lambda cold and warm
invoke latency on the emulator's runtime (p50/p99 of 50 invokes), and with `--suite` the
budgets of issue 12: `make test-plan`, `make up` (warm), `make down` and `make test`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.credentials import Credentials

from iackit import mainjob, packaging, toolchain
from iackit.emulator import EMULATOR_ENV, REGION, Emulator, sent_emails
from iackit.paths import REPO_ROOT
from iackit.provider_server import ProviderServer
from iackit.signed_http import request
from iackit.tf import Workspace

LAMBDA_EXAMPLE = REPO_ROOT / "modules" / "lambda-function" / "examples" / "basic"
SQS_QUEUE = REPO_ROOT / "tests" / "fixtures" / "sqs_queue"


def report(name: str, value: float | str, unit: str = "") -> None:
    shown = f"{value:.2f}" if isinstance(value, float) else value
    print(f"{name:<48} {shown} {unit}".rstrip(), flush=True)


@contextmanager
def timed(name: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    report(name, time.monotonic() - started, "s")


def bench_toolchain() -> None:
    stats_file = toolchain.build_stats_path()
    if stats_file.exists():
        stats = json.loads(stats_file.read_text())
        report("provider build from source (once per machine)", float(stats["seconds"]), "s")
        report("provider build peak RSS (largest child)", float(stats["peak_rss_mib"]), "MiB")
        report("provider binary size", float(stats["binary_mib"]), "MiB")
    else:
        report("provider build from source", "not run on this machine (mirror/registry)")
    with timed("setup, warm (iackit setup)"):
        subprocess.run(
            [sys.executable, "-m", "iackit.cli", "setup"], check=True, capture_output=True
        )
    report("terraform engine", toolchain.terraform_binary())


def bench_packages() -> None:
    with timed("make package (function zips + dependency layer)"):
        built = packaging.package_all()
    layer = built[packaging.LAYER_NAME]
    with zipfile.ZipFile(layer) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    report("dependency layer python-deps.zip (zipped)", layer.stat().st_size / 2**20, "MiB")
    report("dependency layer unzipped (limit 250 MiB)", unzipped / 2**20, "MiB")


def bench_terraform(emulator: Emulator) -> None:
    with tempfile.TemporaryDirectory() as tmp, ProviderServer() as provider:
        package = packaging.package("hello", Path(tmp), LAMBDA_EXAMPLE / "src")
        ws = Workspace(LAMBDA_EXAMPLE, endpoint=emulator.endpoint, extra_env=provider.env())
        try:
            with timed("terraform init (lambda-function example)"):
                ws.init()
            with timed("terraform plan (lambda-function example)"):
                ws.plan({"package_path": str(package)})
            started = time.monotonic()
            ws.apply({"package_path": str(package)})
            ws.destroy()
            report("apply + destroy (lambda-function example)", time.monotonic() - started, "s")
        finally:
            ws.remove()


def bench_provider_waits(emulator: Emulator) -> None:
    """One SQS queue, applied and destroyed through the harness's provider process (waiters
    without delay) and through a provider Terraform starts itself (the default delays)."""
    for label, provider_env in (("zero-delay waiters", True), ("provider defaults", False)):
        with ProviderServer() as provider:
            ws = Workspace(
                SQS_QUEUE,
                endpoint=emulator.endpoint,
                extra_env=provider.env() if provider_env else {},
            )
            try:
                ws.init()
                with timed(f"one SQS queue apply ({label})"):
                    ws.apply()
                with timed(f"one SQS queue destroy ({label})"):
                    ws.destroy()
            finally:
                ws.remove()


DURATION_LINE = re.compile(r"^([\d.]+)s (setup|call|teardown)\s+(tests/\S+?)::")


def bench_plan_tests() -> None:
    """Plan time per module: setup+call durations of the plan-marked tests, by test package."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "plan",
            "-n",
            "0",
            "-q",
            "--durations=0",
            "-p",
            "no:cacheprovider",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    per_module: dict[str, float] = defaultdict(float)
    for line in proc.stdout.splitlines():
        match = DURATION_LINE.match(line.strip())
        if match:
            per_module[str(Path(match[3]).parent)] += float(match[1])
    for module, seconds in sorted(per_module.items()):
        report(f"plan tests: {module}", seconds, "s")
    report("plan tests result", proc.stdout.strip().splitlines()[-1] if proc.stdout else "none")


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def throughput(name: str, count: int, unit: str, action: Callable[[], Any]) -> None:
    started = time.monotonic()
    action()
    elapsed = time.monotonic() - started
    report(name, count / elapsed if elapsed else float("inf"), f"{unit}/s")


def latency(name: str, samples: list[float]) -> None:
    report(f"{name} p50", percentile(samples, 50) * 1000, "ms")
    report(f"{name} p99", percentile(samples, 99) * 1000, "ms")
    report(f"{name} mean", statistics.fmean(samples) * 1000, "ms")


def bench_handlers(emulator: Emulator) -> None:
    env = dict(os.environ)
    os.environ.update({**emulator.client_env(), "POWERTOOLS_LOG_LEVEL": "WARNING"})
    # Imports the Lambda code (loggers read the level at import): only when benchmarking.
    from iackit import handler_bench  # noqa: PLC0415

    try:
        handler_bench.run(emulator, report, throughput, latency)
    finally:
        os.environ.clear()
        os.environ.update(env)


LAMBDA_BENCH_CODE = """
import json
import boto3  # the runtime-provided SDK, imported at init as most handlers do

def handler(event, context):
    return {"n": event.get("n"), "left": context.get_remaining_time_in_millis()}
"""


def bench_lambda_invoke(emulator: Emulator, count: int = 50) -> None:
    """Invoke latency on the emulator's Lambda runtime (a zip importing boto3): cold = a new
    worker for every invoke (the function's configuration changes before each one, as an
    update does on AWS), warm = the same worker again."""

    session = boto3.session.Session(
        aws_access_key_id=EMULATOR_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=EMULATOR_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    )
    iam = session.client("iam", endpoint_url=emulator.endpoint)
    lam = session.client("lambda", endpoint_url=emulator.endpoint)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="bench-lambda", AssumeRolePolicyDocument=json.dumps(trust))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", LAMBDA_BENCH_CODE)
    lam.create_function(
        FunctionName="bench-invoke",
        Runtime="python3.13",
        Handler="app.handler",
        Role=role["Role"]["Arn"],
        Code={"ZipFile": buffer.getvalue()},
        Timeout=30,
    )

    def invoke(n: int) -> float:
        started = time.monotonic()
        answer = lam.invoke(FunctionName="bench-invoke", Payload=json.dumps({"n": n}))
        elapsed = time.monotonic() - started
        if "FunctionError" in answer:
            raise RuntimeError(answer["Payload"].read().decode())
        return elapsed

    cold = []
    for n in range(count):
        lam.update_function_configuration(
            FunctionName="bench-invoke", Environment={"Variables": {"RUN": str(n)}}
        )
        cold.append(invoke(n))
    invoke(0)  # the worker of the last configuration is now warm
    warm = [invoke(n) for n in range(count)]
    latency(f"Lambda invoke, cold ({count} invokes)", cold)
    latency(f"Lambda invoke, warm ({count} invokes)", warm)


def _timed_command(name: str, *args: str) -> None:
    started = time.monotonic()
    proc = subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    tail = proc.stdout.strip().splitlines()[-1:] if proc.stdout else []
    result = f"exit {proc.returncode}" + (f"; {tail[0]}" if tail else "")
    report(name, time.monotonic() - started, f"s ({result})")


def bench_public_interfaces(count: int = 10) -> None:
    """On the `make up` deployment, through the local invoke URLs: signed POST
    /events/student.enrolled -> the deployed notifier's email in the emulator's SES (API ->
    publisher -> bus -> rule -> async notifier -> SendEmail), and signed GET /ranking/S001."""
    endpoint = mainjob.running_endpoint()
    if endpoint is None or not mainjob.OUTPUTS_FILE.exists():
        report("publish -> email", "skipped", "(no `make up` deployment running)")
        return
    urls = json.loads(mainjob.OUTPUTS_FILE.read_text())
    credentials = Credentials(
        EMULATOR_ENV["AWS_ACCESS_KEY_ID"], EMULATOR_ENV["AWS_SECRET_ACCESS_KEY"]
    )
    publish = f"{urls['publisher_api_local_url']}/events/student.enrolled"
    emails = []
    for _ in range(count):
        before = len(sent_emails(endpoint))
        started = time.monotonic()
        request("POST", publish, {"studentId": "S001", "classId": "A1"}, credentials=credentials)
        deadline = started + 60
        while len(sent_emails(endpoint)) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        emails.append(time.monotonic() - started)
    latency(f"signed POST -> email ({count} events)", emails)
    bench_ranking(urls, credentials, count * 3)


def bench_ranking(urls: dict[str, Any], credentials: Credentials, count: int = 30) -> None:
    """Signed GET /ranking/{userId} through the local URL, warm, labelled with the answer's
    source (the popularity fallback before `make train`, Personalize's batch after)."""
    ranking = f"{urls['ranking_api_local_url']}/ranking/S0001"
    answers, sources = [], set()
    for _ in range(count):
        started = time.monotonic()
        answer = request("GET", ranking, credentials=credentials)
        answers.append(time.monotonic() - started)
        sources.add(
            str(answer.json().get("source")) if answer.status == 200 else str(answer.status)
        )
    latency(f"signed GET /ranking, warm, from {'/'.join(sorted(sources))} ({count})", answers)


def bench_after_training() -> None:
    endpoint = mainjob.running_endpoint()
    if endpoint is None or not mainjob.OUTPUTS_FILE.exists():
        return
    credentials = Credentials(
        EMULATOR_ENV["AWS_ACCESS_KEY_ID"], EMULATOR_ENV["AWS_SECRET_ACCESS_KEY"]
    )
    bench_ranking(json.loads(mainjob.OUTPUTS_FILE.read_text()), credentials)


def bench_suite() -> None:
    """The fast-feedback budgets, through the make targets users run: plan tier <= 2 min,
    up <= 90 s, down <= 60 s, the whole suite <= 10 min."""
    _timed_command("make test-plan (unit + plan + terraform test)", "make", "test-plan")
    _timed_command("make up, warm (apply dev + scenario)", "make", "up")
    bench_public_interfaces()
    _timed_command("make train (synthetic school, nightly pipeline)", "make", "train")
    bench_after_training()
    _timed_command("make down (destroy dev, stop emulator)", "make", "down")
    _timed_command("make test (whole suite)", "make", "test")


def run(args: argparse.Namespace) -> int:
    print("== toolchain ==")
    bench_toolchain()
    bench_packages()
    with Emulator() as emulator:
        print("== terraform ==")
        bench_terraform(emulator)
        if not args.quick:
            bench_provider_waits(emulator)
        print("== Lambda runtime on the emulator (RequestResponse invoke) ==")
        bench_lambda_invoke(emulator)
        print("== handlers (in-process, on the emulator) ==")
        bench_handlers(emulator)
    if not args.quick:
        print("== plan time per module (plan tests, serial) ==")
        bench_plan_tests()
    if args.suite:
        print("== budgets (issue 12) ==")
        bench_suite()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("bench", help="print timing and memory figures")
    parser.add_argument(
        "--suite", action="store_true", help="also time test-plan, up, down and the whole suite"
    )
    parser.add_argument(
        "--quick", action="store_true", help="skip the provider-wait and per-module plan timings"
    )
    parser.set_defaults(func=run)
