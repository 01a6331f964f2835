"""modules/lambda-function: plan inventory, apply on the emulator, idempotency, destroy,
deterministic packages and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iackit import packaging
from iackit.paths import REPO_ROOT
from iackit.tf import TerraformError
from tests.harness.assertions import assert_inventory, assert_no_changes

HERE = Path(__file__).parent
EXAMPLE = "modules/lambda-function/examples/basic"
INPUTS_FIXTURE = "tests/fixtures/lambda_function_inputs"


@pytest.fixture(scope="module")
def hello_zip(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("pkg")
    return str(packaging.package("hello", out_dir=out, src_root=REPO_ROOT / EXAMPLE / "src"))


@pytest.fixture(scope="module")
def plan(workspace, hello_zip):
    return workspace(EXAMPLE).plan({"package_path": hello_zip})


@pytest.mark.plan
def test_plan_matches_inventory(plan) -> None:
    assert_inventory(plan, HERE / "inventory.yaml")


@pytest.mark.plan
def test_plan_wires_the_dead_letter_queue(plan) -> None:
    change = next(
        rc
        for rc in plan.resource_changes
        if rc["address"] == "module.hello.aws_lambda_function.this"
    )
    # The queue ARN is only known after apply; the block must be there and point at it.
    assert change["change"]["after_unknown"]["dead_letter_config"]


def assert_least_privilege(policy: dict) -> None:
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert set(by_sid) == {"WriteOwnLogs", "WriteTraces", "ReadGreeting", "SendToDeadLetterTarget"}
    assert by_sid["SendToDeadLetterTarget"]["Action"] == "sqs:SendMessage"
    assert by_sid["SendToDeadLetterTarget"]["Resource"].endswith(":example-hello-dlq")
    assert by_sid["WriteOwnLogs"]["Resource"].endswith(":log-group:/aws/lambda/example-hello:*")
    assert by_sid["ReadGreeting"]["Action"] == "ssm:GetParameter"
    assert by_sid["ReadGreeting"]["Resource"].endswith(":parameter/example/greeting")
    for statement in policy["Statement"]:
        actions = statement["Action"]
        actions = actions if isinstance(actions, list) else [actions]
        assert all("*" not in action for action in actions), statement


@pytest.mark.apply
def test_apply_creates_function_then_converges_and_destroys(applied, boto, hello_zip) -> None:
    variables = {"package_path": hello_zip, "dead_letter_queue_enabled": True}
    with applied(EXAMPLE, variables) as (ws, outputs):
        fn = boto("lambda").get_function(FunctionName=outputs["function_name"])["Configuration"]
        assert fn["Runtime"] == "python3.13"
        assert fn["Handler"] == "hello.app.lambda_handler"
        assert fn["Timeout"] == 10
        assert fn["Role"].endswith(f":role/{outputs['role_name']}")
        assert fn["Environment"]["Variables"] == {"GREETING": "xin chào"}
        assert fn["CodeSha256"] == outputs["source_code_hash"]
        assert fn["DeadLetterConfig"]["TargetArn"].endswith("-hello-dlq")

        groups = boto("logs").describe_log_groups(logGroupNamePrefix=outputs["log_group_name"])
        assert [g["retentionInDays"] for g in groups["logGroups"]] == [7]

        inline = boto("iam").get_role_policy(
            RoleName=outputs["role_name"], PolicyName="example-hello-least-privilege"
        )["PolicyDocument"]
        assert_least_privilege(json.loads(inline) if isinstance(inline, str) else inline)
        function_state = _resource(ws.state(), "module.hello.aws_lambda_function.this")
        assert function_state["tracing_config"] == [{"mode": "Active"}]

        assert_no_changes(ws.plan(variables))


def _resource(state: dict, address: str) -> dict:
    stack = [state["values"]["root_module"]]
    while stack:
        module = stack.pop()
        for resource in module.get("resources", []):
            if resource["address"] == address:
                return dict(resource["values"])
        stack.extend(module.get("child_modules", []))
    raise KeyError(address)


@pytest.mark.unit
def test_packages_are_deterministic(tmp_path: Path) -> None:
    src = REPO_ROOT / EXAMPLE / "src"
    first = packaging.zip_bytes("hello", src)
    (tmp_path / "again").mkdir()
    again = packaging.package("hello", out_dir=tmp_path / "again", src_root=src).read_bytes()
    assert first == again
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


BAD_INPUTS = [
    ({"timeout": -1}, "timeout must be a whole number of seconds between 1 and 900"),
    ({"timeout": 901}, "timeout must be a whole number of seconds between 1 and 900"),
    ({"memory_size": 64}, "memory_size must be a whole number of MiB between 128 and 10240"),
    ({"runtime": "nodejs20.x"}, "runtime must be one of"),
    ({"handler": "no-dots"}, "handler must look like package.module.function"),
    ({"function_name": "bad name!"}, "function_name must be 1-56 characters"),
    ({"log_retention_days": 10}, "log_retention_days must be a value CloudWatch Logs accepts"),
    ({"package_path": "/nonexistent/hello.zip"}, "package_path must be an existing .zip file"),
    (
        {"policy_statements": {"all": {"actions": ["s3:*"], "resources": ["*"]}}},
        "Every action must be an explicit service:Action",
    ),
]


@pytest.mark.plan
@pytest.mark.parametrize(("overrides", "message"), BAD_INPUTS, ids=[m for _, m in BAD_INPUTS])
def test_bad_input_fails_at_plan_with_clear_message(
    workspace, hello_zip, overrides, message
) -> None:
    ws = _inputs_workspace(workspace)
    with pytest.raises(TerraformError) as error:
        ws.plan({"package_path": hello_zip, **overrides})
    assert message in " ".join(str(error.value).split())


_INPUTS_WS: dict[int, object] = {}


def _inputs_workspace(workspace):
    """One initialised copy of the passthrough fixture per test module."""
    key = id(workspace)
    if key not in _INPUTS_WS:
        _INPUTS_WS[key] = workspace(INPUTS_FIXTURE)
    return _INPUTS_WS[key]
