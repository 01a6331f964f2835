"""modules/lambda-layer on the emulator: the layer version Lambda holds is the zip `make
package` built, the example function lists it and runs from it, idempotency and destroy.
(Runtimes and architectures: basic.yaml, held as planned by the empty plan after apply;
inputs: the module's terraform test; the zip's content: tests/unit/packaging.)"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from iackit import packaging
from iackit.lambda_events import http_request
from iackit.paths import REPO_ROOT
from tests.harness.assertions import assert_no_changes
from tests.harness.deployed import invoke, log_messages

EXAMPLE = "modules/lambda-layer/examples/basic"


@pytest.mark.apply
def test_layer_publishes_the_built_zip_and_the_function_uses_it(applied, boto) -> None:
    layer_zip = REPO_ROOT / "build" / "lambda" / f"{packaging.LAYER_NAME}.zip"
    with applied(EXAMPLE) as (ws, outputs):
        client = boto("lambda")
        arn = outputs["layer_version_arn"]
        name, version = arn.split(":")[-2:]
        # (moto 5.2.5 does not implement GetLayerVersionByArn.)
        layer = client.get_layer_version(LayerName=name, VersionNumber=int(version))
        assert layer["LayerVersionArn"] == arn
        assert str(layer["Version"]) == outputs["layer_version"]  # the provider says "1"
        digest = base64.b64encode(hashlib.sha256(layer_zip.read_bytes()).digest()).decode()
        assert layer["Content"]["CodeSha256"] == digest
        assert layer["Content"]["CodeSize"] == layer_zip.stat().st_size
        config = client.get_function_configuration(FunctionName=outputs["function_name"])
        assert [entry["Arn"] for entry in config["Layers"]] == [arn]
        # The function runs from its zip and this layer alone: Powertools (the handler's
        # decorator and its JSON logger) comes from the layer, or the import fails. The
        # example gives it no bus: its documented answer is 500 "not configured".
        request = http_request(
            "POST", "/events/{type}", {"type": "student.enrolled"}, {"studentId": "S1"}
        )
        answer = invoke(boto, outputs["function_name"], request)
        assert answer["statusCode"] == 500, answer
        assert json.loads(answer["body"]) == {"error": "publisher is not configured"}
        logged = [
            json.loads(line)
            for line in log_messages(boto("logs"), outputs["function_name"])
            if line.startswith("{")
        ]
        assert [(e["level"], e["message"], e["service"]) for e in logged] == [
            ("ERROR", "EVENT_BUS_NAME is not set", "publisher")
        ]
        assert_no_changes(ws.plan())
