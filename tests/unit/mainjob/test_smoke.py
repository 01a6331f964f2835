"""`make smoke ENV=...`: the `make up` scenario against a real deployment. What can be proven
offline: it refuses without credentials (before touching Terraform), and it reads what it
needs from `terraform output -json`."""

from __future__ import annotations

import argparse
import json

import pytest

from iackit import mainjob
from iackit.scenario import Deployment, NotifierLog, ScenarioError

pytestmark = pytest.mark.unit

OUTPUTS = {
    "publisher_api_endpoint": "https://abc.execute-api.eu-west-1.amazonaws.com",
    "ranking_api_endpoint": "https://def.execute-api.eu-west-1.amazonaws.com/",
    "students_table_name": "prod-Students",
    "interactions_table_name": "prod-Interactions",
    "function_names": {"notifier": "prod-student-notifier", "ingestion": "prod-ingestion"},
}


def test_smoke_refuses_without_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
    for name in (*names, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(mainjob, "env_dir_error", lambda env: None)

    def no_terraform(*_: object, **__: object) -> None:
        raise AssertionError("terraform must not run without credentials")

    monkeypatch.setattr(mainjob, "_init", no_terraform)
    assert mainjob.smoke(argparse.Namespace(env="prod", timeout=1.0)) == 2
    assert "needs credentials" in capsys.readouterr().err


def test_smoke_refuses_an_environment_without_backend_config(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # envs/prod/backend.hcl is the user's own file: never in the repository.
    assert mainjob.smoke(argparse.Namespace(env="prod", timeout=1.0)) == 2
    assert "backend.hcl is missing" in capsys.readouterr().err


def test_the_deployment_is_read_from_terraform_output_json() -> None:
    shown = json.dumps(
        {k: {"sensitive": False, "type": "string", "value": v} for k, v in OUTPUTS.items()}
    )
    deployment = Deployment.from_outputs(mainjob.output_values(shown))
    assert deployment == Deployment(
        publisher_url="https://abc.execute-api.eu-west-1.amazonaws.com",
        ranking_url="https://def.execute-api.eu-west-1.amazonaws.com",
        students_table="prod-Students",
        interactions_table="prod-Interactions",
        notifier="prod-student-notifier",
        ingestion="prod-ingestion",
    )


def test_a_missing_output_is_named() -> None:
    partial = {k: v for k, v in OUTPUTS.items() if k != "ranking_api_endpoint"}
    with pytest.raises(ScenarioError, match="ranking_api_endpoint"):
        Deployment.from_outputs(partial)


class Logs:
    """CloudWatch Logs as the notifier leaves it: JSON lines (Powertools), other lines."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages

    def get_paginator(self, name: str) -> Logs:
        assert name == "filter_log_events"
        return self

    def paginate(self, logGroupName: str, filterPattern: str) -> list[dict[str, object]]:  # noqa: N803
        assert logGroupName == "/aws/lambda/prod-student-notifier"
        wanted = filterPattern.strip('"')
        return [{"events": [{"message": m} for m in self.messages if wanted in m]}]


def test_on_aws_the_notifier_log_line_counts_the_emails() -> None:
    lines = [
        "START RequestId: 1 Version: $LATEST",
        json.dumps({"message": "notified", "eventId": "e1", "sent": 1}),
        json.dumps({"message": "notified", "eventId": "e2", "sent": 3}),
        json.dumps({"message": "something else", "eventId": "e1", "sent": 9}),
    ]
    mailbox = NotifierLog(Logs(lines), "prod-student-notifier")
    assert mailbox.emails_for("e1", "success@simulator.amazonses.com") == 1
    assert mailbox.emails_for("e3", "success@simulator.amazonses.com") == 0
