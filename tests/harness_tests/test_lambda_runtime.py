"""Invoke runs the deployed package: its zip and layers only, in the runtime's Python.

Without `iackit.emulator.lambda_runtime` moto answers every Invoke with "error running
docker"; each test here fails on that alone, and each checks one behaviour of the runtime
(context, environment, logs, error shapes, timeout, layers on sys.path and the harness
virtualenv off it, async retries and the DLQ).
"""

from __future__ import annotations

import base64
import io
import json
import textwrap
import time
import zipfile
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from iackit.emulator import Emulator

pytestmark = pytest.mark.unit
ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, textwrap.dedent(text))
    return buffer.getvalue()


def client(aws: Emulator, service: str) -> Any:
    return boto3.client(service, endpoint_url=aws.endpoint, region_name="us-east-1")


@pytest.fixture
def deploy(aws: Emulator) -> Callable[..., str]:
    """`deploy(name, {"app.py": ...}, **create_function kwargs)` -> the function ARN."""
    role = client(aws, "iam").create_role(RoleName="fn", AssumeRolePolicyDocument=ROLE_POLICY)[
        "Role"
    ]["Arn"]
    lam = client(aws, "lambda")

    def create(name: str, files: dict[str, str], **kwargs: Any) -> str:
        spec: dict[str, Any] = {
            "Runtime": "python3.13",
            "Handler": "app.handler",
            "Timeout": 10,
            **kwargs,
        }
        return str(
            lam.create_function(
                FunctionName=name, Role=role, Code={"ZipFile": zipped(files)}, **spec
            )["FunctionArn"]
        )

    return create


def log_messages(aws: Emulator, name: str) -> list[str]:
    """Every line the function logged ([] if it never ran: no log group)."""
    logs = client(aws, "logs")
    if not logs.describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"]:
        return []
    events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
    return [event["message"] for event in events]


def wait_for(probe: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"nothing after {timeout}s")


HELLO = """
import importlib.util, os, sys
import boto3

def handler(event, context):
    print("hello from handler", event["name"])
    return {
        "greeting": "hello " + event["name"],
        "request_id": context.aws_request_id,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "function_name": context.function_name,
        "log_group": context.log_group_name,
        "colour": os.environ["COLOUR"],
        "lambda_name": os.environ["AWS_LAMBDA_FUNCTION_NAME"],
        "endpoint": os.environ["AWS_ENDPOINT_URL"],
        "python": "%d.%d" % sys.version_info[:2],
        "boto3": boto3.__version__,
        "harness_venv_visible": importlib.util.find_spec("moto") is not None,
        "task_root_first": sys.path[0] == os.environ["LAMBDA_TASK_ROOT"],
    }
"""


