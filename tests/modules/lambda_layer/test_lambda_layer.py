"""modules/lambda-layer on the emulator: the layer version Lambda holds is the zip `make
package` built, the example function lists it, idempotency and destroy. (Plan and inputs:
tftest.yaml and the module's terraform test; the zip's content: tests/unit/packaging.)"""

from __future__ import annotations

import base64
import hashlib

import pytest

from iackit import packaging
from iackit.paths import REPO_ROOT
from tests.harness.assertions import assert_no_changes

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
        assert layer["CompatibleRuntimes"] == ["python3.13"]
        assert layer["CompatibleArchitectures"] == ["x86_64"]
        digest = base64.b64encode(hashlib.sha256(layer_zip.read_bytes()).digest()).decode()
        assert layer["Content"]["CodeSha256"] == digest
        assert layer["Content"]["CodeSize"] == layer_zip.stat().st_size
        config = client.get_function_configuration(FunctionName=outputs["function_name"])
        assert [entry["Arn"] for entry in config["Layers"]] == [arn]
        assert_no_changes(ws.plan())
