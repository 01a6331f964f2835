"""The local AWS emulator: moto in server mode on 127.0.0.1.

One `Emulator` is one moto server process on a free loopback port. Tests start it per
session (per xdist worker), `make up` starts it in the background with a pid file.
Nothing here ever talks to real AWS: every client and every Terraform provider block that
uses `Emulator.endpoint` goes to the loopback address, with dummy credentials.

The process itself is `iackit.emulator.server`: moto's server with the patches of
`iackit.emulator.patches` (what each one fixes: docs/emulator.md).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
LOOPBACK = "127.0.0.1"

# Dummy credentials: the emulator accepts anything, real AWS rejects these.
EMULATOR_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}

# Every service the modules use; the generated provider override points each one at the
# emulator (the provider has no single "all endpoints" switch that also covers S3 paths).
PROVIDER_ENDPOINT_SERVICES = (
    "apigateway",
    "apigatewayv2",
    "cloudwatch",
    "ec2",
    "events",
    "glue",
    "iam",
    "kms",
    "lambda",
    "logs",
    "route53",
    "route53resolver",
    "s3",
    "scheduler",
    "schemas",
    "secretsmanager",
    "ses",
    "sesv2",
    "sfn",
    "sns",
    "sqs",
    "ssm",
    "sts",
    "dynamodb",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class Emulator:
    """A moto server process bound to 127.0.0.1."""

    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None
    _lambda_workdir: str | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = 30.0) -> Emulator:
        log: IO[bytes] | int = subprocess.DEVNULL
        if self.log_path is not None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
            log = self._log
        # Deployed packages and layers are extracted here; removed in stop() even if the
        # server was killed.
        self._lambda_workdir = tempfile.mkdtemp(prefix="iackit-lambda-")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "iackit.emulator.server", "-H", LOOPBACK, "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                **EMULATOR_ENV,
                "IACKIT_EMULATOR_ENDPOINT": self.endpoint,
                "IACKIT_LAMBDA_WORKDIR": self._lambda_workdir,
            },
            start_new_session=True,
        )
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"moto server exited with code {self.process.returncode}; "
                    f"see {self.log_path or 'its output'}"
                )
            if is_healthy(self.endpoint):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server on {self.endpoint} not healthy after {timeout}s")

    def reset(self) -> None:
        """Forget every resource (between test modules that need a clean account)."""
        _post(f"{self.endpoint}/moto-api/reset")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        if self._lambda_workdir is not None:
            shutil.rmtree(self._lambda_workdir, ignore_errors=True)
            self._lambda_workdir = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client_env(self) -> dict[str, str]:
        """Environment for boto3 clients and handlers run in-process against the emulator."""
        return {**EMULATOR_ENV, "AWS_ENDPOINT_URL": self.endpoint}


def model_data(endpoint: str) -> dict[str, Any]:
    """moto's dump of its in-memory models (used to read back e.g. sent emails)."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as rsp:  # noqa: S310 - loopback only
        return dict(json.load(rsp))


def sent_emails(endpoint: str) -> list[dict[str, Any]]:
    """Every email the emulator's SES accepted: subject, body, source, destinations."""
    return list(model_data(endpoint).get("ses", {}).get("Message", []))


def local_api_url(endpoint: str, api_endpoint: str) -> str:
    """The emulator's local invoke URL ($default stage) for an HTTP API's `api_endpoint`
    (`https://<id>.execute-api.<region>.amazonaws.com`): see `apigw.py`."""
    from iackit.emulator.apigw import local_url  # noqa: PLC0415 - keeps clients off moto

    api_id = (urllib.parse.urlsplit(api_endpoint).hostname or "").split(".", 1)[0]
    return local_url(endpoint, api_id)


def fire_schedule(endpoint: str, name: str, group: str = "default") -> dict[str, Any]:
    """Fire a schedule now (`scheduler.py`): the target's answer, e.g. its ExecutionArn.
    Raises RuntimeError with the emulator's message when it cannot fire."""
    body = json.dumps({"name": name, "group": group}).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{endpoint}/_iackit/scheduler/fire", data=body, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as rsp:  # noqa: S310 - loopback only
            return dict(json.load(rsp))
    except urllib.error.HTTPError as refused:
        raise RuntimeError(json.load(refused).get("message", str(refused))) from None


def is_healthy(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1) as rsp:  # noqa: S310 - loopback only
            return bool(rsp.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _post(url: str) -> None:
    request = urllib.request.Request(url, method="POST", data=b"")  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - loopback only
        pass


def provider_override(endpoint: str, region: str = REGION) -> str:
    """HCL for an `*_override.tf` file that points the `aws` provider at the emulator.

    Terraform merges `_override.tf` files into the configuration, so the same root
    configuration serves real AWS and the emulator without a second copy.
    """
    endpoints = "\n".join(f'    {svc} = "{endpoint}"' for svc in PROVIDER_ENDPOINT_SERVICES)
    return f"""# Generated by iackit: points the aws provider at the local emulator. Never commit.
provider "aws" {{
  region                      = "{region}"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true

  endpoints {{
{endpoints}
  }}
}}
"""