def test_invoke_runs_the_zip_with_context_environment_and_logs(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    deploy("hello", {"app.py": HELLO}, Environment={"Variables": {"COLOUR": "teal"}})
    answer = client(aws, "lambda").invoke(
        FunctionName="hello", Payload=json.dumps({"name": "ada"}), LogType="Tail"
    )
    assert "FunctionError" not in answer
    result = json.loads(answer["Payload"].read())
    request_id = answer["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid")
    assert result["greeting"] == "hello ada"
    assert len(result["request_id"]) == 36
    assert result["request_id"] != request_id
    assert 0 < result["remaining_ms"] <= 10_000
    assert result["function_name"] == result["lambda_name"] == "hello"
    assert result["log_group"] == "/aws/lambda/hello"
    assert result["colour"] == "teal"
    assert result["endpoint"] == aws.endpoint
    assert result["python"] == "3.13"
    assert result["boto3"] == boto3.__version__  # the pinned runtime-provided SDK
    assert result["harness_venv_visible"] is False
    assert result["task_root_first"] is True
    tail = base64.b64decode(answer["LogResult"]).decode()
    assert f"START RequestId: {result['request_id']}" in tail
    assert "hello from handler ada" in tail
    assert f"REPORT RequestId: {result['request_id']}" in tail
    messages = log_messages(aws, "hello")
    assert "hello from handler ada" in messages
    assert any(m.startswith("INIT_START") and "python3.13" in m for m in messages)


def test_a_warm_worker_keeps_module_state_and_a_new_configuration_starts_cold(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    counter = """
    COUNT = 0
    def handler(event, context):
        global COUNT
        COUNT += 1
        return COUNT
    """
    deploy("counter", {"app.py": counter})
    lam = client(aws, "lambda")
    assert [json.loads(lam.invoke(FunctionName="counter")["Payload"].read()) for _ in range(3)] == [
        1,
        2,
        3,
    ]
    lam.update_function_configuration(FunctionName="counter", Environment={"Variables": {"X": "1"}})
    assert json.loads(lam.invoke(FunctionName="counter")["Payload"].read()) == 1


def test_an_exception_comes_back_in_the_aws_error_shape(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    deploy(
        "broken",
        {"app.py": "def handler(event, context):\n    raise ValueError('no such student')\n"},
    )
    answer = client(aws, "lambda").invoke(FunctionName="broken", Payload=b"{}")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    body = json.loads(answer["Payload"].read())
    assert body["errorType"] == "ValueError", body
    assert body["errorMessage"] == "no such student"
    assert any("raise ValueError" in frame for frame in body["stackTrace"])
    assert any("[ERROR] ValueError: no such student" in m for m in log_messages(aws, "broken"))


def test_a_handler_past_its_timeout_is_reported_timed_out(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    deploy(
        "sleepy",
        {"app.py": "import time\ndef handler(event, context):\n    time.sleep(30)\n"},
        Timeout=1,
    )
    started = time.monotonic()
    answer = client(aws, "lambda").invoke(FunctionName="sleepy")
    assert time.monotonic() - started < 10
    assert answer["FunctionError"] == "Unhandled"
    body = json.loads(answer["Payload"].read())
    assert body["errorType"] == "Sandbox.Timedout"
    assert body["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert any("Status: timeout" in m for m in log_messages(aws, "sleepy"))
    # the killed worker is replaced: the next invoke times out again rather than hanging
    assert client(aws, "lambda").invoke(FunctionName="sleepy")["FunctionError"] == "Unhandled"


USES_DEP = "import studentdep\ndef handler(event, context):\n    return studentdep.VALUE\n"


def test_a_dependency_comes_only_from_the_layers(aws: Emulator, deploy: Callable[..., str]) -> None:
    lam = client(aws, "lambda")
    deploy("no-layer", {"app.py": USES_DEP})
    answer = lam.invoke(FunctionName="no-layer")
    assert answer["FunctionError"] == "Unhandled"
    body = json.loads(answer["Payload"].read())
    assert body["errorType"] == "Runtime.ImportModuleError"
    assert body["errorMessage"] == "Unable to import module 'app': No module named 'studentdep'"

    layer = lam.publish_layer_version(
        LayerName="deps",
        Content={"ZipFile": zipped({"python/studentdep.py": "VALUE = 'from the layer'\n"})},
        CompatibleRuntimes=["python3.13"],
    )["LayerVersionArn"]
    deploy("with-layer", {"app.py": USES_DEP}, Layers=[layer])
    answer = lam.invoke(FunctionName="with-layer")
    assert "FunctionError" not in answer
    assert json.loads(answer["Payload"].read()) == "from the layer"


def test_dry_run_runs_nothing(aws: Emulator, deploy: Callable[..., str]) -> None:
    deploy("dry", {"app.py": "def handler(event, context):\n    print('ran')\n"})
    assert (
        client(aws, "lambda").invoke(FunctionName="dry", InvocationType="DryRun")["StatusCode"]
        == 204
    )
    time.sleep(0.5)
    assert log_messages(aws, "dry") == []


def test_an_async_failure_is_retried_then_lands_in_the_dlq(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    sqs = client(aws, "sqs")
    dlq_url = sqs.create_queue(QueueName="fn-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    deploy(
        "flaky",
        {"app.py": "def handler(event, context):\n    raise RuntimeError('downstream is down')\n"},
        DeadLetterConfig={"TargetArn": dlq_arn},
    )
    lam = client(aws, "lambda")
    lam.put_function_event_invoke_config(FunctionName="flaky", MaximumRetryAttempts=1)
    answer = lam.invoke(
        FunctionName="flaky", InvocationType="Event", Payload=json.dumps({"order": 7})
    )
    assert answer["StatusCode"] == 202

    def receive() -> list[dict[str, Any]]:
        return list(
            sqs.receive_message(
                QueueUrl=dlq_url, MessageAttributeNames=["All"], WaitTimeSeconds=1
            ).get("Messages", [])
        )

    (message,) = wait_for(receive)
    assert json.loads(message["Body"]) == {"order": 7}
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["ErrorCode"] == "200"
    assert attributes["ErrorMessage"] == "downstream is down"
    assert len(attributes["RequestID"]) == 36
    starts = [m for m in log_messages(aws, "flaky") if m.startswith("START RequestId")]
    assert len(starts) == 2  # the first attempt and MaximumRetryAttempts=1 retry


def test_an_async_failure_sends_the_invocation_record_to_the_on_failure_destination(
    aws: Emulator, deploy: Callable[..., str]
) -> None:
    sqs = client(aws, "sqs")
    url = sqs.create_queue(QueueName="on-failure")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    fn = deploy("fails", {"app.py": "def handler(event, context):\n    raise OSError('disk')\n"})
    client(aws, "lambda").put_function_event_invoke_config(
        FunctionName="fails",
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": arn}},
    )
    client(aws, "lambda").invoke(FunctionName="fails", InvocationType="Event", Payload=b'{"a": 1}')
    (message,) = wait_for(
        lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages")
    )
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 1
    assert record["requestContext"]["functionArn"] == f"{fn}:$LATEST"
    assert record["requestPayload"] == {"a": 1}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorType"] == "OSError"
